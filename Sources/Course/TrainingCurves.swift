import Foundation
import Notebook
import TensorCore

/// How a policy moved during training, batch by batch: its KL to SFT, the reward model's
/// score and the gold score of the answers it sampled. Chapter 06 saves its runs' curves,
/// and chapter 10 fits Gao et al.'s over-optimization curves to them.
public struct TrainingCurve: Codable, Equatable, Sendable {
    public struct Point: Codable, Equatable, Sendable {
        public var step: Int
        /// Mean Σ_t log π/π_SFT over the batch's answers (nats per answer).
        public var kl: Double
        public var score: Double
        public var gold: Double

        public init(step: Int, kl: Double, score: Double, gold: Double) {
            self.step = step
            self.kl = kl
            self.score = score
            self.gold = gold
        }
    }

    public var policy: String
    public var points: [Point]

    public init(policy: String, points: [Point]) {
        self.policy = policy
        self.points = points
    }

    /// The curve of a PPO run, one point per iteration.
    public init(policy: String, iterations: [PPOIteration]) {
        self.init(policy: policy, points: iterations.enumerated().map { k, it in
            Point(step: k + 1, kl: it.kl, score: it.scores, gold: it.gold)
        })
    }

    public static let fileName = "training-curves.json"
}

extension Chapter {
    /// Writes `training-curves.json` into the run directory, atomically, keys sorted.
    public func save(_ curves: [TrainingCurve]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { try AtomicFile.write(try encoder.encode(curves), to: runFile(TrainingCurve.fileName)) } catch {
            stop("chapter \(name.number) could not write \(runPath)/\(TrainingCurve.fileName): \(ArtifactMessage.reason(error))", code: 74)
        }
    }

    /// The curves an earlier chapter saved.
    public func loadTrainingCurves(from producer: String) -> [TrainingCurve] {
        load(TrainingCurve.fileName, from: producer) { url in
            do { return try JSONDecoder().decode([TrainingCurve].self, from: Data(contentsOf: url)) } catch let error as DecodingError {
                throw EvaluationFileError(file: url.path, problem: "is not a list of training curves (\(error.localizedDescription))")
            }
        }
    }
}
