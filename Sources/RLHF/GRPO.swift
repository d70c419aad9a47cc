import TensorCore

/// Group Relative Policy Optimization (Shao et al., 2024, DeepSeekMath) and the variants
/// that followed it: Dr. GRPO (Liu et al., 2025), DAPO (Yu et al., 2025) and GSPO (Zheng et
/// al., 2025). G responses are sampled for each prompt; the group's mean reward is the
/// baseline, so no critic is needed. Names follow TRL's GRPOTrainer.

/// How rewards are scaled after the group mean is subtracted (TRL: `scale_rewards`).
public enum RewardScaling: String, Sendable, CaseIterable {
    /// Divide by the group's standard deviation (the original GRPO).
    case group
    /// Divide by the standard deviation of the whole batch.
    case batch
    /// Do not divide (Dr. GRPO: the std scaling up-weights prompts whose answers all score
    /// alike, whether too easy or too hard).
    case none
}

/// Group-relative advantages of a batch of consecutive groups, and what they say.
public struct GroupAdvantages: Sendable, Equatable {
    /// Â_i per response (one number, broadcast over its tokens).
    public let advantages: [Float]
    /// Share of groups whose rewards have zero spread (TRL: frac_reward_zero_std): their
    /// advantages are all 0, so they teach nothing ("the loss is zero and nothing learns").
    public let zeroSpreadShare: Float
    /// The groups (by index) whose rewards have zero spread.
    public let zeroSpreadGroups: [Int]
    /// Mean of the within-group standard deviations of the rewards (TRL: reward_std).
    public let meanGroupStandardDeviation: Float

    /// Â_i = (r_i − mean(group)) / (scale + ε), with `rewards` laid out as consecutive groups
    /// of `groupSize`. The standard deviations are the sample ones (n − 1), as TRL computes
    /// them with torch.std.
    public init(rewards: [Float], groupSize: Int, scaling: RewardScaling = .group, epsilon: Float = 1e-4) {
        precondition(groupSize > 1 && rewards.count % groupSize == 0,
                     "GroupAdvantages: \(rewards.count) rewards do not split into groups of \(groupSize) > 1")
        func std(_ values: ArraySlice<Float>) -> Float {
            let mean = values.reduce(0, +) / Float(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count - 1)
            return variance.squareRoot()
        }
        let batchStd = std(rewards[...])
        var result = [Float](repeating: 0, count: rewards.count)
        var zero: [Int] = [], stds: [Float] = []
        for (g, start) in stride(from: 0, to: rewards.count, by: groupSize).enumerated() {
            let group = rewards[start..<(start + groupSize)]
            let mean = group.reduce(0, +) / Float(groupSize)
            let groupStd = std(group)
            stds.append(groupStd)
            if group.allSatisfy({ $0 == group.first! }) { zero.append(g) }
            let scale: Float
            switch scaling {
            case .group: scale = 1 / (groupStd + epsilon)
            case .batch: scale = 1 / (batchStd + epsilon)
            case .none: scale = 1
            }
            for i in start..<(start + groupSize) { result[i] = (rewards[i] - mean) * scale }
        }
        advantages = result
        zeroSpreadGroups = zero
        zeroSpreadShare = Float(zero.count) / Float(rewards.count / groupSize)
        meanGroupStandardDeviation = stds.reduce(0, +) / Float(stds.count)
    }
}

/// How the per-token GRPO losses become one number (TRL: `loss_type`).
public enum GRPOLossType: String, Sendable, CaseIterable {
    /// Mean over each response's tokens, then over responses (the original GRPO). A long
    /// response spreads its advantage thin over many tokens, so a wrong long answer is
    /// punished less per token than a wrong short one: the length bias Dr. GRPO points out.
    case grpo
    /// Sum over tokens divided by a constant (B · the length limit), with no std scaling
    /// of the rewards: every token counts the same, whatever its response's length.
    case drGRPO = "dr_grpo"
    /// Mean over every token of the batch (DAPO's token-level loss).
    case dapo
}

/// Whether the importance ratio is per token or per response (TRL: `importance_sampling_level`).
public enum ImportanceSamplingLevel: String, Sendable, CaseIterable {
    /// ρ_t = π(y_t|s_t) / π_old(y_t|s_t) (GRPO).
    case token
    /// GSPO's length-normalized sequence ratio, the same for every token of a response:
    /// s_i = exp( (1/|y_i|) Σ_t (log π − log π_old) ).
    case sequence
}

/// The settings of the GRPO loss.
public struct GRPOSettings: Sendable {
    /// ε (low side) and ε_high (DAPO's clip-higher: a larger upper bound lets the
    /// probability of unlikely tokens grow, against entropy collapse). TRL: 0.2 and 0.2;
    /// DAPO uses 0.2 and 0.28.
    public var epsilon: Float
    public var epsilonHigh: Float
    /// β of the k3 KL to the reference in the loss (TRL's default is now 0; DeepSeekMath
    /// used 0.04).
    public var beta: Float
    public var lossType: GRPOLossType
    public var importanceSampling: ImportanceSamplingLevel
    /// The length limit, for dr_grpo's constant normalizer.
    public var maxCompletionLength: Int

    public init(epsilon: Float = 0.2, epsilonHigh: Float? = nil, beta: Float = 0.04, lossType: GRPOLossType = .grpo,
                importanceSampling: ImportanceSamplingLevel = .token, maxCompletionLength: Int) {
        self.epsilon = epsilon
        self.epsilonHigh = epsilonHigh ?? epsilon
        self.beta = beta
        self.lossType = lossType
        self.importanceSampling = importanceSampling
        self.maxCompletionLength = maxCompletionLength
    }
}

/// What one GRPO loss evaluation reports (TRL's names in brackets).
public struct GRPOLoss {
    public let loss: Tensor
    /// Mean over kept tokens of the k3 KL to the reference [kl].
    public let kl: Float
    /// Share of kept tokens where the ratio was clipped at 1 − ε with Â < 0 [clip_ratio/low_mean],
    /// and at 1 + ε_high with Â > 0 [clip_ratio/high_mean].
    public let clipLow: Float
    public let clipHigh: Float
}

/// The GRPO loss, per token:
///
///     L_t = −min(ρ_t Â, clip(ρ_t, 1 − ε, 1 + ε_high) Â) + β · k3_t,
///     k3_t = π_ref/π − log(π_ref/π) − 1 ≥ 0,
///
/// with ρ against π_old, the policy that sampled (not π_ref: the notebook's version takes
/// the ratio against the reference, which is a KL term in disguise, not a trust region),
/// and k3 on the reference, which keeps the policy near SFT. Shapes [B, R]; `advantages`
/// one per row.
public func grpoLoss(logProbs: Tensor, oldLogProbs: Tensor, referenceLogProbs: Tensor, advantages: [Float], mask: Tensor,
                     settings: GRPOSettings) -> GRPOLoss {
    precondition(logProbs.rank == 2 && logProbs.shape == oldLogProbs.shape && logProbs.shape == referenceLogProbs.shape
                 && logProbs.shape == mask.shape && advantages.count == logProbs.shape[0],
                 "grpoLoss: shapes \(logProbs.shape), \(oldLogProbs.shape), \(referenceLogProbs.shape), \(mask.shape) and \(advantages.count) advantages")
    let (rows, width) = (logProbs.shape[0], logProbs.shape[1])
    let a = Tensor(shape: [rows, width], data: advantages.flatMap { Array(repeating: $0, count: width) })
    var logRatio = logProbs - oldLogProbs.detached()
    if settings.importanceSampling == .sequence {
        // s_i = exp(mean_t log ρ_t): the same for every token of a response, gradient through every token.
        let perRow = maskedMean(logRatio, mask: mask, axis: 1).reshaped([rows, 1])
        logRatio = perRow * Tensor.full([rows, width], 1)
    }
    let ratio = exp(logRatio)
    let surrogate = minimum(ratio * a, clamp(ratio, min: 1 - settings.epsilon, max: 1 + settings.epsilonHigh) * a)
    var perToken = -surrogate
    let k3 = KLEstimator.k3.values(logProbs: logProbs, referenceLogProbs: referenceLogProbs.detached())
    if settings.beta != 0 { perToken = perToken + k3 * settings.beta }
    let loss: Tensor
    switch settings.lossType {
    case .grpo: loss = LossAggregation.sequenceMean.reduce(perToken, mask: mask)
    case .dapo: loss = LossAggregation.tokenMean.reduce(perToken, mask: mask)
    case .drGRPO: loss = maskedSum(perToken, mask: mask) * (1 / Float(rows * settings.maxCompletionLength))
    }
    var kept: Float = 0, klSum: Float = 0, low: Float = 0, high: Float = 0
    for i in 0..<mask.count where mask.data[i] != 0 {
        kept += 1
        klSum += k3.data[i]
        if ratio.data[i] < 1 - settings.epsilon && a.data[i] < 0 { low += 1 }
        if ratio.data[i] > 1 + settings.epsilonHigh && a.data[i] > 0 { high += 1 }
    }
    let n = Swift.max(kept, 1)
    return GRPOLoss(loss: loss, kl: klSum / n, clipLow: low / n, clipHigh: high / n)
}
