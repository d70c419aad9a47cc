import RLHF

/// A policy against another method's frontier at the policy's own KL to SFT.
///
/// Two methods are compared fairly only at the same distance from SFT: a policy further
/// away can score higher (or lower) for that reason alone. A sweep gives a method a few
/// points (KL, gold); between two of them the frontier is read off linearly in KL. With
/// the policy at KL k and the sweep's runs a and b bracketing it (k_a ≤ k ≤ k_b),
///
///     t = (k − k_a) / (k_b − k_a),     frontier_p = (1 − t) gold_a,p + t gold_b,p
///
/// for each held-out prompt p, and the paired difference d_p = gold_p − frontier_p has mean
/// `gain` and standard error sd(d) / √n over the n prompts all three answered. Interpolating
/// prompt by prompt gives the interpolated mean and keeps the pairing that makes the error
/// small. The KLs are means over the same prompts, taken as exact (their own standard error
/// is not carried into t). Outside the frontier's range of KLs there is nothing to compare
/// with: no extrapolation.
public struct MatchedKLComparison: Sendable {
    /// The policy's mean KL to SFT (exact, nats per answer) and mean gold on the shared prompts.
    public let kl: Double, gold: Double
    /// The frontier's runs that bracket `kl`, their KLs, and t.
    public let lower: String, upper: String
    public let lowerKL: Double, upperKL: Double, weight: Double
    /// The frontier's interpolated mean gold at `kl`, on the shared prompts.
    public let frontierGold: Double
    /// Mean of gold − frontier over the shared prompts, and its standard error.
    public let gain: Double, standardError: Double
    /// The prompts all three evaluations answered.
    public let prompts: Int
}

extension PolicyEvaluation {
    /// This policy against `frontier` (the other method's sweep, and the SFT baseline as its
    /// point at KL 0, if wanted) at this policy's KL; nil when its KL is outside the
    /// frontier's range, or a point has no measured KL.
    public func atMatchedKL(on frontier: [PolicyEvaluation]) -> MatchedKLComparison? {
        guard let kl = summary().klExact else { return nil }
        let points = frontier.compactMap { e in e.summary().klExact.map { (evaluation: e, kl: $0) } }.sorted { $0.kl < $1.kl }
        guard let upperIndex = points.firstIndex(where: { $0.kl >= kl }) else { return nil }
        let lowerIndex = points[upperIndex].kl == kl ? upperIndex : upperIndex - 1
        guard lowerIndex >= 0 else { return nil }
        let (a, b) = (points[lowerIndex], points[upperIndex])
        let t = b.kl > a.kl ? (kl - a.kl) / (b.kl - a.kl) : 0
        let goldA = Dictionary(a.evaluation.answers.map { ($0.prompt, $0.gold) }, uniquingKeysWith: { x, _ in x })
        let goldB = Dictionary(b.evaluation.answers.map { ($0.prompt, $0.gold) }, uniquingKeysWith: { x, _ in x })
        var mine: [Double] = [], theirs: [Double] = []
        for answer in answers {
            guard let ga = goldA[answer.prompt], let gb = goldB[answer.prompt] else { continue }
            mine.append(answer.gold)
            theirs.append((1 - t) * ga + t * gb)
        }
        guard !mine.isEmpty else { return nil }
        let differences = zip(mine, theirs).map { $0 - $1 }
        return MatchedKLComparison(kl: kl, gold: mean(mine), lower: a.evaluation.policy, upper: b.evaluation.policy,
                                   lowerKL: a.kl, upperKL: b.kl, weight: t, frontierGold: mean(theirs),
                                   gain: mean(differences), standardError: standardError(differences), prompts: mine.count)
    }
}
