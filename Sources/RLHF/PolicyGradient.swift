import LanguageModel
import TensorCore

/// The pieces of the vanilla policy gradient that are worth measuring on their own: the
/// baseline, the per-sample score-function gradients, and the spread of the estimates.
///
/// The policy-gradient theorem for a response y to a prompt x with a reward R(x, y) given
/// at the end says
///   ∇_θ J(θ) = E_{y ~ π_θ}[ (R(x, y) - b(x)) ∇_θ log π_θ(y | x) ],
///   ∇_θ log π_θ(y | x) = Σ_t ∇_θ log π_θ(y_t | x, y_<t),
/// for any baseline b that does not depend on y, because E_y[∇ log π(y|x)] = ∇ Σ_y π(y|x)
/// = ∇ 1 = 0. The baseline changes the variance of the estimate, never its mean.

/// Which baseline b REINFORCE subtracts from the reward: the advantage is Â_i = R_i - b_i.
public enum PolicyGradientBaseline: String, CaseIterable, Sendable {
    /// b = 0: Williams' REINFORCE as first written. Every sample pushes its response up in
    /// proportion to its raw reward, so the noise grows with the reward's distance from 0.
    case none = "no baseline"
    /// b = the mean reward of the whole batch. It contains the sample itself, which biases
    /// the gradient by a factor (1 - 1/N) on that sample's term: negligible for N = 32.
    case batchMean = "batch-mean baseline"
    /// b_i = the mean reward of the other samples for the same prompt (RLOO, Ahmadian et
    /// al., 2024): unbiased, and specific to the prompt, so easy prompts do not look good
    /// merely for being easy.
    case leaveOneOut = "leave-one-out baseline"

    /// Advantages for `rewards` laid out as consecutive groups of `groupSize` samples per
    /// prompt (the layout `sampleRollouts` gives when each prompt is repeated).
    public func advantages(rewards: [Float], groupSize: Int) -> [Float] {
        precondition(groupSize > 0 && rewards.count % groupSize == 0,
                     "\(rawValue): \(rewards.count) rewards do not split into groups of \(groupSize)")
        switch self {
        case .none:
            return rewards
        case .batchMean:
            let mean = rewards.reduce(0, +) / Float(max(rewards.count, 1))
            return rewards.map { $0 - mean }
        case .leaveOneOut:
            return leaveOneOutAdvantages(rewards: rewards, groupSize: groupSize)
        }
    }
}

/// The score-function gradient g_i = ∇_θ log π_θ(y_i | x_i) of each rollout's response,
/// flattened over `parameters` (in their order), one backward pass per rollout.
///
/// A policy-gradient estimate over any batch is then the linear combination
/// ĝ = (1/N) Σ_i Â_i g_i, so these vectors let a chapter measure the noise of different
/// baselines on exactly the same samples. `parameters` must be the model's trainable
/// tensors; their gradients are left empty afterwards.
public func scoreFunctionGradients(of rollouts: [Rollout], under model: GPT, parameters: [Tensor]) -> [[Float]] {
    let theta = ParameterVector(parameters)
    var result: [[Float]] = []
    result.reserveCapacity(rollouts.count)
    for rollout in rollouts {
        theta.zeroGradients()
        sum(responseLogProbs(of: [rollout], under: model).sequenceSums).backward()   // ∇ log π(y | x)
        result.append(theta.gradients())
    }
    theta.zeroGradients()
    return result
}

/// How noisy a policy-gradient estimator is: the spread of its per-sample estimates
/// e_i = Â_i g_i around their mean.
public struct GradientSpread: Sendable, Equatable {
    /// Samples the spread was measured on.
    public let sampleCount: Int
    /// ‖ē‖, the length of the mean estimate: the signal.
    public let meanNorm: Double
    /// tr Cov(e) = 1/(n-1) Σ_i ‖e_i - ē‖²: the total variance of one sample's estimate,
    /// summed over all parameters. A batch of N independent samples has 1/N of it.
    public let totalVariance: Double

    /// Total variance of the mean over a batch of `batchSize` independent samples.
    public func batchVariance(batchSize: Int) -> Double { totalVariance / Double(batchSize) }
}

/// The spread of e_i = advantages[i] · scoreGradients[i] (see ``scoreFunctionGradients(of:under:parameters:)``).
public func gradientSpread(scoreGradients: [[Float]], advantages: [Float]) -> GradientSpread {
    precondition(scoreGradients.count == advantages.count && scoreGradients.count > 1,
                 "gradientSpread: \(scoreGradients.count) gradients and \(advantages.count) advantages (need 2 or more of each)")
    let n = scoreGradients.count
    let width = scoreGradients[0].count
    precondition(scoreGradients.allSatisfy { $0.count == width }, "gradientSpread: gradients of different lengths")
    var mean = [Double](repeating: 0, count: width)
    for (g, a) in zip(scoreGradients, advantages) {
        g.withUnsafeBufferPointer { g in
            for j in 0..<width { mean[j] += Double(a) * Double(g[j]) }
        }
    }
    for j in 0..<width { mean[j] /= Double(n) }
    var squaredDeviation = 0.0
    for (g, a) in zip(scoreGradients, advantages) {
        g.withUnsafeBufferPointer { g in
            for j in 0..<width {
                let d = Double(a) * Double(g[j]) - mean[j]
                squaredDeviation += d * d
            }
        }
    }
    let meanNorm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return GradientSpread(sampleCount: n, meanNorm: meanNorm, totalVariance: squaredDeviation / Double(n - 1))
}
