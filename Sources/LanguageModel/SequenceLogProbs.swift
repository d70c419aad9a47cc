import TensorCore

/// log π(y_t | x, y_<t) for every response token of a padded batch: the quantity that
/// every RLHF loss is built from (policy-gradient ratios, KL to the reference, DPO's
/// implicit reward).
public struct SequenceLogProbs {
    /// [B, T-1]: entry t is log p(token_{t+1} | tokens_≤t). Differentiable when computed
    /// with gradients on.
    public let logProbs: Tensor
    /// [B, T-1]: 1 where token t+1 is a real response token, 0 for prompt and padding.
    public let mask: Tensor

    /// Σ_t log p over each row's response tokens, [B]: log π(y | x) of the whole response.
    public var sequenceSums: Tensor { maskedSum(logProbs, mask: mask, axis: 1) }

    /// Each row's response log-probs as plain numbers, padding removed.
    public func responseValues(ofRow b: Int) -> [Float] {
        let width = logProbs.shape[1]
        return (0..<width).filter { mask.data[b * width + $0] != 0 }.map { logProbs.data[b * width + $0] }
    }
}

extension GPT {
    /// Log-probs of each token given everything before it, for the positions `responseMask`
    /// marks ([B·T], 1 on response tokens), in a padded batch (left or right).
    ///
    /// The log-softmax and the gather are one fused op on the [B, T, V] logits, with
    /// position t's target the token at t+1; the last column is dropped afterwards.
    public func sequenceLogProbs(_ batch: TokenBatch, responseMask: [Float]) -> SequenceLogProbs {
        let (rows, time) = (batch.batch, batch.time)
        precondition(time >= 2, "sequenceLogProbs needs at least two tokens per row")
        precondition(responseMask.count == rows * time, "sequenceLogProbs: response mask needs \(rows * time) entries")
        var targets = [Int](repeating: 0, count: rows * time)
        var mask = [Float](repeating: 0, count: rows * (time - 1))
        for b in 0..<rows {
            for t in 0..<(time - 1) {
                let next = b * time + t + 1
                targets[b * time + t] = batch.ids[next]
                let real = batch.attentionMask?[next] ?? 1
                mask[b * (time - 1) + t] = responseMask[next] * real
            }
        }
        let all = tokenLogProbs(forward(batch), targets: targets)   // [B, T]
        return SequenceLogProbs(logProbs: all.slice(axis: 1, 0..<(time - 1)),
                                mask: Tensor(shape: [rows, time - 1], data: mask))
    }

    /// Log-probs of `responses[b]` following `prompts[b]`, rows padded on `padding`'s side.
    public func sequenceLogProbs(prompts: [[Int]], responses: [[Int]], padding: TokenBatch.Padding = .right) -> SequenceLogProbs {
        let (batch, responseMask) = Self.promptResponseBatch(prompts: prompts, responses: responses, padding: padding)
        return sequenceLogProbs(batch, responseMask: responseMask)
    }

    /// Concatenates prompt and response rows into a padded batch, with the mask that
    /// marks response tokens.
    public static func promptResponseBatch(prompts: [[Int]], responses: [[Int]],
                                           padding: TokenBatch.Padding = .right) -> (TokenBatch, [Float]) {
        precondition(prompts.count == responses.count, "\(prompts.count) prompts but \(responses.count) responses")
        let rows = zip(prompts, responses).map { $0 + $1 }
        let batch = TokenBatch(rows: rows, padding: padding)
        var responseMask = [Float](repeating: 0, count: batch.ids.count)
        for (b, (prompt, response)) in zip(prompts, responses).enumerated() {
            let start = (padding == .left ? batch.time - rows[b].count : 0) + prompt.count
            for t in start..<(start + response.count) { responseMask[b * batch.time + t] = 1 }
        }
        return (batch, responseMask)
    }
}
