import Foundation
import LanguageModel
import TensorCore

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

/// log Σ_v exp(x_v) of one row, summed in Double after subtracting the maximum: the one
/// log-sum-exp of RLHF's measurements (the sampled log-ratios below, `logSoftmaxRow`).
/// The autodiff ops (TensorCore's softmax kernel) and the sampler (LanguageModel's
/// `TokenSampler`, in Float with the temperature folded in) keep their own, whose bits
/// the recorded runs depend on.
func logSumExp(_ x: ArraySlice<Float>) -> Float {
    let m = x.max() ?? 0
    var total: Double = 0
    for v in x { total += Double(Foundation.exp(v - m)) }
    return m + Float(Foundation.log(total))
}

/// The KL between a policy and a reference on the states of sampled responses, token by
/// token, in two forms:
///
/// - `exact[b][i]` = KL(π(·|s) ‖ π_ref(·|s)) = Σ_v π(v|s) (log π(v|s) − log π_ref(v|s)), over
///   the whole vocabulary, at the state before response token i of row b;
/// - `logRatio[b][i]` = log π(y_i|s) − log π_ref(y_i|s) for the token actually sampled (the
///   k1 estimate of the same quantity).
///
/// When the responses were sampled from π, both sum over a response to unbiased estimates
/// of the sequence KL(π ‖ π_ref) (chain rule); the exact form has less variance, because
/// it averages over the next token instead of using the one that was drawn.
public struct ResponseKL: Sendable {
    public let exact: [[Float]]
    public let logRatio: [[Float]]

    /// Σ_i over each response: (exact, sampled) sequence KLs.
    public var sequenceTotals: [(exact: Double, sampled: Double)] {
        zip(exact, logRatio).map { e, r in (e.reduce(0) { $0 + Double($1) }, r.reduce(0) { $0 + Double($1) }) }
    }

    /// From the logits [B, T, V] of the policy and of the reference on the same padded batch
    /// of prompt + response rows, and the mask that marks the response tokens ([B·T]).
    /// Position t's logits predict token t + 1, so response token t is scored at t − 1.
    public init(policyLogits: [Float], referenceLogits: [Float], batch: TokenBatch, responseMask: [Float],
                vocabularySize V: Int) {
        let (rows, time) = (batch.batch, batch.time)
        precondition(policyLogits.count == rows * time * V && referenceLogits.count == policyLogits.count
                     && responseMask.count == rows * time,
                     "ResponseKL: logits (\(policyLogits.count), \(referenceLogits.count)) and mask (\(responseMask.count)) do not fit [\(rows), \(time), \(V)]")
        // The kept states' rows, gathered, then one vectorized pass for the exact KL.
        var rowsOf: [[Int]] = [], policyRows: [Float] = [], referenceRows: [Float] = []
        for b in 0..<rows {
            var kept: [Int] = []
            for t in 1..<time where responseMask[b * time + t] != 0 {
                let row = b * time + t - 1
                kept.append(t)
                policyRows += policyLogits[(row * V)..<((row + 1) * V)]
                referenceRows += referenceLogits[(row * V)..<((row + 1) * V)]
            }
            rowsOf.append(kept)
        }
        let kl = rowKLDivergences(policyRows, referenceRows, width: V)
        var exact: [[Float]] = [], logRatio: [[Float]] = []
        var k = 0
        for b in 0..<rows {
            var e: [Float] = [], r: [Float] = []
            for t in rowsOf[b] {
                let row = b * time + t - 1, token = batch.ids[b * time + t]
                e.append(kl[k])
                let p = policyLogits[(row * V)..<((row + 1) * V)], q = referenceLogits[(row * V)..<((row + 1) * V)]
                r.append((policyLogits[row * V + token] - logSumExp(p)) - (referenceLogits[row * V + token] - logSumExp(q)))
                k += 1
            }
            exact.append(e)
            logRatio.append(r)
        }
        self.exact = exact
        self.logRatio = logRatio
    }
}
