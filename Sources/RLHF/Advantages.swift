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

/// GAE over a whole experience batch in the [B, R] layout of `RolloutBatch`: each row's
/// response is `generalizedAdvantages` of its own tokens (the mask gives its length), and
/// the padding stays 0 in both results.
///
/// The value of the state after the last token is 0. For a response that ended with
/// end-of-text that is exact: the episode is over. For one cut at the length limit it is
/// a choice, "truncation is terminal": the critic is not asked what the rest would have
/// been worth, the reward model's score of the cut answer stands for the whole episode, and
/// a truncation penalty (see `KLPenalizedRewards`) can make the cut count against it.
public func generalizedAdvantages(rewards: [Float], values: [Float], mask: [Float], width: Int,
                                  gamma: Float, lambda: Float) -> (advantages: [Float], returns: [Float]) {
    precondition(rewards.count == values.count && rewards.count == mask.count && width > 0 && rewards.count % width == 0,
                 "generalizedAdvantages: rewards \(rewards.count), values \(values.count), mask \(mask.count) in rows of \(width)")
    var advantages = [Float](repeating: 0, count: rewards.count)
    var returns = [Float](repeating: 0, count: rewards.count)
    for start in stride(from: 0, to: rewards.count, by: width) {
        let length = (0..<width).filter { mask[start + $0] != 0 }.count
        precondition((0..<length).allSatisfy { mask[start + $0] != 0 },
                     "generalizedAdvantages: a row's mask must keep a prefix of the row")
        let row = generalizedAdvantages(rewards: Array(rewards[start..<(start + length)]),
                                        values: Array(values[start..<(start + length)]), gamma: gamma, lambda: lambda)
        for j in 0..<length {
            advantages[start + j] = row.advantages[j]
            returns[start + j] = row.returns[j]
        }
    }
    return (advantages, returns)
}

/// Whitening over the kept positions: (x − mean) / std (sample std, plus 1e-8), computed
/// over every kept entry of the batch together, with padded positions left at exactly 0.
/// The numbers are constants: advantages carry no gradient into the policy loss.
/// With `shiftMean: false` the mean is added back (only the scale changes).
public func maskedWhiten(_ values: [Float], mask: [Float], shiftMean: Bool = true) -> [Float] {
    precondition(values.count == mask.count, "maskedWhiten: \(values.count) values for a mask of \(mask.count)")
    let kept = zip(values, mask).filter { $0.1 != 0 }.map { Double($0.0) }
    guard kept.count > 1 else { return zip(values, mask).map { $1 != 0 ? $0 : 0 } }
    let mean = kept.reduce(0, +) / Double(kept.count)
    let variance = kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(kept.count - 1)
    let scale = 1 / (variance + 1e-8).squareRoot()
    return zip(values, mask).map { value, m in
        guard m != 0 else { return 0 }
        let centred = (Double(value) - mean) * scale
        return Float(shiftMean ? centred : centred + mean)
    }
}

/// The share of the returns' variance a critic explains, over the kept positions:
///   EV = 1 − Var(R − V) / Var(R)
/// (Var over every kept entry of the batch together, population variance). EV = 1: the
/// critic predicts every return; EV = 0: it does no better than one constant for all;
/// EV < 0: it does worse than that constant, and GAE's advantages R − V carry its errors on
/// top of the returns' own spread. Logged by PPO trainers as val/var_explained (TRL) or
/// explained_variance (baselines, Stable-Baselines3). 0 when the returns do not vary.
public func explainedVariance(values: [Float], returns: [Float], mask: [Float]) -> Double {
    precondition(values.count == returns.count && values.count == mask.count,
                 "explainedVariance: \(values.count) values, \(returns.count) returns, mask of \(mask.count)")
    let kept = mask.indices.filter { mask[$0] != 0 }
    guard !kept.isEmpty else { return 0 }
    func variance(_ x: [Double]) -> Double {
        let m = x.reduce(0, +) / Double(x.count)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)
    }
    let target = variance(kept.map { Double(returns[$0]) })
    guard target > 0 else { return 0 }
    return 1 - variance(kept.map { Double(returns[$0] - values[$0]) }) / target
}
