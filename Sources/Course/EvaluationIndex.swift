import Foundation
import Notebook
import TensorCore

/// What a saved evaluation is to chapter 10, which compares the course's methods.
public enum ShowdownRole: String, Codable, Sendable {
    /// The method a chapter teaches (TRPO, PPO, GRPO, DPO, TPO): a row of chapter 10's
    /// tables and a bar of its per-criterion figure.
    case method
    /// A baseline a chapter measured its method against (best-of-4, vanilla policy
    /// gradient): a row of chapter 10's tables.
    case baseline
}

/// A policy's place in a sweep of one hyperparameter: the sweep's name ("PPO, kl_coef
/// sweep") and the value the policy was trained with (its kl_coef).
public struct SweepPoint: Codable, Equatable, Sendable {
    public var sweep: String
    public var value: Double

    public init(_ sweep: String, value: Double) {
        self.sweep = sweep
        self.value = value
    }
}

/// One evaluation a chapter saved, as its run folder's index lists it.
public struct SavedEvaluation: Codable, Equatable, Sendable {
    /// The name it was saved under (nil: the chapter's main policy, `evaluation.json`).
    public var name: String?
    /// The evaluated policy's name, as the evaluation says it.
    public var policy: String
    /// What it is to chapter 10 (nil: compared in its own chapter only).
    public var showdown: ShowdownRole?
    /// The sweep it is a point of (chapter 10 draws each sweep as one line).
    public var sweep: SweepPoint?

    public init(name: String?, policy: String, showdown: ShowdownRole?, sweep: SweepPoint?) {
        self.name = name
        self.policy = policy
        self.showdown = showdown
        self.sweep = sweep
    }

    /// Its file in the producer's run folder.
    public var file: String { PolicyEvaluation.fileName(name) }
}

/// `evaluations.json` in a run folder: every evaluation the chapter's last run saved, in
/// the order it saved them. Later chapters find what a chapter saved here instead of
/// repeating its file names.
public struct EvaluationIndex: Codable, Equatable, Sendable {
    /// When the run that wrote it started (seconds since 1970): a run replaces an index an
    /// earlier run left, rather than adding to it.
    public var run: Double
    public var evaluations: [SavedEvaluation]

    public static let fileName = "evaluations.json"

    /// The index with `entry` added, or put in place of the entry of the same file.
    public func adding(_ entry: SavedEvaluation) -> EvaluationIndex {
        var copy = self
        if let index = copy.evaluations.firstIndex(where: { $0.file == entry.file }) {
            copy.evaluations[index] = entry
        } else {
            copy.evaluations.append(entry)
        }
        return copy
    }
}

extension Chapter {
    /// Adds `entry` to this run's index of saved evaluations (atomically, keys sorted).
    func index(_ entry: SavedEvaluation) {
        let url = runFile(EvaluationIndex.fileName), run = record.started.timeIntervalSince1970
        let previous = (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode(EvaluationIndex.self, from: $0) }
        let index = (previous?.run == run ? previous! : EvaluationIndex(run: run, evaluations: [])).adding(entry)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { try AtomicFile.write(try encoder.encode(index), to: url) } catch {
            stop("chapter \(name.number) could not write \(runPath)/\(EvaluationIndex.fileName): \(ArtifactMessage.reason(error))", code: 74)
        }
    }

    /// The evaluations the chapters `producers` saved, chapter by chapter in the order
    /// given and, within a chapter, in the order it saved them; a chapter that has left no
    /// index (it has not run, or saves no evaluation) adds nothing.
    public func savedEvaluations(from producers: [String]) -> [(producer: String, saved: SavedEvaluation)] {
        producers.filter { hasArtifact(EvaluationIndex.fileName, from: $0) }.flatMap { producer in
            load(EvaluationIndex.fileName, from: producer) { url in
                try JSONDecoder().decode(EvaluationIndex.self, from: Data(contentsOf: url))
            }.evaluations.map { (producer, $0) }
        }
    }

    /// A result chapter `producer` printed and logged (`Chapter.result`: series "result" of
    /// its metrics.csv), so that a later chapter quotes the producer's number instead of
    /// computing its own version of it. Stops, naming the file, when the run logged no such
    /// result (a run of older code).
    public func loadResult(_ label: String, from producer: String) -> Double {
        load("metrics.csv", from: producer) { url in
            guard let row = try MetricsLog.rows(in: url).last(where: { $0.series == "result" && $0.name == label }) else {
                throw ResultMissing(label: label)
            }
            return row.value
        }
    }

    /// The records of type `R` that chapter `producer` logged under series `series` (a
    /// training run), read back from its metrics.csv; none when it logged no such records.
    public func loadRecords<R: MetricRecord>(_ type: R.Type, series: String, from producer: String) -> [R] {
        load("metrics.csv", from: producer) { url in try MetricsLog.records(R.self, series: series, in: url) }
    }
}

/// A result a chapter's metrics.csv does not hold.
struct ResultMissing: Error, CustomStringConvertible, LocalizedError {
    let label: String
    var description: String { "it holds no result \"\(label)\"" }
    var errorDescription: String? { description }
}

/// The results of chapter 04 that later chapters quote, by the names chapter 04 logs them under.
public enum RewardModelResults {
    /// The reward model's held-out accuracy against every decisive label of the held-out
    /// comparisons (five annotators each), in percent.
    public static let heldOutAccuracy = "held-out accuracy against annotators"
    /// Its accuracy against the gold order, on the held-out comparisons the judge scores differently, in percent.
    public static let goldOrderAccuracy = "accuracy against the gold order"
    /// How often a second annotator agrees with the first (ties left out), in percent.
    public static let humanBaseline = "human baseline: annotators agree"
}
