import TensorCore

/// The training-time forward pass: differentiable, built from the core's fused ops (one
/// GEMM per projection over all B·T rows, fused attention, fused log-softmax).
extension GPT {
    /// The final hidden states h = LayerNorm_f(x_L) [B, T, d]: what the LM head reads,
    /// and what a scalar head (reward model, PPO critic) reads instead.
    public func hiddenStates(_ batch: TokenBatch) -> Tensor {
        precondition(batch.time <= config.contextLength,
                     "GPT: a sequence of \(batch.time) tokens is longer than the context of \(config.contextLength)")
        let shape = [batch.batch, batch.time]
        var x = embedding(weight(tokenEmbedding), ids: batch.ids, shape: shape)
        let positions = batch.resolvedPositionIds
        var rotary: RotaryAngles?
        switch config.positionEncoding {
        case .learned: x = x + embedding(weight(positionEmbedding!), ids: positions, shape: shape)
        case .rotary: rotary = RotaryAngles(headWidth: config.headWidth, positions: positions)
        }
        let keyMask = batch.attentionMask
        for block in blocks {
            x = block.forward(x, model: self, keyMask: keyMask, rotary: rotary)
        }
        return layerNorm(x, gamma: weight(finalNorm.gain), beta: weight(finalNorm.shift),
                         epsilon: Float(config.layerNormEpsilon))
    }

    /// Next-token logits [B, T, V]: logits[b, t] scores the token after position t.
    /// The LM head is the token embedding itself: logits = h · wteᵀ, one GEMM with B·T rows.
    public func forward(_ batch: TokenBatch) -> Tensor {
        logits(fromHidden: hiddenStates(batch))
    }

    /// The tied LM head applied to hidden states [..., d] -> [..., V].
    public func logits(fromHidden hidden: Tensor) -> Tensor {
        matmul(hidden, weight(tokenEmbedding), transposeB: true)
    }

    /// Mean cross-entropy −(1/N) Σ log p(target_t | tokens_≤t) over the positions whose
    /// target is not `ignoreIndex` (prompt and padding positions in SFT).
    /// `targets` has one entry per token of `batch` ([B·T]), usually the ids shifted left.
    public func loss(_ batch: TokenBatch, targets: [Int], ignoreIndex: Int = -100) -> Tensor {
        precondition(targets.count == batch.ids.count, "GPT.loss: \(targets.count) targets for \(batch.ids.count) tokens")
        return crossEntropy(forward(batch), targets: targets, ignoreIndex: ignoreIndex)
    }

    /// Language-model loss of `batch` rows of `time` tokens each (no padding).
    public func loss(ids: [Int], targets: [Int], batch: Int, time: Int, ignoreIndex: Int = -100) -> Tensor {
        loss(TokenBatch(ids: ids, batch: batch, time: time), targets: targets, ignoreIndex: ignoreIndex)
    }
}
