import Foundation
import XCTest
import LanguageModel
import TensorCore
@testable import RLHF

/// TRPO's pieces: the Fisher-vector product against an explicitly built Fisher matrix,
/// conjugate gradient against a direct solve, the step size and the line search.
final class TRPOTests: XCTestCase {
    /// A tiny policy whose adapter has moved (B ≠ 0), and a batch of two responses.
    func tinyPolicy() -> (model: GPT, theta: ParameterVector, batch: RolloutBatch) {
        var rng = RandomGenerator(seed: 21)
        let config = GPTConfig(vocabularySize: 12, contextLength: 16, layerCount: 1, headCount: 2, modelWidth: 8)
        let model = GPT(config: config, rng: &rng)
        let adapter = LoRAAdapter(config: LoRAConfig(rank: 2, alpha: 4, dropout: 0), for: config, rng: &rng)
        for p in adapter.parameters { p.data = p.data.map { $0 + 0.3 * Float(rng.normal()) } }
        model.adapter = adapter
        let batch = RolloutBatch(prompts: [[1, 2], [3]], responses: [[4, 5, 6], [7, 8]])
        return (model, ParameterVector(adapter.parameters), batch)
    }

    /// F = (1/N) Σ_s J_sᵀ (diag p_s − p_s p_sᵀ) J_s with every row of J_s from its own
    /// backward pass: n × n, n the adapter's size.
    func explicitFisher(_ model: GPT, _ theta: ParameterVector, _ batch: RolloutBatch) -> [[Double]] {
        let V = model.config.vocabularySize, n = theta.count
        let states = (0..<(batch.rows * batch.responseLength)).filter { batch.responseMask[$0] != 0 }
        var fisher = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        let logits0 = Autograd.withoutGradients { model.policyForward(batch).logits.data }
        for s in states {
            let p = softmaxRow(logits0, row: s, width: V).map(Double.init)
            var jacobian: [[Double]] = []
            for v in 0..<V {
                theta.zeroGradients()
                let logits = model.policyForward(batch).logits
                var pick = [Float](repeating: 0, count: logits.count)
                pick[s * V + v] = 1
                sum(logits * Tensor(shape: logits.shape, data: pick)).backward()
                jacobian.append(theta.gradients().map(Double.init))
            }
            for a in 0..<V {
                for b in 0..<V {
                    let m = (a == b ? p[a] : 0) - p[a] * p[b]
                    guard m != 0 else { continue }
                    for i in 0..<n where jacobian[a][i] != 0 {
                        let left = m * jacobian[a][i] / Double(states.count)
                        for j in 0..<n { fisher[i][j] += left * jacobian[b][j] }
                    }
                }
            }
        }
        theta.zeroGradients()
        return fisher
    }

    func testFisherVectorProductMatchesTheExplicitFisherAndIsSymmetricPSD() {
        let (model, theta, batch) = tinyPolicy()
        let fisher = explicitFisher(model, theta, batch)
        let product = FisherVectorProduct(model: model, parameters: theta, batch: batch, damping: 0)
        var rng = RandomGenerator(seed: 4)
        let before = theta.values()
        var vectors: [[Float]] = []
        for _ in 0..<3 {
            let v = (0..<theta.count).map { _ in Float(rng.normal()) }
            vectors.append(v)
            let fv = product(v)
            let exact = fisher.map { row in zip(row, v).reduce(0) { $0 + $1.0 * Double($1.1) } }
            let error = zip(fv, exact).reduce(0) { $0 + (Double($1.0) - $1.1) * (Double($1.0) - $1.1) }.squareRoot()
            let size = exact.reduce(0) { $0 + $1 * $1 }.squareRoot()
            // Measured here: relative errors of 1.1e-5 to 1.9e-5 in float32 with the default step.
            XCTAssertLessThan(error / size, 1e-4, "relative error of F v")
            XCTAssertGreaterThanOrEqual(dot(v, fv), 0, "vᵀ F v ≥ 0")
        }
        let (u, v) = (vectors[0], vectors[1])
        let uFv = dot(u, product(v)), vFu = dot(v, product(u))
        XCTAssertEqual(uFv, vFu, accuracy: 2e-3 * max(abs(uFv), abs(vFu)), "uᵀ F v = vᵀ F u")
        XCTAssertEqual(theta.values(), before, "the product leaves the parameters as they were")
        let damped = FisherVectorProduct(model: model, parameters: theta, batch: batch, damping: 0.1)
        for (x, y) in zip(damped(u), axpy(0.1, u, product(u))) { XCTAssertEqual(x, y, accuracy: 1e-4) }
        XCTAssertEqual(damped.undamped(u), product(u), "undamped: F v, whatever λ")
        XCTAssertEqual(product.stateCount, 5)
    }

    /// A random SPD system A = MᵀM + I (n = 20): n iterations solve it; the residuals are
    /// reported from ‖b‖ down.
    func testConjugateGradientSolvesAnSPDSystem() {
        var rng = RandomGenerator(seed: 8)
        let n = 20
        let m = (0..<n).map { _ in (0..<n).map { _ in rng.normal() } }
        var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n { for j in 0..<n { a[i][j] = (0..<n).reduce(0) { $0 + m[$1][i] * m[$1][j] } + (i == j ? 1 : 0) } }
        let b = (0..<n).map { _ in Float(rng.normal()) }
        func multiply(_ x: [Float]) -> [Float] { a.map { row in Float(zip(row, x).reduce(0) { $0 + $1.0 * Double($1.1) }) } }
        let result = conjugateGradient(multiply, b, iterations: 3 * n, tolerance: 1e-6)
        XCTAssertEqual(result.residualNorms[0], norm(b), accuracy: 1e-9)
        let residual = norm(axpy(-1, multiply(result.solution), b))
        XCTAssertLessThan(residual / norm(b), 1e-4)
        // Against a direct solve (Gaussian elimination in double precision).
        var augmented = a.enumerated().map { $1 + [Double(b[$0])] }
        for col in 0..<n {
            let pivot = (col..<n).max { abs(augmented[$0][col]) < abs(augmented[$1][col]) }!
            augmented.swapAt(col, pivot)
            for row in 0..<n where row != col {
                let f = augmented[row][col] / augmented[col][col]
                for k in col...n { augmented[row][k] -= f * augmented[col][k] }
            }
        }
        let direct = (0..<n).map { augmented[$0][n] / augmented[$0][$0] }
        for (x, y) in zip(result.solution, direct) { XCTAssertEqual(Double(x), y, accuracy: 1e-3 * max(1, abs(y))) }
        // Ten iterations already cut the residual, as TRPO relies on.
        let ten = conjugateGradient(multiply, b, iterations: 10)
        XCTAssertEqual(ten.residualNorms.count, 11)
        XCTAssertLessThan(ten.residualNorms.last!, ten.residualNorms[0])
    }

    /// With F = diag(2, 8), g = (1, 1), x = F⁻¹ g = (0.5, 0.125): xᵀ F x = 0.625, so for
    /// δ = 0.01 the step is β x with β = √(0.02 / 0.625) and ½ (βx)ᵀ F (βx) = δ.
    func testNaturalGradientStepMeetsTheQuadraticKLLimit() {
        let x: [Float] = [0.5, 0.125], fx: [Float] = [1, 1]
        let (step, gain) = naturalGradientStep(gradient: [1, 1], direction: x, fisherDirection: fx, maxKL: 0.01)
        let beta = (0.02 / 0.625).squareRoot()
        XCTAssertEqual(Double(step[0]), 0.5 * beta, accuracy: 1e-7)
        let quadratic = 0.5 * (2 * Double(step[0] * step[0]) + 8 * Double(step[1] * step[1]))
        XCTAssertEqual(quadratic, 0.01, accuracy: 1e-8)
        XCTAssertEqual(gain, beta * 0.625, accuracy: 1e-7)
    }

    /// F = diag(2, 8), λ = 0.5, g = (1, 1), δ = 0.01. CG solves the damped system:
    /// x = (F + λI)⁻¹ g = (1/2.5, 1/8.5) = (0.4, 0.117647). The KL's own curvature is
    /// xᵀFx = 2 · 0.16 + 8 · 0.0138408 = 0.430727; the damped one is xᵀ(F + λI)x = gᵀx
    /// = 0.517647. Sized with F: β = √(0.02 / 0.430727) = 0.215483, quadratic KL exactly δ,
    /// predicted gain β gᵀx = 0.111544. Sized with F + λI, the quadratic KL would be
    /// δ · 0.430727 / 0.517647 = 0.0083209: the step the damping shortens.
    func testNaturalGradientStepIsSizedWithTheUndampedFisher() {
        let damping: Float = 0.5
        let x: [Float] = [1 / 2.5, 1 / 8.5]
        let fx: [Float] = [2 * x[0], 8 * x[1]], dampedFx = axpy(damping, x, fx)
        XCTAssertEqual(dot(x, fx), 0.430727, accuracy: 1e-6)
        XCTAssertEqual(dot(x, dampedFx), 0.517647, accuracy: 1e-6)
        func quadraticKL(_ step: [Float]) -> Double { 0.5 * (2 * Double(step[0] * step[0]) + 8 * Double(step[1] * step[1])) }
        let (step, gain) = naturalGradientStep(gradient: [1, 1], direction: x, fisherDirection: fx, maxKL: 0.01)
        XCTAssertEqual(Double(step[0]), 0.215483 * 0.4, accuracy: 1e-6)
        XCTAssertEqual(quadraticKL(step), 0.01, accuracy: 1e-8)
        XCTAssertEqual(gain, 0.111544, accuracy: 1e-6)
        let (shortened, _) = naturalGradientStep(gradient: [1, 1], direction: x, fisherDirection: dampedFx, maxKL: 0.01)
        XCTAssertEqual(quadraticKL(shortened), 0.0083209, accuracy: 1e-7)
    }

    /// The step above, on a policy whose real KL is k times the quadratic model's, and the
    /// line search (shrink 0.8, so each backtrack multiplies a quadratic KL by 0.64):
    /// k = 0.9: the full step, KL 0.009, no backtrack;
    /// k = 1.5: 0.015 refused, then 0.8 of the step, KL 0.015 · 0.64 = 0.0096;
    /// k = 3: 0.03, 0.0192, 0.012288 refused, then 0.512 of it, KL 0.03 · 0.262144 = 0.0078643.
    /// Each accepted KL lies in [0.5δ, δ]: a full step at δ by the model, backtracked by
    /// 0.8, lands in (0.64δ, δ] whenever its real KL is at least 0.64δ.
    func testStepAndLineSearchLandBetweenHalfDeltaAndDelta() {
        let x: [Float] = [1 / 2.5, 1 / 8.5], fx: [Float] = [0.8, 8 / 8.5]
        let (step, _) = naturalGradientStep(gradient: [1, 1], direction: x, fisherDirection: fx, maxKL: 0.01)
        for (k, backtracks, klRefusals, fraction, kl) in [(0.9, 0, 0, 1.0, 0.009), (1.5, 1, 1, 0.8, 0.0096),
                                                          (3.0, 3, 3, 0.512, 0.0078643)] {
            let p = Tensor(parameter: [0, 0], shape: [2], name: "p")
            let search = backtrackingLineSearch(theta: ParameterVector([p]), fullStep: step, maxKL: 0.01) {
                let (a, b) = (Double(p.data[0]), Double(p.data[1]))
                return (a + b, k * 0.5 * (2 * a * a + 8 * b * b))
            }
            XCTAssertTrue(search.accepted, "k = \(k)")
            XCTAssertEqual(search.backtracks, backtracks, "k = \(k)")
            XCTAssertEqual(search.klRefusals, klRefusals, "k = \(k)")
            XCTAssertEqual(search.stepFraction, fraction, accuracy: 1e-12)
            XCTAssertEqual(search.kl, kl, accuracy: 1e-7, "k = \(k)")
            XCTAssertEqual(search.fullStepKL, k * 0.01, accuracy: 1e-7, "the full step's KL: k times the model's δ")
            XCTAssertEqual(Double(p.data[0]), fraction * 0.215483 * 0.4, accuracy: 1e-6, "the accepted step is in place")
            XCTAssertTrue((0.005...0.01).contains(search.kl))
        }
    }

    func testLineSearchAcceptsTheFirstGoodCandidateOrRestores() {
        let p = Tensor(parameter: [1, 1], shape: [2], name: "p")
        let theta = ParameterVector([p])
        // KL grows as the square of the distance moved; the gain is positive throughout.
        let accepted = backtrackingLineSearch(theta: theta, fullStep: [1, 0], maxKL: 0.5) {
            let d = Double(p.data[0] - 1)
            return (d, d * d)
        }
        // 1, 0.8 are too far (KL 1, 0.64); 0.64 gives KL 0.4096.
        XCTAssertTrue(accepted.accepted)
        XCTAssertEqual(accepted.backtracks, 2)
        XCTAssertEqual(accepted.klRefusals, 2)
        XCTAssertEqual(accepted.gainRefusals, 0)
        XCTAssertEqual(accepted.stepFraction, 0.64, accuracy: 1e-12)
        XCTAssertEqual(accepted.fullStepKL, 1, accuracy: 1e-9, "the first candidate's KL")
        XCTAssertEqual(p.data[0], 1.64, accuracy: 1e-6)
        let refused = backtrackingLineSearch(theta: theta, fullStep: [1, 0], maxKL: 0.5) { (-1, 0) }
        XCTAssertFalse(refused.accepted)
        XCTAssertEqual(refused.backtracks, 10)
        XCTAssertEqual(refused.gainRefusals, 10, "no gain: every candidate refused for it")
        XCTAssertEqual(p.data, [1.64, 1], "no candidate: the parameters are as they were")
    }

    func testParameterVectorViewsTensorsAsOneVector() {
        let a = Tensor(parameter: [1, 2], shape: [2], name: "a"), b = Tensor(parameter: [3, 4, 5], shape: [3], name: "b")
        let theta = ParameterVector([a, b])
        XCTAssertEqual(theta.count, 5)
        XCTAssertEqual(theta.values(), [1, 2, 3, 4, 5])
        XCTAssertEqual(theta.gradients(), [0, 0, 0, 0, 0], "no gradient yet: zeros")
        theta.add([1, 1, 1, 1, 1], scale: 0.5)
        XCTAssertEqual(b.data, [3.5, 4.5, 5.5])
        theta.assign([0, 0, 0, 0, 9])
        XCTAssertEqual(b.data, [0, 0, 9])
        sum(b * b).backward()
        XCTAssertEqual(theta.gradients(), [0, 0, 0, 0, 18])
        XCTAssertEqual(dot([1, 2], [3, 4]), 11)
        XCTAssertEqual(axpy(2, [1, 2], [3, 4]), [5, 8])
    }
}

final class SFTPolicyResetTests: XCTestCase {
    func testResetPutsBackTheFreshAdapterAsDrawn() {
        var rng = RandomGenerator(seed: 6)
        let config = GPTConfig(vocabularySize: 270, contextLength: 16, layerCount: 1, headCount: 2, modelWidth: 8)
        let model = GPT(config: config, rng: &rng)
        let tokenizer = BytePairTokenizer.train(texts: ["hello there"], vocabularySize: 270)
        let sft = LoRAAdapter(config: LoRAConfig(rank: 2, alpha: 4, dropout: 0), for: config, rng: &rng)
        let policy = SFTPolicy(tokenizer: tokenizer, model: model, sftAdapter: sft, config: LoRAConfig(rank: 2, alpha: 4, dropout: 0), rng: &rng)
        let drawn = policy.adapter.parameters.map(\.data)
        for p in policy.adapter.parameters { p.data = p.data.map { $0 + 1 } }
        policy.resetAdapter()
        XCTAssertEqual(policy.adapter.parameters.map(\.data), drawn)
    }
}
