import TensorCore

/// One pre-LayerNorm transformer block of GPT-2 (`transformer.h.<l>`):
///
///     x = x + c_proj(attention(c_attn(ln_1(x))))         attention sub-layer
///     x = x + mlp.c_proj(gelu(mlp.c_fc(ln_2(x))))        feed-forward sub-layer, width 4d
///
/// `c_attn` [d, 3d] produces queries, keys and values in one product, laid out
/// [q | k | v]; attention is causal, with H heads of width D = d / H. Normalizing before
/// each sub-layer (rather than after, as in the 2017 transformer) leaves the residual
/// stream an identity path from the embeddings to the output, which keeps deep stacks
/// trainable without warmup tricks.
public struct TransformerBlock {
    public let index: Int
    public let norm1: LayerNormWeights
    /// `attn.c_attn`: [d, 3d] and [3d], the fused query, key and value projection.
    public let attentionWeight: Tensor
    public let attentionBias: Tensor
    /// `attn.c_proj`: [d, d] and [d], mixes the heads' outputs back into the stream.
    public let attentionProjectionWeight: Tensor
    public let attentionProjectionBias: Tensor
    public let norm2: LayerNormWeights
    /// `mlp.c_fc`: [d, 4d] and [4d].
    public let expandWeight: Tensor
    public let expandBias: Tensor
    /// `mlp.c_proj`: [4d, d] and [d].
    public let contractWeight: Tensor
    public let contractBias: Tensor

    public var parameters: [Tensor] {
        norm1.parameters + [attentionWeight, attentionBias, attentionProjectionWeight, attentionProjectionBias]
            + norm2.parameters + [expandWeight, expandBias, contractWeight, contractBias]
    }

    /// x [B, T, d] -> [B, T, d]. `keyMask` ([B·T], 1 real, 0 padding) hides padded keys.
    /// `rotary` holds the angles of every row's position when the model's positions are
    /// rotary: q and k are turned by them before attention.
    func forward(_ x: Tensor, model: GPT, keyMask: [Float]?, rotary: RotaryAngles? = nil) -> Tensor {
        let w = model.weight
        let epsilon = Float(model.config.layerNormEpsilon)
        let lora = model.activeAdapter?.layers[index]

        let a = layerNorm(x, gamma: w(norm1.gain), beta: w(norm1.shift), epsilon: epsilon)
        var qkv = linear(a, weight: w(attentionWeight), bias: w(attentionBias))
        if let lora { qkv = lora.addAttentionDelta(to: qkv, input: a) }
        if let rotary { qkv = rotaryPositions(qkv, heads: model.config.headCount, angles: rotary) }
        let heads = causalSelfAttention(qkv, heads: model.config.headCount, keyMask: keyMask)
        var projected = linear(heads, weight: w(attentionProjectionWeight), bias: w(attentionProjectionBias))
        if let lora { projected = lora.addDelta(.attentionOutput, to: projected, input: heads) }
        let afterAttention = x + projected

        let m = layerNorm(afterAttention, gamma: w(norm2.gain), beta: w(norm2.shift), epsilon: epsilon)
        var expanded = linear(m, weight: w(expandWeight), bias: w(expandBias))
        if let lora { expanded = lora.addDelta(.mlpInput, to: expanded, input: m) }
        let activated = gelu(expanded)
        var contracted = linear(activated, weight: w(contractWeight), bias: w(contractBias))
        if let lora { contracted = lora.addDelta(.mlpOutput, to: contracted, input: activated) }
        return afterAttention + contracted
    }
}
