import Foundation
import TensorCore

/// A GPT-2-style decoder-only transformer (Radford et al., 2019), in the shape of
/// nanoGPT's `GPT`: token and position embeddings, a stack of pre-LayerNorm blocks, a
/// final LayerNorm, and an LM head tied to the token embedding.
///
///     x₀ = wte[ids] + wpe[positions]                       [B, T, d]
///          (wte[ids] alone with rotary positions, which act inside attention)
///     x_{l+1} = block_l(x_l)                               (see `TransformerBlock`)
///     h = LayerNorm_f(x_L)                                 [B, T, d]
///     logits = h · wteᵀ                                    [B, T, V]
///
/// Every weight is a `Tensor` named as in Hugging Face's `GPT2LMHeadModel`
/// (`transformer.h.0.attn.c_attn.weight`, ...), stored in GPT-2's Conv1D layout
/// [in, out], so that checkpoints map one-to-one onto GPT-2's.
public final class GPT {
    public let config: GPTConfig
    /// Token embedding `transformer.wte.weight` [V, d]; also the LM head (tied weights).
    public let tokenEmbedding: Tensor
    /// Learned position embedding `transformer.wpe.weight` [T, d]; nil with rotary positions.
    public let positionEmbedding: Tensor?
    public let blocks: [TransformerBlock]
    /// Final LayerNorm `transformer.ln_f`.
    public let finalNorm: LayerNormWeights

    /// A LoRA adapter applied on top of the base weights (nil: the base model alone).
    /// Attaching one freezes the base weights; detaching unfreezes them.
    public var adapter: LoRAAdapter? {
        didSet {
            if let adapter { precondition(adapter.matches(config), "this LoRA adapter was built for another model shape") }
            baseIsFrozen = adapter != nil
        }
    }
    /// When true, the base weights enter the graph as constants: no gradient reaches them
    /// and backward skips their weight-gradient products (LoRA fine-tuning, where only the
    /// adapter trains). The same buffers are used; nothing is copied.
    public var baseIsFrozen = false
    /// True inside `withAdapterDisabled`: the forward pass ignores the adapter.
    public internal(set) var adapterIsDisabled = false

    /// A model with GPT-2's initialization: every weight matrix and both embeddings drawn
    /// from N(0, σ²) with σ = `config.initializerRange` (0.02), except the two projections
    /// that write into the residual stream (`attn.c_proj`, `mlp.c_proj`), whose σ is
    /// divided by √(2L): each block adds two such terms to the residual stream, and the
    /// scaling keeps its variance from growing with depth. Biases start at 0, LayerNorm
    /// gains at 1.
    public init(config: GPTConfig, rng: inout RandomGenerator) {
        precondition((try? config.validate()) != nil, "GPT: invalid config \(config)")
        self.config = config
        let d = config.modelWidth
        let sigma = Float(config.initializerRange)
        let residualSigma = sigma / Float(2 * config.layerCount).squareRoot()
        func normal(_ shape: [Int], _ std: Float, _ name: String) -> Tensor {
            Tensor(parameter: Tensor.randomNormal(shape, std: std, using: &rng).data, shape: shape, name: name)
        }
        tokenEmbedding = normal([config.vocabularySize, d], sigma, "transformer.wte.weight")
        positionEmbedding = config.positionEncoding == .learned
            ? normal([config.contextLength, d], sigma, "transformer.wpe.weight") : nil
        var blocks: [TransformerBlock] = []
        for l in 0..<config.layerCount {
            let prefix = "transformer.h.\(l)."
            blocks.append(TransformerBlock(
                index: l,
                norm1: LayerNormWeights(width: d, name: prefix + "ln_1"),
                attentionWeight: normal([d, 3 * d], sigma, prefix + "attn.c_attn.weight"),
                attentionBias: .zeroParameter([3 * d], prefix + "attn.c_attn.bias"),
                attentionProjectionWeight: normal([d, d], residualSigma, prefix + "attn.c_proj.weight"),
                attentionProjectionBias: .zeroParameter([d], prefix + "attn.c_proj.bias"),
                norm2: LayerNormWeights(width: d, name: prefix + "ln_2"),
                expandWeight: normal([d, 4 * d], sigma, prefix + "mlp.c_fc.weight"),
                expandBias: .zeroParameter([4 * d], prefix + "mlp.c_fc.bias"),
                contractWeight: normal([4 * d, d], residualSigma, prefix + "mlp.c_proj.weight"),
                contractBias: .zeroParameter([d], prefix + "mlp.c_proj.bias")))
        }
        self.blocks = blocks
        finalNorm = LayerNormWeights(width: d, name: "transformer.ln_f")
    }

    /// Every base weight, in GPT-2's order: wte, wpe (learned positions only), each block's
    /// ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj (weight before bias), then ln_f.
    public var parameters: [Tensor] {
        [tokenEmbedding] + [positionEmbedding].compactMap { $0 } + blocks.flatMap(\.parameters) + finalNorm.parameters
    }

    /// The parameters an optimizer should update: the adapter's when one is attached and
    /// the base is frozen, otherwise the base weights.
    public var trainableParameters: [Tensor] {
        if baseIsFrozen { return adapter?.parameters ?? [] }
        return parameters
    }

    /// Runs `body` with the adapter switched off, so the model is its frozen base: in
    /// RLHF this is the reference policy π_ref, at no cost in extra weights. A merged
    /// adapter is taken out of the weights for the duration (bit-exactly) and put back.
    public func withAdapterDisabled<T>(_ body: () throws -> T) rethrows -> T {
        let previous = adapterIsDisabled
        adapterIsDisabled = true
        let restore = adapter?.temporarilyRestoreBase(of: self)
        defer {
            restore?()
            adapterIsDisabled = previous
        }
        return try body()
    }

    /// The adapter the forward pass applies now: nil when none is attached, when it is
    /// disabled, or when it is merged into the weights already.
    var activeAdapter: LoRAAdapter? {
        guard let adapter, !adapterIsDisabled, !adapter.isMerged else { return nil }
        return adapter
    }

    /// A base weight as the graph should see it: itself, or a constant sharing its buffer
    /// when the base is frozen.
    @inline(__always) func weight(_ tensor: Tensor) -> Tensor {
        baseIsFrozen ? Tensor(shape: tensor.shape, data: tensor.data) : tensor
    }
}

/// The gain γ and shift β of one LayerNorm (`.weight` and `.bias` in GPT-2's names).
public struct LayerNormWeights {
    public let gain: Tensor
    public let shift: Tensor

    init(width: Int, name: String) {
        gain = Tensor(parameter: [Float](repeating: 1, count: width), shape: [width], name: name + ".weight")
        shift = .zeroParameter([width], name + ".bias")
    }

    public var parameters: [Tensor] { [gain, shift] }
}

extension Tensor {
    /// A trainable tensor of zeros.
    static func zeroParameter(_ shape: [Int], _ name: String) -> Tensor {
        Tensor(parameter: [Float](repeating: 0, count: shape.elementCount), shape: shape, name: name)
    }
}
