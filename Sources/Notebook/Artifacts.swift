import Foundation

/// A chapter folder name such as `01-pretrained-model`, read as its number and its name.
public struct ChapterName: Sendable, Equatable {
    /// The folder name, e.g. `01-pretrained-model`; also the name of its run and figure folders.
    public let folder: String
    /// The two-digit number, e.g. `01`.
    public let number: String
    /// The words of the name, e.g. `pretrained model`.
    public let words: String

    public init(_ folder: String) {
        self.folder = folder
        let parts = folder.split(separator: "-", maxSplits: 1)
        if parts.count == 2, parts[0].allSatisfy(\.isNumber) {
            number = String(parts[0])
            words = parts[1].replacingOccurrences(of: "-", with: " ")
        } else {
            number = folder
            words = folder
        }
    }

    /// The make target that runs the chapter, e.g. `make chapter-01`.
    public var makeTarget: String { "make chapter-\(number)" }
}

/// The exit codes a chapter stops with when what it needs from an earlier chapter is not
/// usable (from BSD's sysexits.h, as the options' 64 is).
public enum ArtifactExitCode {
    /// EX_DATAERR: the file exists but cannot be read (truncated, corrupt, wrong shape).
    public static let unreadable: Int32 = 65
    /// EX_NOINPUT: the file does not exist.
    public static let missing: Int32 = 66
}

/// The one-line messages a chapter stops with when an artifact from an earlier chapter is
/// missing or unusable; they name the file, the chapter that writes it, and the `make`
/// target to run (with `QUICK=1` or `SEED=N` when this run is of that kind).
public enum ArtifactMessage {
    /// "chapter 02 needs runs/01-pretrained-model/model.safetensors, which chapter 01
    /// (pretrained model) writes: run `make chapter-01` first."
    public static func missing(_ path: String, consumer: ChapterName, producer: ChapterName,
                               makeArguments: String = "") -> String {
        "chapter \(consumer.number) needs \(path), which chapter \(producer.number) (\(producer.words)) writes: "
            + "run `\(producer.makeTarget)\(makeArguments)` first."
    }

    /// "chapter 02 cannot read runs/01-pretrained-model/model.safetensors (the header is
    /// truncated), which chapter 01 (pretrained model) writes: run `make chapter-01` again."
    public static func unreadable(_ path: String, consumer: ChapterName, producer: ChapterName, reason: String,
                                  makeArguments: String = "") -> String {
        "chapter \(consumer.number) cannot read \(path) (\(reason)), which chapter \(producer.number) "
            + "(\(producer.words)) writes: run `\(producer.makeTarget)\(makeArguments)` again."
    }

    /// "chapter 02 cannot use runs/01-pretrained-model/model.safetensors: its run.json says
    /// a quick run made it, and this is a default run; run `make chapter-01` again."
    public static func wrongRun(_ path: String, consumer: ChapterName, producer: ChapterName, problem: String,
                                makeArguments: String = "") -> String {
        "chapter \(consumer.number) cannot use \(path): \(problem); run `\(producer.makeTarget)\(makeArguments)` again."
    }

    /// The reason an error gives, on one line: its `LocalizedError` description when it has
    /// one, Foundation's prose for Foundation's errors, otherwise its `description`.
    public static func reason(_ error: any Error) -> String {
        let text: String
        let bridged = error as NSError
        if let localized = error as? LocalizedError, let description = localized.errorDescription {
            text = description
        } else if let description = bridged.userInfo[NSLocalizedDescriptionKey] as? String {
            text = description
        } else if bridged.domain == NSCocoaErrorDomain || bridged.domain == NSPOSIXErrorDomain {
            // Foundation's own errors (a file that cannot be opened) describe themselves in prose.
            text = bridged.localizedDescription
        } else {
            text = String(describing: error)
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

/// What a chapter needs from earlier ones, checked before the work starts.
///
///     let model = chapter.load("model.safetensors", from: "01-pretrained-model") { url in
///         try GPT.load(url)
///     }
///
/// A file is looked for in the producer's run folder for this kind of run (see
/// ``RunVariant``): `runs/01-pretrained-model/` for a default run, `runs/quick/...` for a
/// quick one. A missing file stops the chapter with
/// ``ArtifactMessage/missing(_:consumer:producer:makeArguments:)`` and exit code 66; a
/// file the loader rejects, or one that another kind of run made (the producer's
/// `run.json` says which options made it), or one left by a run that did not finish, stops
/// it with exit code 65. Never a stack trace: a missing checkpoint is the learner skipping
/// a step, not a bug.
public struct Artifacts: Sendable {
    /// The chapter that needs the artifacts.
    public let consumer: ChapterName
    /// The directory relative paths are resolved against (the repository root).
    public let root: URL
    /// The kind of run that needs them: it decides the folder they are read from.
    public let variant: RunVariant

    public init(consumer: ChapterName, root: URL, variant: RunVariant = RunVariant(quick: false, seed: 0)) {
        self.consumer = consumer
        self.root = root
        self.variant = variant
    }

    /// What checking a path found.
    public enum Check: Equatable, Sendable {
        case present(URL)
        /// The one-line message and the exit code to stop with.
        case problem(String, code: Int32)
    }

    /// The producer's run folder, relative to the root: `runs/01-pretrained-model` or
    /// `runs/quick/01-pretrained-model`.
    public func folder(of producer: String) -> String {
        let inputs = variant.inputFolder
        return "runs/" + (inputs.isEmpty ? "" : inputs + "/") + producer
    }

    /// The path of `file` in `producer`'s run folder, relative to the root.
    public func path(of file: String, from producer: String) -> String {
        folder(of: producer) + "/" + file
    }

    /// Checks that `file` is a readable file in `producer`'s run folder, written by a
    /// finished run of the same kind as this one.
    public func check(_ file: String, from producer: String) -> Check {
        let path = path(of: file, from: producer)
        let url = root.appendingPathComponent(path)
        let producerName = ChapterName(producer)
        let make = variant.makeArguments
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            return .problem(ArtifactMessage.missing(path, consumer: consumer, producer: producerName, makeArguments: make),
                            code: ArtifactExitCode.missing)
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: url.path) else {
            let reason = isDirectory.boolValue ? "it is a directory" : "permission denied"
            return .problem(ArtifactMessage.unreadable(path, consumer: consumer, producer: producerName, reason: reason,
                                                       makeArguments: make),
                            code: ArtifactExitCode.unreadable)
        }
        if let problem = provenanceProblem(producer) {
            return .problem(ArtifactMessage.wrongRun(path, consumer: consumer, producer: producerName, problem: problem,
                                                     makeArguments: make),
                            code: ArtifactExitCode.unreadable)
        }
        return .present(url)
    }

    /// What is wrong with the run that left `producer`'s folder, from its `run.json`: nil
    /// when a finished run of this kind made it.
    func provenanceProblem(_ producer: String) -> String? {
        let recordPath = folder(of: producer) + "/" + RunRecord.fileName
        guard let data = try? Data(contentsOf: root.appendingPathComponent(recordPath)),
              let made = RunRecord.Provenance(json: data) else {
            return "\(recordPath), which says which run made it, is missing or unreadable"
        }
        let madeBy = RunVariant(quick: made.quick, seed: made.seed, steps: made.steps)
        if madeBy.quick != variant.quick || madeBy.seed != variant.seed || madeBy.steps != nil {
            let steps = made.steps.map { " with --steps \($0)" } ?? ""
            return "its run.json says \(madeBy.description)\(steps) made it, and this is \(variant.description)"
        }
        if !made.finished {
            return "the last run of chapter \(ChapterName(producer).number) there did not finish (its run.json has no end time)"
        }
        return nil
    }

    /// Loads `file` with `loader`; a missing or unusable file, or an error thrown by the
    /// loader, becomes the one-line message and exit code to stop with.
    public func load<T>(_ file: String, from producer: String, _ loader: (URL) throws -> T) -> Result<T, ArtifactFailure> {
        switch check(file, from: producer) {
        case .problem(let message, let code):
            return .failure(ArtifactFailure(message: message, exitCode: code))
        case .present(let url):
            do {
                return .success(try loader(url))
            } catch {
                let message = ArtifactMessage.unreadable(path(of: file, from: producer), consumer: consumer,
                                                         producer: ChapterName(producer),
                                                         reason: ArtifactMessage.reason(error),
                                                         makeArguments: variant.makeArguments)
                return .failure(ArtifactFailure(message: message, exitCode: ArtifactExitCode.unreadable))
            }
        }
    }
}

/// An artifact that could not be used: the line to print and the code to exit with.
public struct ArtifactFailure: Error, Equatable, CustomStringConvertible {
    public let message: String
    public let exitCode: Int32
    public var description: String { message }
}
