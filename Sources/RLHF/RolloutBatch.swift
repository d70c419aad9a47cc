import LanguageModel
import TensorCore

/// Prompts and responses laid out so that every per-token quantity of RL lines up in one
/// [B, R] grid: each prompt is padded on the left to P tokens and each response on the
/// right to R tokens, so response token j of every row sits in column P + j.
///
///     row b:  [pad … pad | prompt_b | y_b0 y_b1 … y_b(n_b−1) | pad … pad]
///              columns 0 ..< P        P ..< P + n_b
///
/// The state before response token j is everything up to column P + j − 1, so the logits
/// that score y_bj, and the critic's value V(s_bj) of that state, are read at column
/// P + j − 1: the same column for every row. Log-probs, values, rewards, advantages and
/// the response mask all share that layout, entry (b, j) meaning "token j of response b"
/// (for values: the state just before it). The classic PPO off-by-one, values read one
/// column late (at the token instead of before it), cannot happen: both come from columns
/// P − 1 ..< P − 1 + R of the same forward pass.
///
/// Position ids count real tokens only, so a row computes exactly what it would alone.
public struct RolloutBatch: Sendable {
    /// The [B, P + R] batch with its attention mask and position ids.
    public let tokens: TokenBatch
    /// P: the longest prompt; R: the longest response.
    public let promptLength: Int, responseLength: Int
    /// [B·R]: 1 for a real response token, 0 for padding.
    public let responseMask: [Float]
    /// The responses' tokens (unpadded), for gathering their log-probs.
    public let responses: [[Int]]

    public var rows: Int { tokens.batch }

    public init(prompts: [[Int]], responses: [[Int]], padTokenId: Int = 0) {
        precondition(!prompts.isEmpty && prompts.count == responses.count,
                     "RolloutBatch: \(prompts.count) prompts for \(responses.count) responses")
        precondition(prompts.allSatisfy { !$0.isEmpty }, "RolloutBatch: every prompt needs at least one token")
        let p = prompts.map(\.count).max()!, r = max(responses.map(\.count).max()!, 1)
        let time = p + r, rows = prompts.count
        var ids = [Int](repeating: padTokenId, count: rows * time)
        var attention = [Float](repeating: 0, count: rows * time)
        var positions = [Int](repeating: 0, count: rows * time)
        var mask = [Float](repeating: 0, count: rows * r)
        for b in 0..<rows {
            let start = p - prompts[b].count
            for (i, id) in (prompts[b] + responses[b]).enumerated() {
                ids[b * time + start + i] = id
                attention[b * time + start + i] = 1
                positions[b * time + start + i] = i
            }
            for j in 0..<responses[b].count { mask[b * r + j] = 1 }
        }
        self.tokens = TokenBatch(ids: ids, batch: rows, time: time, attentionMask: attention, positionIds: positions)
        self.promptLength = p
        self.responseLength = r
        self.responseMask = mask
        self.responses = responses
    }

    /// The rollouts' prompts and responses.
    public init(_ rollouts: [Rollout], padTokenId: Int = 0) {
        self.init(prompts: rollouts.map(\.promptTokens), responses: rollouts.map(\.responseTokens), padTokenId: padTokenId)
    }

    /// The response mask as a [B, R] tensor.
    public var maskTensor: Tensor { Tensor(shape: [rows, responseLength], data: responseMask) }

    /// Next-token targets for columns P − 1 ..< P − 1 + R: row b's response tokens, padded
    /// with a valid id (its log-prob is masked out).
    var targets: [Int] {
        var result = [Int](repeating: 0, count: rows * responseLength)
        for (b, response) in responses.enumerated() {
            for (j, id) in response.enumerated() { result[b * responseLength + j] = id }
        }
        return result
    }

    /// Columns P − 1 ..< P − 1 + R of a [B, P + R, ...] tensor: the states before each
    /// response token.
    public func responseStates(_ x: Tensor) -> Tensor {
        x.slice(axis: 1, (promptLength - 1)..<(promptLength - 1 + responseLength))
    }
}

/// What one forward pass of the policy gives the RL losses, all [B, R] in the layout of
/// `RolloutBatch`.
public struct PolicyForward {
    /// log π(y_j | s_j), differentiable when computed with gradients on.
    public let logProbs: Tensor
    /// The next-token logits at the response states [B, R, V] (for entropy and exact KL).
    public let logits: Tensor
    /// The response mask [B, R].
    public let mask: Tensor

    /// H(π(·|s_j)) = −Σ_v π log π at each response state [B, R].
    public var entropy: Tensor { RLHF.entropy(logits: logits) }
}

extension GPT {
    /// One forward pass over a rollout batch: the log-probs of the response tokens and the
    /// logits of the states they were drawn in.
    ///
    /// The LM head runs over all P + R columns and the R response columns are sliced after
    /// it. Slicing the hidden states first would skip the prompt's logits (a 2-3% faster
    /// PPO iteration in `Bench rl`), but it changes the last bits of some logits: OpenBLAS's
    /// sgemm can give a row different last bits in a product with a different number of
    /// rows (its Zen kernel: 0.3% of the entries of a 1024-row product differ from the same
    /// rows of a 1408-row one), so the committed runs would no longer reproduce.
    public func policyForward(_ batch: RolloutBatch) -> PolicyForward {
        let logits = batch.responseStates(forward(batch.tokens))                  // [B, R, V]
        let logProbs = tokenLogProbs(logits, targets: batch.targets)            // [B, R]
        return PolicyForward(logProbs: logProbs, logits: logits, mask: batch.maskTensor)
    }
}

extension ScalarModel {
    /// V(s_j) for the state before each response token [B, R]: the critic's values, read at
    /// the same columns as the policy's logits.
    public func stateValues(_ batch: RolloutBatch) -> Tensor {
        batch.responseStates(values(batch.tokens))
    }
}
