import XCTest
import TensorCore
@testable import LanguageModel

/// The end-to-end sanity check of training: a small model memorizes one sequence.
final class OverfitTests: XCTestCase {
    func testATinyModelMemorizesA64TokenSequence() {
        let config = GPTConfig(vocabularySize: 16, contextLength: 64, layerCount: 2, headCount: 2, modelWidth: 32)
        var rng = RandomGenerator(seed: 42)
        let model = GPT(config: config, rng: &rng)
        let sequence = (0..<65).map { _ in rng.int(below: 16) }
        let inputs = Array(sequence.prefix(64)), targets = Array(sequence.dropFirst())
        let optimizer = AdamW(groups: ParameterGroup.standard(model.parameters, weightDecay: 0), learningRate: 1e-2)
        var loss: Float = .infinity
        var steps = 0
        while steps < 300 && loss >= 0.01 {
            optimizer.zeroGrad()
            let l = model.loss(ids: inputs, targets: targets, batch: 1, time: 64)
            l.backward()
            optimizer.update()
            loss = l.item
            steps += 1
        }
        XCTAssertLessThan(loss, 0.01, "loss \(loss) after \(steps) steps")
        // The memorized sequence comes back under greedy decoding.
        let generated = model.generate(prompt: Array(inputs.prefix(8)),
                                       settings: GenerationSettings(maxNewTokens: 20, sampling: .greedy, stopToken: -1), rng: &rng)
        XCTAssertEqual(generated.tokens, Array(sequence[8..<28]))
    }
}
