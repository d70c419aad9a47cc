import XCTest
import LanguageModel
import TensorCore
@testable import RLHF

final class PolicyGradientTests: XCTestCase {
    /// Rewards (1, 2, 3, 6 | 0, 0, 0, 4), two prompts of four samples:
    /// none: the rewards; batch mean 16/8 = 2: (-1, 0, 1, 4, -2, -2, -2, 2);
    /// leave-one-out, group 1 total 12: r - (12 - r)/3 = (-8/3, -4/3, 0, 4);
    /// group 2 total 4: (-4/3, -4/3, -4/3, 4).
    func testBaselinesGiveHandWorkedAdvantages() {
        let rewards: [Float] = [1, 2, 3, 6, 0, 0, 0, 4]
        XCTAssertEqual(PolicyGradientBaseline.none.advantages(rewards: rewards, groupSize: 4), rewards)
        XCTAssertEqual(PolicyGradientBaseline.batchMean.advantages(rewards: rewards, groupSize: 4), [-1, 0, 1, 4, -2, -2, -2, 2])
        let loo = PolicyGradientBaseline.leaveOneOut.advantages(rewards: rewards, groupSize: 4)
        for (x, y) in zip(loo, [-8.0 / 3, -4.0 / 3, 0, 4, -4.0 / 3, -4.0 / 3, -4.0 / 3, 4] as [Float]) {
            XCTAssertEqual(x, y, accuracy: 1e-6)
        }
    }

    /// A constant added to every reward moves the no-baseline advantages by that constant
    /// and leaves both baselines' advantages unchanged.
    func testBaselinesIgnoreARewardOffset() {
        let rewards: [Float] = [0, 1.5, 0, 0.75, 1.5, 0, 0, 0]
        for baseline in [PolicyGradientBaseline.batchMean, .leaveOneOut] {
            let a = baseline.advantages(rewards: rewards, groupSize: 4)
            let shifted = baseline.advantages(rewards: rewards.map { $0 + 5 }, groupSize: 4)
            for (x, y) in zip(a, shifted) { XCTAssertEqual(x, y, accuracy: 1e-5) }
        }
        XCTAssertEqual(PolicyGradientBaseline.none.advantages(rewards: rewards.map { $0 + 5 }, groupSize: 4).first, 5)
    }

    /// g = ((1, 0), (0, 1), (1, 1)), Â = (1, 2, -1): e = ((1, 0), (0, 2), (-1, -1)),
    /// ē = (0, 1/3), ‖ē‖ = 1/3; deviations (1, -1/3), (0, 5/3), (-1, -4/3) with squared
    /// norms 10/9, 25/9, 25/9, sum 60/9; total variance (60/9)/2 = 10/3.
    func testGradientSpreadMatchesHandValues() {
        let spread = gradientSpread(scoreGradients: [[1, 0], [0, 1], [1, 1]], advantages: [1, 2, -1])
        XCTAssertEqual(spread.sampleCount, 3)
        XCTAssertEqual(spread.meanNorm, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(spread.totalVariance, 10.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(spread.batchVariance(batchSize: 10), 1.0 / 3, accuracy: 1e-12)
    }

    /// Equal estimates have no spread.
    func testGradientSpreadOfIdenticalEstimatesIsZero() {
        let spread = gradientSpread(scoreGradients: [[2, -1], [1, -0.5]], advantages: [1, 2])
        XCTAssertEqual(spread.totalVariance, 0, accuracy: 1e-12)
        XCTAssertEqual(spread.meanNorm, 5.0.squareRoot(), accuracy: 1e-6)
    }

    /// A tiny policy with a random (non-zero) adapter and three rollouts.
    private func tinyPolicy() -> (GPT, LoRAAdapter, [Rollout]) {
        var rng = RandomGenerator(seed: 11)
        let config = GPTConfig(vocabularySize: 11, contextLength: 12, layerCount: 2, headCount: 2, modelWidth: 8)
        let model = GPT(config: config, rng: &rng)
        let adapter = LoRAAdapter(config: LoRAConfig(rank: 2, alpha: 4, dropout: 0), for: config, rng: &rng)
        for p in adapter.parameters { p.data = p.data.indices.map { _ in Float(rng.normal()) * 0.5 } }
        model.adapter = adapter
        func rollout(_ prompt: [Int], _ response: [Int]) -> Rollout {
            Rollout(prompt: "", promptTokens: prompt, responseTokens: response, logProbs: [], endedWithEndOfText: false,
                    response: "")
        }
        return (model, adapter, [rollout([1, 2, 3], [4, 5]), rollout([6, 1], [7, 8, 9, 2]), rollout([3], [10])])
    }

    /// Each coordinate of g_i matches the central difference of log π(y_i | x_i).
    func testScoreFunctionGradientsMatchFiniteDifferences() {
        let (model, adapter, rollouts) = tinyPolicy()
        let gradients = scoreFunctionGradients(of: rollouts, under: model, parameters: adapter.parameters)
        XCTAssertEqual(gradients.count, 3)
        XCTAssertEqual(gradients[0].count, adapter.parameters.reduce(0) { $0 + $1.count })
        XCTAssertTrue(adapter.parameters.allSatisfy { $0.grad.isEmpty }, "gradients are left cleared")
        func logProb(_ i: Int) -> Double {
            Double(Autograd.withoutGradients { sum(responseLogProbs(of: [rollouts[i]], under: model).sequenceSums) }.item)
        }
        let h: Float = 1e-2
        var offset = 0
        var checked = 0
        for p in adapter.parameters {
            for j in stride(from: 0, to: p.count, by: 7) {
                let saved = p.data[j]
                for i in 0..<rollouts.count {
                    p.data[j] = saved + h
                    let up = logProb(i)
                    p.data[j] = saved - h
                    let down = logProb(i)
                    p.data[j] = saved
                    let numeric = (up - down) / Double(2 * h)
                    XCTAssertEqual(Double(gradients[i][offset + j]), numeric, accuracy: 2e-3 + 2e-2 * abs(numeric),
                                   "\(p.name)[\(j)], rollout \(i)")
                    checked += 1
                }
            }
            offset += p.count
        }
        XCTAssertGreaterThan(checked, 30)
    }

    /// The batched REINFORCE loss's gradient is -(1/N) Σ Â_i g_i: the per-sample gradients
    /// recombine into what training actually uses.
    func testScoreGradientsRecombineIntoTheReinforceGradient() {
        let (model, adapter, rollouts) = tinyPolicy()
        let advantages: [Float] = [1.5, -0.5, 2]
        let gradients = scoreFunctionGradients(of: rollouts, under: model, parameters: adapter.parameters)
        let logProbs = responseLogProbs(of: rollouts, under: model)
        reinforceLoss(logProbs: logProbs.logProbs, mask: logProbs.mask, advantages: advantages).backward()
        let batched = adapter.parameters.flatMap { $0.grad.isEmpty ? [Float](repeating: 0, count: $0.count) : $0.grad }
        for j in 0..<batched.count {
            let combined = (0..<3).reduce(Float(0)) { $0 - advantages[$1] * gradients[$1][j] } / 3
            XCTAssertEqual(batched[j], combined, accuracy: 1e-4 + 1e-3 * abs(combined))
        }
    }
}
