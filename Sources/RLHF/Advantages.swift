/// Turning rewards into the advantages a policy-gradient loss multiplies with.

/// Generalized Advantage Estimation (Schulman et al., 2016) over one response.
///
/// With per-token rewards r_t, value estimates V(s_t) and V = 0 after the last token:
///   δ_t = r_t + γ V(s_{t+1}) - V(s_t)          (the TD error)
///   A_t = δ_t + γλ A_{t+1}                     (computed backwards from the end)
///   returns R_t = A_t + V(s_t)                 (the critic's regression target)
/// λ trades bias for variance: λ = 0 gives the one-step TD error (low variance, biased by
/// the critic), λ = 1 gives the Monte-Carlo return minus the baseline (unbiased, noisy).
/// γ is usually 1 for language: the episode is one short response.
public func generalizedAdvantages(rewards: [Float], values: [Float], gamma: Float, lambda: Float)
    -> (advantages: [Float], returns: [Float]) {
    precondition(rewards.count == values.count,
                 "generalizedAdvantages: \(rewards.count) rewards but \(values.count) values")
    let n = rewards.count
    var advantages = [Float](repeating: 0, count: n)
    var nextAdvantage: Float = 0
    // The next two lines are GAE-λ: the TD error, then the discounted sum of TD errors.
    for t in stride(from: n - 1, through: 0, by: -1) {
        let nextValue: Float = t + 1 < n ? values[t + 1] : 0
        let delta = rewards[t] + gamma * nextValue - values[t]
        nextAdvantage = delta + gamma * lambda * nextAdvantage
        advantages[t] = nextAdvantage
    }
    let returns = zip(advantages, values).map { $0 + $1 }
    return (advantages, returns)
}

/// The reward-to-go G_t = Σ_{k ≥ t} γ^{k-t} r_k of one episode (REINFORCE's weight).
public func discountedReturns(rewards: [Float], gamma: Float) -> [Float] {
    var result = [Float](repeating: 0, count: rewards.count)
    var running: Float = 0
    for t in stride(from: rewards.count - 1, through: 0, by: -1) {
        running = rewards[t] + gamma * running
        result[t] = running
    }
    return result
}

/// GRPO's group-relative advantages (Shao et al., 2024): the G responses sampled for one
/// prompt are scored, and each response's advantage is its reward standardized within its
/// group, Â_i = (r_i - mean(r)) / (std(r) + ε). The group mean is the baseline, so no
/// critic is needed. `rewards` holds consecutive groups of `groupSize`. With
/// `scaleByStandardDeviation: false` only the mean is subtracted (Dr. GRPO's variant, which
/// avoids up-weighting prompts whose responses all score alike).
public func groupRelativeAdvantages(rewards: [Float], groupSize: Int, scaleByStandardDeviation: Bool = true,
                                    epsilon: Float = 1e-4) -> [Float] {
    precondition(groupSize > 0 && rewards.count % groupSize == 0,
                 "groupRelativeAdvantages: \(rewards.count) rewards do not split into groups of \(groupSize)")
    var result = [Float](repeating: 0, count: rewards.count)
    for start in stride(from: 0, to: rewards.count, by: groupSize) {
        let group = rewards[start..<(start + groupSize)]
        let mean = group.reduce(0, +) / Float(groupSize)
        // Sample standard deviation (n - 1), as the reference implementation uses.
        let variance = groupSize > 1
            ? group.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(groupSize - 1) : 0
        let scale = scaleByStandardDeviation ? 1 / (variance.squareRoot() + epsilon) : 1
        for i in 0..<groupSize { result[start + i] = (rewards[start + i] - mean) * scale }
    }
    return result
}

/// Leave-one-out baseline for REINFORCE with several samples per prompt: each sample's
/// baseline is the mean reward of the *other* samples of its group, so the baseline does
/// not depend on the sample itself and the gradient stays unbiased (RLOO).
public func leaveOneOutAdvantages(rewards: [Float], groupSize: Int) -> [Float] {
    precondition(groupSize > 1 && rewards.count % groupSize == 0,
                 "leaveOneOutAdvantages: \(rewards.count) rewards do not split into groups of \(groupSize) > 1")
    var result = [Float](repeating: 0, count: rewards.count)
    for start in stride(from: 0, to: rewards.count, by: groupSize) {
        let total = rewards[start..<(start + groupSize)].reduce(0, +)
        for i in start..<(start + groupSize) {
            result[i] = rewards[i] - (total - rewards[i]) / Float(groupSize - 1)
        }
    }
    return result
}
