import XCTest
import TensorCore
@testable import LanguageModel

/// The whole model's backward pass against central finite differences.
final class GPTGradientTests: XCTestCase {
    /// Checks d(Σ_i w_i · logits_i)/dθ for every parameter θ of a one-block GPT, with random
    /// weights w, against (L(θ + h) - L(θ - h)) / 2h computed with two forward passes.
    private func checkAllParameters(_ model: GPT, batch: TokenBatch, file: StaticString = #filePath, line: UInt = #line) {
        var rng = RandomGenerator(seed: 99)
        let logitCount = batch.ids.count * model.config.vocabularySize
        let weights = (0..<logitCount).map { _ in Float(rng.normal()) }
        func loss() -> Double {
            let logits = Autograd.withoutGradients { model.forward(batch) }
            var total = 0.0
            for i in 0..<logits.count { total += Double(logits.data[i]) * Double(weights[i]) }
            return total
        }
        for p in model.parameters { p.zeroGrad() }
        model.forward(batch).backward(seed: weights)
        let step: Float = 1e-2
        var checked = 0
        for p in model.parameters {
            XCTAssertEqual(p.grad.count, p.count, "\(p.name) received no gradient", file: file, line: line)
            guard p.grad.count == p.count else { continue }
            for i in 0..<p.count {
                let original = p.data[i]
                p.data[i] = original + step
                let plus = loss()
                p.data[i] = original - step
                let minus = loss()
                p.data[i] = original
                let numeric = (plus - minus) / (2 * Double(step))
                let analytic = Double(p.grad[i])
                let scale = max(1, abs(numeric), abs(analytic))
                if abs(numeric - analytic) > 2e-2 * scale {
                    XCTFail("\(p.name) \(p.shape) element \(i): analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
                    return
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, model.config.parameterCount, file: file, line: line)
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
