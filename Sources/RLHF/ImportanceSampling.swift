import Foundation

/// Importance weights of samples drawn from one policy (the behaviour policy μ, which
/// generated the data) for estimates about another (the target policy π):
///   w_i = π(y_i | x) / μ(y_i | x) = exp(log π(y_i | x) - log μ(y_i | x)),
/// so that E_{y~μ}[w f(y)] = E_{y~π}[f(y)] for any f. This is what lets off-policy methods
/// (PPO's ratio, every replay of old rollouts) learn from responses the current policy did
/// not write.
///
/// The price is variance. E_μ[w] = 1 but E_μ[w²] = 1 + χ²(π ‖ μ) ≥ exp(KL(π ‖ μ)), and for
/// whole responses log w is a sum over tokens, so the weights grow heavy-tailed quickly as
/// π moves away from μ: a handful of samples carry all the weight. The effective sample
/// size (Kish) says how many equally weighted samples the weighted set is worth:
///   ESS = (Σ w_i)² / Σ w_i²,   1 ≤ ESS ≤ n.
/// If log w is normal under μ, ESS/n → exp(-σ²) with σ² = Var(log w) = 2 KL(μ ‖ π).
public struct ImportanceWeights: Sendable {
    /// log w_i, one per sample.
    public let logWeights: [Double]

    public init(logWeights: [Double]) {
        precondition(!logWeights.isEmpty, "ImportanceWeights: no samples")
        precondition(logWeights.allSatisfy { !$0.isNaN && $0 != .infinity },
                     "ImportanceWeights: log-weights must be numbers below +∞")
        self.logWeights = logWeights
    }

    /// From each sample's log-probability under the target and under the behaviour policy.
    public init(targetLogProbs: [Double], behaviourLogProbs: [Double]) {
        precondition(targetLogProbs.count == behaviourLogProbs.count,
                     "ImportanceWeights: \(targetLogProbs.count) target and \(behaviourLogProbs.count) behaviour log-probs")
        self.init(logWeights: zip(targetLogProbs, behaviourLogProbs).map { $0 - $1 })
    }

    public var count: Int { logWeights.count }

    /// w_i = exp(log w_i); may overflow to +∞ for log w > 709 (use the scale-free
    /// properties below, which do not).
    public var weights: [Double] { logWeights.map { Foundation.exp($0) } }

    /// The weights divided by their largest, in (0, 1]: every ratio of sums is the same.
    var scaledWeights: [Double] {
        let top = logWeights.max()!
        return logWeights.map { Foundation.exp($0 - top) }
    }

    /// (1/n) Σ w_i, which should be near 1 when n is large enough for the estimate to work.
    public var meanWeight: Double { weights.reduce(0, +) / Double(count) }

    /// The sample variance 1/(n-1) Σ (w_i - w̄)² (0 for a single sample).
    public var weightVariance: Double {
        guard count > 1 else { return 0 }
        let w = weights, mean = meanWeight
        return w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)
    }

    /// The variance of the weights relative to their mean, Var(w) / w̄² with the 1/n
    /// normalization, which equals n / ESS - 1: 0 when all weights are equal, at most n - 1
    /// (one weight holds everything). Unlike Var(w) it does not shrink when every weight is
    /// tiny, which is what happens when π puts its mass where μ never samples. For
    /// log-normal weights it tends to exp(σ²) - 1 = exp(2 KL(μ ‖ π)) - 1.
    public var normalizedWeightVariance: Double {
        Double(count) / effectiveSampleSize - 1
    }

    /// Kish's effective sample size (Σ w)² / Σ w², computed on scaled weights so that it
    /// never overflows.
    public var effectiveSampleSize: Double {
        let w = scaledWeights
        let total = w.reduce(0, +)
        return total * total / w.reduce(0) { $0 + $1 * $1 }
    }

    /// The largest normalized weight max_i w_i / Σ w: near 1 means one sample decides.
    public var largestShare: Double { 1 / scaledWeights.reduce(0, +) }

    /// KL(μ ‖ π) estimated from the behaviour samples, mean(-log w) (the k1 estimator of
    /// a whole response).
    public var behaviourToTargetKL: Double { -logWeights.reduce(0, +) / Double(count) }

    /// The ordinary importance-sampling estimate of E_π[f], (1/n) Σ w_i f_i: unbiased, and
    /// as noisy as the weights.
    public func estimate(of values: [Double]) -> Double {
        precondition(values.count == count, "ImportanceWeights: \(values.count) values for \(count) samples")
        return zip(weights, values).reduce(0) { $0 + $1.0 * $1.1 } / Double(count)
    }

    /// The self-normalized estimate Σ w_i f_i / Σ w_i: slightly biased, far less noisy,
    /// always inside the range of the values.
    public func selfNormalizedEstimate(of values: [Double]) -> Double {
        precondition(values.count == count, "ImportanceWeights: \(values.count) values for \(count) samples")
        let w = scaledWeights
        return zip(w, values).reduce(0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)
    }
}
