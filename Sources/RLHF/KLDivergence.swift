import Foundation
import TensorCore

/// Estimators of KL(π ‖ π_ref) from tokens sampled from the policy π.
///
/// The exact KL at one position sums over the whole vocabulary; RLHF code only has the
/// sampled token x and its two log-probabilities, log π(x) and log π_ref(x). Write
/// δ = log π(x) - log π_ref(x) (the log-ratio) and r = π_ref(x) / π(x) = e^{-δ}. Then, for
/// x ~ π (Schulman, "Approximating KL divergence", 2020):
///
/// | name | per-token value | unbiased? | always ≥ 0? |
/// |---|---|---|---|
/// | k1 | δ | yes | no: single tokens can be negative |
/// | k2 | ½ δ² | no (biased, low variance) | yes |
/// | k3 | (r - 1) - log r = e^{-δ} - 1 + δ | yes | yes |
/// | abs | \|δ\| | no | yes |
///
/// TRL's PPO trainer calls these "kl", "mse", (GRPO's) k3 and "abs".
public enum KLEstimator: String, CaseIterable, Sendable {
    case k1, k2, k3, abs

    /// The estimator for one token from the two log-probabilities.
    public func value(logProb: Float, referenceLogProb: Float) -> Float {
        value(logRatio: logProb - referenceLogProb)
    }

    /// The estimator for one token from its log-ratio δ = log π(x) − log π_ref(x), in Float
    /// or Double (chapter 06 measures the estimators in Double): the one place the table
    /// above is computed for single tokens.
    public func value<Number: KLScalar>(logRatio delta: Number) -> Number {
        switch self {
        case .k1: return delta
        case .k2: return 0.5 * delta * delta
        case .k3: return Number.exponential(-delta) - 1 + delta
        case .abs: return Swift.abs(delta)
        }
    }

    /// The estimator at every position, differentiable in both inputs (GRPO puts k3 in its
    /// loss; PPO only uses it inside the reward, where it is a constant).
    ///
    /// k3 is computed here as e^{r} − r − 1 with r = log π_ref − log π = −δ: the value of the
    /// table, with the additions in the order GRPO's loss has always made them (Float
    /// addition is not associative, and a change of order changes the last bits of a run).
    public func values(logProbs: Tensor, referenceLogProbs: Tensor) -> Tensor {
        precondition(logProbs.shape == referenceLogProbs.shape,
                     "KL estimator \(rawValue): log-probs \(logProbs.shape) and reference \(referenceLogProbs.shape) differ")
        switch self {
        case .k1: return logProbs - referenceLogProbs
        case .k2: return square(logProbs - referenceLogProbs) * 0.5
        case .k3:
            let r = referenceLogProbs - logProbs
            return exp(r) - r - 1
        case .abs: return TensorCore.abs(logProbs - referenceLogProbs)
        }
    }
}

/// A floating-point type the KL estimators are computed in (Float in the losses, Double
/// in chapter 06's measurements).
public protocol KLScalar: BinaryFloatingPoint {
    /// e^x.
    static func exponential(_ x: Self) -> Self
}

extension Float: KLScalar {
    public static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
}

extension Double: KLScalar {
    public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
}

/// The exact KL(p ‖ q) = Σ_v p_v (log p_v - log q_v) at every position, from two sets of
/// logits [..., V]; affordable here because the vocabulary is small, and the yardstick the
/// sampled estimators are checked against.
public func exactKL(logits: [Float], referenceLogits: [Float], vocabularySize: Int) -> [Float] {
    precondition(logits.count == referenceLogits.count && logits.count % vocabularySize == 0,
                 "exactKL: logits (\(logits.count)) and reference (\(referenceLogits.count)) must hold whole rows of \(vocabularySize)")
    return rowKLDivergences(logits, referenceLogits, width: vocabularySize)
}

/// log softmax of one row of a flat [rows, width] buffer.
func logSoftmaxRow(_ logits: [Float], row: Int, width: Int) -> [Float] {
    let slice = logits[(row * width)..<((row + 1) * width)]
    let lse = logSumExp(slice)
    return slice.map { $0 - lse }
}
