import XCTest
import LanguageModel
import RLHF
import TensorCore
import World
@testable import Course

/// The evaluation on a tiny random GPT: the right prompts, KL 0 where the policy is the
/// reference, KL > 0 where it is not, and the same numbers twice.
final class HeldOutEvaluationTests: XCTestCase {
    static let world = SyntheticWorld(seed: 0)
    static let tokenizer = BytePairTokenizer.train(
        texts: world.heldOutDemonstrations.prefix(60).map { ChatFormat.text(prompt: $0.prompt.text, response: $0.response) },
        vocabularySize: 300, specialTokens: ["<|endoftext|>"])

    func tinyPolicy() -> SFTPolicy {
        let config = GPTConfig(vocabularySize: Self.tokenizer.vocabularySize, contextLength: 96, layerCount: 1, headCount: 2,
                               modelWidth: 16, endOfTextTokenId: Self.tokenizer.endOfText)
        var rng = RandomGenerator(seed: 1)
        let model = GPT(config: config, rng: &rng)
        let sft = LoRAAdapter(config: LoRAConfig(rank: 2, alpha: 4, dropout: 0), for: config, rng: &rng)
        return SFTPolicy(tokenizer: Self.tokenizer, model: model, sftAdapter: sft,
                         config: LoRAConfig(rank: 2, alpha: 4, dropout: 0), rng: &rng)
    }

    func evaluator() -> HeldOutEvaluation {
        HeldOutEvaluation(world: Self.world, tokenizer: Self.tokenizer, rewardModel: nil, chapter: "99-test", quick: true, seed: 4)
    }

    func testQuickRunsUseTheRunningExamplesFirstAndHeldOutPromptsOnly() {
        let e = evaluator()
        XCTAssertEqual(e.prompts.count, HeldOutEvaluation.quickPromptCount)
        XCTAssertEqual(e.prompts.first?.text, "Explain quantum computing to a 10-year-old")
        let held = Set(Self.world.heldOutPrompts)
        XCTAssertTrue(e.prompts.allSatisfy(held.contains))
        let full = HeldOutEvaluation(world: SyntheticWorld(seed: 9), tokenizer: Self.tokenizer, rewardModel: nil,
                                     chapter: "99", quick: false, seed: 0)
        XCTAssertEqual(Set(full.prompts), held, "every held-out prompt, whatever the seed")
    }

    func testTheReferenceHasNoKLAndAnUntrainedAdapterNoneToSpeakOf() {
        let policy = tinyPolicy()
        let e = evaluator()
        let sft = e.evaluate("SFT", policy: .sft(policy.model))
        XCTAssertEqual(sft.klSource, .reference)
        XCTAssertEqual(sft.summary().klExact, 0)
        let fresh = e.evaluate("fresh", policy: .adapter(on: policy.model), against: sft)
        XCTAssertEqual(fresh.klSource, .measured)
        for answer in fresh.answers {
            XCTAssertEqual(answer.klExact!, 0, accuracy: 1e-4)
            XCTAssertEqual(answer.klSampled!, 0, accuracy: 1e-3)
        }
        XCTAssertEqual(fresh.answers.map(\.response), sft.answers.map(\.response), "B = 0: the same policy, the same draws")
        XCTAssertEqual(fresh.summary(against: sft).goldGain, 0)
        XCTAssertTrue(fresh.answers.allSatisfy { $0.panelWin != nil })
    }

    func testAMovedPolicyHasPositiveExactKLAndTheSameNumbersTwice() {
        let policy = tinyPolicy()
        var rng = RandomGenerator(seed: 2)
        for p in policy.adapter.parameters { p.data = p.data.map { _ in Float(rng.normal()) } }
        let e = evaluator()
        let first = e.evaluate("moved", policy: .adapter(on: policy.model))
        XCTAssertTrue(first.answers.allSatisfy { $0.tokens == 0 || $0.klExact! > 0 })
        XCTAssertGreaterThan(first.summary().klExact!, 0.01)
        XCTAssertEqual(first, e.evaluate("moved", policy: .adapter(on: policy.model)))
    }
}
