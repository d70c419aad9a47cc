extension KLEstimator {
    /// The estimate of KL(π ‖ π_ref) between whole responses from one response y ~ π:
    /// the sum of the per-token estimates over its tokens. KL between sequence
    /// distributions is the sum over positions of the per-position KLs (chain rule), so the
    /// sum of unbiased per-token estimates (k1, k3) is unbiased for it.
    public func sequenceValue(logProbs: [Float], referenceLogProbs: [Float]) -> Float {
        precondition(logProbs.count == referenceLogProbs.count,
                     "KL estimator \(rawValue): \(logProbs.count) log-probs but \(referenceLogProbs.count) reference log-probs")
        var total: Float = 0
        for (p, q) in zip(logProbs, referenceLogProbs) { total += value(logProb: p, referenceLogProb: q) }
        return total
    }
}
