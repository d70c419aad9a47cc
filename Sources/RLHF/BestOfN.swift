import Foundation

/// Best-of-N sampling (rejection sampling against a reward model): draw N responses from
/// the policy π, keep the one the reward model likes best. It needs no training, and it
/// is the simplest way to optimize a reward, which makes it the cleanest place to watch a
/// learned reward being over-optimized (Gao et al., 2023).

/// The index of the highest reward (the first one on a tie).
public func bestIndex(_ rewards: [Float]) -> Int {
    precondition(!rewards.isEmpty, "bestIndex: no rewards")
    var best = 0
    for i in 1..<rewards.count where rewards[i] > rewards[best] { best = i }
    return best
}

/// The KL divergence from π to the best-of-N policy, as usually quoted (Stiennon et al.,
/// 2020):
///
///     KL(π_bon ‖ π) = log N − (N − 1) / N
///
/// 0 at N = 1, growing like log N: each doubling of N buys about 0.69 nats of
/// optimization. (Beirami et al., 2024 show it is an upper bound, exact when the N
/// responses are distinct with probability one.)
public func bestOfNKL(_ n: Int) -> Double {
    precondition(n >= 1, "bestOfNKL: N must be at least 1, got \(n)")
    return log(Double(n)) - Double(n - 1) / Double(n)
}

/// The expected `values` (say, gold scores) of the best-of-N choice, estimated from K ≥ N
/// samples of one prompt with their `rewards`, without bias and with far less noise than
/// drawing one N-subset: over all C(K, N) subsets, the best is the sample of reward rank i
/// (1 = lowest) in C(i − 1, N − 1) of them, so
///
///     E[value of best of N] = Σ_i C(i − 1, N − 1) / C(K, N) · value_(i).
///
/// N = 1 gives the plain mean; N = K gives the value of the top-reward sample.
public func expectedBestOfN(_ n: Int, rewards: [Float], values: [Double]) -> Double {
    let k = rewards.count
    precondition(values.count == k, "expectedBestOfN: \(k) rewards for \(values.count) values")
    precondition(n >= 1 && n <= k, "expectedBestOfN: N = \(n) needs 1 ≤ N ≤ K = \(k) samples")
    // Ascending reward; a tie goes to the earlier sample, as in `bestIndex`.
    let order = (0..<k).sorted { rewards[$0] != rewards[$1] ? rewards[$0] < rewards[$1] : $0 > $1 }
    var total = 0.0
    for (rank, index) in order.enumerated() where rank + 1 >= n {
        total += exp(logBinomial(rank, n - 1) - logBinomial(k, n)) * values[index]
    }
    return total
}

/// log C(n, k) through lgamma, exact enough for the weights above (n ≤ a few hundred).
func logBinomial(_ n: Int, _ k: Int) -> Double {
    lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
}
