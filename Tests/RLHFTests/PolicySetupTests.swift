import XCTest
import LanguageModel
import TensorCore
@testable import RLHF

final class PolicySetupTests: XCTestCase {
    /// After merging a trained SFT adapter and attaching a fresh one, the policy, and the
    /// reference (fresh adapter off), both compute exactly what the SFT model computed;
    /// once the fresh adapter moves, the policy differs and the reference does not.
    func testPolicyAndReferenceStartAsTheSFTModel() {
        var rng = RandomGenerator(seed: 5)
        let config = GPTConfig(vocabularySize: 13, contextLength: 8, layerCount: 2, headCount: 2, modelWidth: 8)
        let model = GPT(config: config, rng: &rng)
        let sft = LoRAAdapter(config: LoRAConfig(rank: 2, alpha: 4, dropout: 0), for: config, rng: &rng)
        for p in sft.parameters { p.data = p.data.indices.map { _ in Float(rng.normal()) * 0.3 } }
        let batch = TokenBatch(ids: [1, 4, 2, 7, 3, 3, 9, 0], batch: 2, time: 4)
        model.adapter = sft
        let sftLogits = Autograd.withoutGradients { model.forward(batch) }.data
        let baseLogits = Autograd.withoutGradients { model.withAdapterDisabled { model.forward(batch) } }.data
        XCTAssertGreaterThan(zip(sftLogits, baseLogits).map { abs($0 - $1) }.max()!, 1e-3, "the SFT adapter must matter")

        let policy = SFTPolicy(tokenizer: BytePairTokenizer(merges: [], specialTokens: ["<|endoftext|>"]), model: model,
                               sftAdapter: sft, config: LoRAConfig(rank: 2, alpha: 4, dropout: 0), rng: &rng)
        let policyLogits = Autograd.withoutGradients { policy.model.forward(batch) }.data
        let referenceLogits = Autograd.withoutGradients { policy.model.withAdapterDisabled { policy.model.forward(batch) } }.data
        for (a, b) in zip(policyLogits, sftLogits) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        for (a, b) in zip(referenceLogits, sftLogits) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        XCTAssertEqual(Set(policy.model.trainableParameters.map(ObjectIdentifier.init)),
                       Set(policy.adapter.parameters.map(ObjectIdentifier.init)))

        for p in policy.adapter.parameters { p.data = p.data.map { $0 + 0.5 } }
        let movedLogits = Autograd.withoutGradients { policy.model.forward(batch) }.data
        let referenceAfter = Autograd.withoutGradients { policy.model.withAdapterDisabled { policy.model.forward(batch) } }.data
        XCTAssertGreaterThan(zip(movedLogits, sftLogits).map { abs($0 - $1) }.max()!, 1e-3)
        for (a, b) in zip(referenceAfter, sftLogits) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }
}
