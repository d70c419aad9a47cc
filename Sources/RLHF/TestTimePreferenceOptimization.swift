import LanguageModel
import TensorCore

/// Test-time preference optimization (TPO; Li et al., 2025): improve an answer at inference,
/// with the reward model as the only judge and no weight update. Per prompt: sample N
/// answers, score them, keep every scored answer in a cache; then D times, take the best
/// and the worst answer in the whole cache as chosen and rejected, turn their contrast into
/// a "textual loss" and a "textual gradient", and sample N new answers guided by it; answer
/// with the best in the cache.
///
/// The paper's loss and gradient are critiques written by the model itself ("the chosen
/// answer explains with an analogy, the rejected one lists facts"), which a small model
/// cannot write. Here they are the mechanical analogue, on tokens:
/// - the textual loss is the contrast itself: the tokens the chosen answer uses and the
///   rejected one does not, and the reverse;
/// - the textual gradient is a logit bias that turns the contrast into a direction for the
///   next samples: +α on the first set, −α on the second. Sampling with it moves the new
///   answers toward what the chosen answer has and away from what the rejected one has,
///   as a critique would ask, without changing a weight.

/// One prompt's scored answers, in the order they were added.
public struct TPOCache: Sendable {
    public private(set) var answers: [Rollout] = []
    public private(set) var rewards: [Float] = []

    public init() {}

    public mutating func add(_ rollouts: [Rollout], rewards: [Float]) {
        precondition(rollouts.count == rewards.count, "TPOCache.add: \(rollouts.count) answers for \(rewards.count) rewards")
        answers += rollouts
        self.rewards += rewards
    }

    /// The highest- and the lowest-reward answer of the whole cache (the first on a tie).
    public var best: (answer: Rollout, reward: Float) { let i = bestIndex(rewards); return (answers[i], rewards[i]) }
    public var worst: (answer: Rollout, reward: Float) {
        let i = rewards.indices.min { rewards[$0] < rewards[$1] }!
        return (answers[i], rewards[i])
    }
}

/// The textual loss of one iteration: which tokens separate the chosen answer from the
/// rejected one.
public struct TokenContrast: Sendable, Equatable {
    /// Tokens of the chosen answer that the rejected one lacks, and the reverse.
    public let chosenOnly: [Int]
    public let rejectedOnly: [Int]

    /// The contrast between two answers' tokens, leaving out `ignoring` (the end-of-text
    /// token, which both may use). With `rejected` empty it is the revision baseline's:
    /// only "more like the chosen one".
    public init(chosen: [Int], rejected: [Int], ignoring: Set<Int> = []) {
        let (c, r) = (Set(chosen).subtracting(ignoring), Set(rejected).subtracting(ignoring))
        chosenOnly = c.subtracting(r).sorted()
        rejectedOnly = r.subtracting(c).sorted()
    }

    /// The textual gradient: +strength on the chosen-only tokens, −strength on the
    /// rejected-only ones, added to the logits of every later draw.
    public func logitBias(vocabularySize: Int, strength: Float) -> [Float] {
        var bias = [Float](repeating: 0, count: vocabularySize)
        for t in chosenOnly { bias[t] = strength }
        for t in rejectedOnly { bias[t] = -strength }
        return bias
    }
}
