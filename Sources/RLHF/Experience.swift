import LanguageModel
import TensorCore

/// One batch of experience for a policy-gradient update, every per-token array laid out
/// [B, R] as in `RolloutBatch` (row b, response token j), padding zero:
///
/// - `oldLogProbs`: log π_old(y_j|s_j), the policy that sampled, recomputed by a forward
///   pass (what the PPO/GRPO ratio divides by);
/// - `samplingLogProbs`: log q(y_j|s_j) under the distribution actually sampled from; equal
///   to the old log-probs when sampling at temperature 1 with no truncation (kept to check);
/// - `referenceLogProbs`: log π_ref(y_j|s_j), the frozen SFT policy (for the KL);
/// - `values`: V(s_j) from the critic, the state before token j (PPO only);
/// - `rewards`: the per-token rewards r_j (KL penalty, plus the score at the last token);
/// - `advantages` and `returns`: what GAE (or a group baseline) made of them.
///
/// Plain numbers: nothing in it carries a gradient, which is what the losses need from
/// the quantities of the old policy.
public struct ExperienceBatch: Sendable {
    public let rollouts: [Rollout]
    public let batch: RolloutBatch
    /// The reward model's score of each response, one per row.
    public var scores: [Float]
    public var oldLogProbs: [Float]
    public var samplingLogProbs: [Float]
    public var referenceLogProbs: [Float]
    public var values: [Float]
    public var rewards: [Float]
    public var advantages: [Float]
    public var returns: [Float]

    public var rows: Int { batch.rows }
    public var width: Int { batch.responseLength }
    public var mask: [Float] { batch.responseMask }

    /// A batch whose per-token arrays are all zero, to be filled in by the algorithm.
    public init(rollouts: [Rollout], scores: [Float], padTokenId: Int = 0) {
        precondition(scores.count == rollouts.count, "ExperienceBatch: \(scores.count) scores for \(rollouts.count) rollouts")
        self.rollouts = rollouts
        self.batch = RolloutBatch(rollouts, padTokenId: padTokenId)
        self.scores = scores
        let zeros = [Float](repeating: 0, count: rollouts.count * batch.responseLength)
        (oldLogProbs, referenceLogProbs, values, rewards, advantages, returns) = (zeros, zeros, zeros, zeros, zeros, zeros)
        samplingLogProbs = zeros
        for (b, rollout) in rollouts.enumerated() {
            for (j, value) in rollout.samplingLogProbs.enumerated() { samplingLogProbs[b * batch.responseLength + j] = value }
        }
    }

    /// An array of this batch's [B, R] layout as a tensor (a constant).
    public func tensor(_ values: [Float]) -> Tensor { Tensor(shape: [rows, width], data: values) }

    /// The rows of `indices` as a batch of their own (a minibatch), every array with them.
    public func rows(_ indices: [Int]) -> ExperienceBatch {
        var copy = ExperienceBatch(rollouts: indices.map { rollouts[$0] }, scores: indices.map { scores[$0] })
        let w = width, w2 = copy.width
        func take(_ source: [Float]) -> [Float] {
            var out = [Float](repeating: 0, count: indices.count * w2)
            for (k, b) in indices.enumerated() {
                for j in 0..<w2 where j < w { out[k * w2 + j] = source[b * w + j] }
            }
            return out
        }
        copy.oldLogProbs = take(oldLogProbs)
        copy.samplingLogProbs = take(samplingLogProbs)
        copy.referenceLogProbs = take(referenceLogProbs)
        copy.values = take(values)
        copy.rewards = take(rewards)
        copy.advantages = take(advantages)
        copy.returns = take(returns)
        return copy
    }

    /// Minibatches of `size` rows for one epoch, in an order drawn from `rng` (the last one
    /// smaller when `size` does not divide the rows).
    public func minibatches(size: Int, rng: inout RandomGenerator) -> [ExperienceBatch] {
        precondition(size > 0, "ExperienceBatch.minibatches: size must be positive")
        let order = rng.shuffled(Array(0..<rows))
        return stride(from: 0, to: rows, by: size).map { rows(Array(order[$0..<min($0 + size, rows)])) }
    }

    /// The number of real response tokens.
    public var tokenCount: Int { Int(mask.reduce(0, +)) }
}

// MARK: - Per-token rewards with a KL penalty

/// How the reward-model score and the KL penalty become per-token rewards (Ziegler et al.,
/// 2019; Stiennon et al., 2020; InstructGPT):
///
///     r_j = −β k_j                      for every response token j,
///     r_last += score (clipped to ±`scoreClip` when given),
///     r_last −= `truncationPenalty`     when the response hit the length limit without end-of-text,
///
/// with k_j the per-token KL estimate chosen by `estimator`, from the old and the reference
/// log-probs. The score sits at the last response token, its end-of-text when the policy
/// stopped: that is where the reward model read it.
public struct KLPenalizedRewards: Sendable {
    /// β: the KL coefficient (TRL's kl_coef; 0.01-0.2 usual).
    public var klCoefficient: Float
    /// Which per-token estimate of KL(π_old ‖ π_ref) is penalized (TRL: kl_estimator k1 or k3).
    public var estimator: KLEstimator
    /// Clip the score to ±this (nil: no clipping).
    public var scoreClip: Float?
    /// Subtracted from the score of a response that did not end by itself (TRL:
    /// missing_eos_penalty); 0 turns it off.
    public var truncationPenalty: Float

    public init(klCoefficient: Float, estimator: KLEstimator = .k1, scoreClip: Float? = nil, truncationPenalty: Float = 0) {
        self.klCoefficient = klCoefficient
        self.estimator = estimator
        self.scoreClip = scoreClip
        self.truncationPenalty = truncationPenalty
    }

    /// The per-token rewards, and each row's KL penalty summed (the non-score reward).
    public func rewards(for experience: ExperienceBatch) -> (rewards: [Float], klPenalties: [Float]) {
        let (rows, width) = (experience.rows, experience.width)
        var rewards = [Float](repeating: 0, count: rows * width)
        var penalties = [Float](repeating: 0, count: rows)
        for b in 0..<rows {
            let length = experience.rollouts[b].responseTokens.count
            for j in 0..<length {
                let i = b * width + j
                let k = estimator.value(logProb: experience.oldLogProbs[i], referenceLogProb: experience.referenceLogProbs[i])
                rewards[i] = -klCoefficient * k
                penalties[b] += rewards[i]
            }
            guard length > 0 else { continue }
            var score = experience.scores[b]
            if let scoreClip { score = Swift.min(Swift.max(score, -scoreClip), scoreClip) }
            if !experience.rollouts[b].endedWithEndOfText { score -= truncationPenalty }
            rewards[b * width + length - 1] += score
        }
        return (rewards, penalties)
    }
}

/// The adaptive KL controller of Ziegler et al. (2019): β moves so that the measured KL
/// tracks a target, by at most ±20% of the proportional error per horizon:
///
///     e = clip((KL − target) / target, −0.2, 0.2),    β ← β · (1 + e · n / horizon)
///
/// where n is the number of samples the KL was measured on.
public struct AdaptiveKLController: Sendable {
    public private(set) var coefficient: Float
    public let target: Float
    public let horizon: Float

    public init(initial: Float, target: Float, horizon: Float = 10_000) {
        precondition(initial > 0 && target > 0 && horizon > 0, "AdaptiveKLController: positive values needed")
        self.coefficient = initial
        self.target = target
        self.horizon = horizon
    }

    public mutating func update(measuredKL: Float, samples: Int) {
        let error = Swift.min(Swift.max((measuredKL - target) / target, -0.2), 0.2)
        coefficient *= 1 + error * Float(samples) / horizon
    }
}
