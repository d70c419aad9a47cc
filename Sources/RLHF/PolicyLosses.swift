import TensorCore

/// The policy-gradient losses, each returning its diagnostics beside the loss (as Spinning
/// Up's `compute_loss_pi` does), so training loops can log what the update did.

/// REINFORCE (Williams, 1992) on whole responses: the score-function estimator
///   ∇J = E[ Â · ∇ log π(y | x) ],   log π(y | x) = Σ_t log π(y_t | x, y_<t),
/// as a loss to minimize: L = -mean_i( Â_i · Σ_t mask_t log π_t ).
/// Â is the reward, or the reward minus a baseline; it is a constant here.
/// Shapes: logProbs and mask [B, T]; advantages one per row.
public func reinforceLoss(logProbs: Tensor, mask: Tensor, advantages: [Float]) -> Tensor {
    precondition(logProbs.rank == 2 && logProbs.shape == mask.shape && advantages.count == logProbs.shape[0],
                 "reinforceLoss: log-probs \(logProbs.shape), mask \(mask.shape) and \(advantages.count) advantages do not fit")
    let sequenceLogProbs = maskedSum(logProbs, mask: mask, axis: 1)            // [B]
    let weights = Tensor(shape: [advantages.count], data: advantages)
    return -mean(sequenceLogProbs * weights)
}

/// How per-token losses become one number.
public enum LossAggregation: String, Sendable, CaseIterable {
    /// Σ over every kept token of the batch / number of kept tokens: each token counts the
    /// same, so long responses weigh more (TRL's PPO; DAPO's "token-level" loss).
    case tokenMean = "token mean"
    /// The mean over each response's tokens, then over responses: each response counts the
    /// same, so a token of a short response weighs more (the original GRPO).
    case sequenceMean = "sequence mean"

    public func reduce(_ x: Tensor, mask: Tensor) -> Tensor {
        switch self {
        case .tokenMean: return maskedMean(x, mask: mask)
        case .sequenceMean: return mean(maskedMean(x, mask: mask, axis: 1))
        }
    }
}

/// What one PPO policy loss evaluation says about the update (TRL's names in brackets).
public struct ClippedPolicyLoss {
    /// L^CLIP to minimize.
    public let loss: Tensor
    /// Share of kept tokens where the clipped term was the active one [policy/clipfrac].
    public let clipFraction: Float
    /// ½ mean (log π − log π_old)², a cheap KL(π_old ‖ π) estimate [policy/approxkl].
    public let approximateKL: Float
    /// Mean and variance of the probability ratio π / π_old over kept tokens [val/ratio, val/ratio_var].
    public let meanRatio: Float
    public let ratioVariance: Float
}

/// PPO's clipped surrogate (Schulman et al., 2017), per token:
///   ρ_t = π(a_t|s_t) / π_old(a_t|s_t) = exp(log π − log π_old)
///   L_t = max(−Â_t ρ_t, −Â_t clip(ρ_t, 1 − ε, 1 + ε))
/// (the max of the negated terms is the min of PPO's objective), reduced over the mask by
/// `aggregation`. Clipping removes the incentive to move ρ outside [1 − ε, 1 + ε] in the
/// direction the advantage pushes, which keeps each update close to the policy that
/// sampled the data. ε (`clipRange`) is usually 0.1-0.3; TRL's default is 0.2.
public func clippedPolicyLoss(logProbs: Tensor, oldLogProbs: Tensor, advantages: Tensor, mask: Tensor,
                              clipRange: Float, aggregation: LossAggregation = .tokenMean) -> ClippedPolicyLoss {
    precondition(logProbs.shape == oldLogProbs.shape && logProbs.shape == advantages.shape && logProbs.shape == mask.shape,
                 "clippedPolicyLoss: shapes \(logProbs.shape), \(oldLogProbs.shape), \(advantages.shape), \(mask.shape) differ")
    let logRatio = logProbs - oldLogProbs.detached()
    let ratio = exp(logRatio)
    let a = advantages.detached()
    let unclipped = -a * ratio
    let clipped = -a * clamp(ratio, min: 1 - clipRange, max: 1 + clipRange)
    let loss = aggregation.reduce(maximum(unclipped, clipped), mask: mask)
    var clippedCount: Float = 0, kept: Float = 0, klSum: Float = 0, ratioSum: Float = 0, ratioSquares: Float = 0
    for i in 0..<mask.count where mask.data[i] != 0 {
        kept += 1
        if clipped.data[i] > unclipped.data[i] { clippedCount += 1 }
        klSum += 0.5 * logRatio.data[i] * logRatio.data[i]
        ratioSum += ratio.data[i]
        ratioSquares += ratio.data[i] * ratio.data[i]
    }
    let n = Swift.max(kept, 1)
    let meanRatio = ratioSum / n
    return ClippedPolicyLoss(loss: loss, clipFraction: clippedCount / n, approximateKL: klSum / n, meanRatio: meanRatio,
                             ratioVariance: Swift.max(ratioSquares / n - meanRatio * meanRatio, 0))
}

/// PPO's clipped value loss (as in OpenAI's baselines and TRL):
///   V_clip = V_old + clip(V − V_old, −ε_v, ε_v)
///   L_V = ½ mean_t max((V − R)², (V_clip − R)²)
/// where R are the GAE returns. Clipping keeps the critic from jumping far from the values
/// the advantages were computed with. Returns the loss and the share of kept tokens where
/// the clip changed the value and its loss was the one kept [val/clipfrac]. Inside the
/// range V_clip is V itself (not V_old + (V − V_old), which can differ from V by a rounding
/// step and would count clipping that did not happen).
public func clippedValueLoss(values: Tensor, oldValues: Tensor, returns: Tensor, mask: Tensor,
                             clipRange: Float, aggregation: LossAggregation = .tokenMean) -> (loss: Tensor, clipFraction: Float) {
    precondition(values.shape == oldValues.shape && values.shape == returns.shape && values.shape == mask.shape,
                 "clippedValueLoss: shapes \(values.shape), \(oldValues.shape), \(returns.shape), \(mask.shape) differ")
    let old = oldValues.detached(), target = returns.detached()
    let outside = zip(values.data, old.data).map { Swift.abs($0 - $1) > clipRange ? Float(1) : 0 }
    let outsideMask = Tensor(shape: values.shape, data: outside)
    let clampedValues = old + clamp(values - old, min: -clipRange, max: clipRange)
    let clippedValues = clampedValues * outsideMask + values * (1 - outsideMask)
    let lossUnclipped = square(values - target)
    let lossClipped = square(clippedValues - target)
    let loss = aggregation.reduce(maximum(lossUnclipped, lossClipped), mask: mask) * 0.5
    var clippedCount: Float = 0, kept: Float = 0
    for i in 0..<mask.count where mask.data[i] != 0 {
        kept += 1
        if outside[i] != 0 && lossClipped.data[i] > lossUnclipped.data[i] { clippedCount += 1 }
    }
    return (loss, clippedCount / Swift.max(kept, 1))
}

/// Entropy of the next-token distribution at every position, H = -Σ_v p_v log p_v, from
/// logits [..., V] to [...]. An entropy bonus (-c · H in the loss) slows the collapse of
/// the policy onto a few phrasings.
public func entropy(logits: Tensor) -> Tensor {
    let logP = logSoftmax(logits)
    return -sum(exp(logP) * logP, axis: -1)
}
