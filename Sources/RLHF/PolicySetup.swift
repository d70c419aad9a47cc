import Foundation
import LanguageModel
import TensorCore

/// The starting point of every chapter after SFT: the SFT model's weights (chapter 02
/// trains every weight; an SFT adapter, where one is used, is folded into the weights), so
/// the network *is* the SFT model, plus a fresh LoRA adapter for the new training on top.
///
/// This makes the reference policy free: with the fresh adapter switched off
/// (`model.withAdapterDisabled { ... }`) the network computes π_SFT exactly, and since
/// the fresh adapter's B starts at zero, the policy starts equal to the reference, KL = 0.
public struct SFTPolicy {
    public let tokenizer: BytePairTokenizer
    /// The policy network: SFT weights, frozen, plus `adapter`.
    public let model: GPT
    /// The adapter RL trains (its A and B are the only trainable tensors).
    public let adapter: LoRAAdapter
    /// The fresh adapter's weights as drawn (A random, B zero), for `resetAdapter`.
    let initialAdapterWeights: WeightSnapshot

    /// From a pretrained model and an SFT adapter: merges the adapter for good, and attaches
    /// a fresh one built with `config` (by default the seed's r = 16, α = 32, on q and v).
    public init(tokenizer: BytePairTokenizer, model: GPT, sftAdapter: LoRAAdapter, config: LoRAConfig = LoRAConfig(),
                rng: inout RandomGenerator) {
        model.adapter = sftAdapter
        sftAdapter.merge(into: model)
        self.init(tokenizer: tokenizer, model: model, config: config, rng: &rng)
    }

    /// From a model whose weights are already the SFT model's (chapter 02 trains every
    /// weight): attaches a fresh adapter built with `config`.
    public init(tokenizer: BytePairTokenizer, model: GPT, config: LoRAConfig = LoRAConfig(), rng: inout RandomGenerator) {
        let fresh = LoRAAdapter(config: config, for: model.config, rng: &rng)
        model.adapter = fresh
        self.tokenizer = tokenizer
        self.model = model
        self.adapter = fresh
        self.initialAdapterWeights = WeightSnapshot(of: fresh.parameters)
    }

    /// Puts the fresh adapter back as it was drawn, A included, so that every run of a
    /// comparison starts from exactly the same point (zeroing B alone gives the same policy
    /// but a different gradient, since ∂(AB)/∂B depends on A).
    public func resetAdapter() {
        initialAdapterWeights.restore(into: adapter.parameters)
    }
}
