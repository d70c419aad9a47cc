import TensorCore
import TestSupport
import XCTest
@testable import LanguageModel

/// The whole model's backward pass against central finite differences.
final class GPTGradientTests: XCTestCase {
    /// Checks d(Σ_i w_i · logits_i)/dθ for every parameter θ of a one-block GPT, with random
    /// weights w, against (L(θ + h) - L(θ - h)) / 2h computed with two forward passes.
    private func checkAllParameters(_ model: GPT, batch: TokenBatch, file: StaticString = #filePath, line: UInt = #line) {
        // Every weight is checked: all of them must take part in the graph.
        XCTAssertTrue(model.parameters.allSatisfy(\.requiresGrad), file: file, line: line)
        XCTAssertEqual(model.parameters.map(\.count).reduce(0, +), model.config.parameterCount, file: file, line: line)
        GradientCheck.check(model.parameters, tolerance: 2e-2, seed: 99, file: file, line: line) { _ in model.forward(batch) }
    }

    func testEveryParameterOfAOneBlockGPTMatchesFiniteDifferences() {
        let model = ModelFixtures.model(ModelFixtures.tiny)
        let rows = ModelFixtures.randomRows(lengths: [5, 5], vocabulary: 11, seed: 3)
        checkAllParameters(model, batch: TokenBatch(rows: rows))
    }

    func testGradientsWithLeftPaddingMatchFiniteDifferences() {
        let model = ModelFixtures.model(ModelFixtures.tiny, seed: 2)
        let rows = ModelFixtures.randomRows(lengths: [5, 3], vocabulary: 11, seed: 4)
        checkAllParameters(model, batch: TokenBatch(rows: rows, padding: .left))
    }

    func testRotaryGPTMatchesFiniteDifferencesWithLeftPadding() {
        var config = ModelFixtures.tiny
        config.positionEncoding = .rotary
        let model = ModelFixtures.model(config, seed: 3)
        XCTAssertNil(model.positionEmbedding, "rotary positions have no table")
        let rows = ModelFixtures.randomRows(lengths: [5, 3], vocabulary: 11, seed: 5)
        checkAllParameters(model, batch: TokenBatch(rows: rows, padding: .left))
    }

    func testParametersHaveGPT2NamesShapesAndCount() {
        var rng = RandomGenerator(seed: 0)
        let config = GPTConfig.small
        let model = GPT(config: config, rng: &rng)
        XCTAssertEqual(model.parameters.reduce(0) { $0 + $1.count }, config.parameterCount)
        // (512 + 128)·128 + 4·(12·128² + 13·128) + 2·128, worked out by hand.
        XCTAssertEqual(config.parameterCount, 875_264)
        let names = model.parameters.map(\.name)
        XCTAssertEqual(Array(names.prefix(8)), [
            "transformer.wte.weight", "transformer.wpe.weight",
            "transformer.h.0.ln_1.weight", "transformer.h.0.ln_1.bias",
            "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_attn.bias",
            "transformer.h.0.attn.c_proj.weight", "transformer.h.0.attn.c_proj.bias"])
        XCTAssertEqual(names.last, "transformer.ln_f.bias")
        XCTAssertEqual(Set(names).count, names.count)
        let byName = Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0) })
        XCTAssertEqual(byName["transformer.h.3.mlp.c_fc.weight"]?.shape, [128, 512])
        XCTAssertEqual(byName["transformer.h.3.mlp.c_proj.weight"]?.shape, [512, 128])
        XCTAssertEqual(byName["transformer.h.0.attn.c_attn.weight"]?.shape, [128, 384])
    }

    /// GPT-2's initialization: σ 0.02, residual projections σ 0.02/√(2L), zero biases.
    func testInitializationFollowsGPT2() {
        var rng = RandomGenerator(seed: 5)
        let model = GPT(config: .medium, rng: &rng)
        func std(_ t: Tensor) -> Double {
            let n = Double(t.count)
            let mean = t.data.reduce(0.0) { $0 + Double($1) } / n
            return (t.data.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n).squareRoot()
        }
        let block = model.blocks[2]
        XCTAssertEqual(std(model.tokenEmbedding), 0.02, accuracy: 0.0005)
        XCTAssertEqual(std(block.expandWeight), 0.02, accuracy: 0.0005)
        XCTAssertEqual(std(block.contractWeight), 0.02 / (12.0).squareRoot(), accuracy: 0.0003)
        XCTAssertEqual(std(block.attentionProjectionWeight), 0.02 / (12.0).squareRoot(), accuracy: 0.0003)
        XCTAssertTrue(block.attentionBias.data.allSatisfy { $0 == 0 })
        XCTAssertTrue(block.norm1.gain.data.allSatisfy { $0 == 1 })
    }
}
