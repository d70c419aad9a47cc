import Foundation
import XCTest
import TensorCore
@testable import RLHF

final class BestOfNTests: XCTestCase {
    /// log N − (N − 1)/N: 0, ln 2 − 1/2 = 0.1931472, ln 4 − 3/4 = 0.6362944, ln 16 − 15/16 = 1.8350887.
    func testBestOfNKL() {
        XCTAssertEqual(bestOfNKL(1), 0)
        XCTAssertEqual(bestOfNKL(2), 0.1931472, accuracy: 1e-7)
        XCTAssertEqual(bestOfNKL(4), 0.6362944, accuracy: 1e-7)
        XCTAssertEqual(bestOfNKL(16), 1.8350887, accuracy: 1e-7)
    }

    func testBestIndexTakesTheFirstMaximum() {
        XCTAssertEqual(bestIndex([0.1, 0.7, -2, 0.7]), 1)
        XCTAssertEqual(bestIndex([3]), 0)
    }

    /// Rewards (0.1, 0.3, 0.2), values (1, 3, 2). N = 1: the mean, 2. N = 2: the subsets
    /// {1,2}, {1,3}, {2,3} pick values 3, 2, 3, so 8/3. N = 3: the top-reward value, 3.
    func testExpectedBestOfNByHand() {
        let rewards: [Float] = [0.1, 0.3, 0.2], values: [Double] = [1, 3, 2]
        XCTAssertEqual(expectedBestOfN(1, rewards: rewards, values: values), 2, accuracy: 1e-12)
        XCTAssertEqual(expectedBestOfN(2, rewards: rewards, values: values), 8.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(expectedBestOfN(3, rewards: rewards, values: values), 3, accuracy: 1e-12)
    }

    /// The closed form equals the average over every N-subset, enumerated (K = 8).
    func testExpectedBestOfNEqualsSubsetAverage() {
        var rng = RandomGenerator(seed: 3)
        let k = 8
        let rewards = (0..<k).map { _ in Float(rng.normal()) }
        let values = (0..<k).map { _ in rng.normal() }
        for n in 1...k {
            var total = 0.0, count = 0
            for mask in 0..<(1 << k) where mask.nonzeroBitCount == n {
                let members = (0..<k).filter { mask & (1 << $0) != 0 }
                let best = members[bestIndex(members.map { rewards[$0] })]
                total += values[best]
                count += 1
            }
            XCTAssertEqual(expectedBestOfN(n, rewards: rewards, values: values), total / Double(count), accuracy: 1e-9, "N = \(n)")
        }
    }

    func testRanksShareTies() {
        XCTAssertEqual(ranks([10, 30, 20, 30]), [1, 3.5, 2, 3.5])
    }

    /// x = 1..5, y = (5, 6, 7, 8, 7): ranks of y (1, 2, 3.5, 5, 3.5); deviations
    /// (-2, -1, 0, 1, 2) and (-2, -1, 0.5, 2, 0.5): ρ = 8 / √(10 · 9.5) = 0.8207827.
    func testSpearmanByHand() {
        XCTAssertEqual(spearmanCorrelation([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 0.8207827, accuracy: 1e-7)
        let x: [Double] = [0.3, -1, 2, 5, 0]
        XCTAssertEqual(spearmanCorrelation(x, x.map { Foundation.exp($0) }), 1, accuracy: 1e-12, "any increasing map")
        XCTAssertEqual(spearmanCorrelation(x, x.map { -$0 * $0 * $0 }), -1, accuracy: 1e-12)
        XCTAssertEqual(spearmanCorrelation(x, [1, 1, 1, 1, 1]), 0)
    }
}

final class OverOptimizationFitTests: XCTestCase {
    /// Points made from known coefficients are fitted back exactly; the best-of-N curve
    /// d(α − βd) peaks at d = α/(2β).
    func testFitsRecoverKnownCoefficients() {
        let d = [0.2, 0.5, 0.8, 1.1, 1.4, 1.7, 2.0]
        let bon = d.map { OverOptimizationFit.bestOfN.value($0, alpha: 1.5, beta: 0.4) }
        let fit = OverOptimizationFit.bestOfN.fit(d: d, gain: bon)!
        XCTAssertEqual(fit.alpha, 1.5, accuracy: 1e-9)
        XCTAssertEqual(fit.beta, 0.4, accuracy: 1e-9)
        XCTAssertEqual(OverOptimizationFit.bestOfN.value(1.5 / 0.8, alpha: 1.5, beta: 0.4), 1.5 * 1.5 / 1.6, accuracy: 1e-12)
        let rl = d.map { OverOptimizationFit.reinforcementLearning.value($0, alpha: 0.9, beta: 0.3) }
        let rlFit = OverOptimizationFit.reinforcementLearning.fit(d: d, gain: rl)!
        XCTAssertEqual(rlFit.alpha, 0.9, accuracy: 1e-9)
        XCTAssertEqual(rlFit.beta, 0.3, accuracy: 1e-9)
        // d log d at d = e is e: R(e) = e(0.9 − 0.3).
        XCTAssertEqual(OverOptimizationFit.reinforcementLearning.value(M_E, alpha: 0.9, beta: 0.3), M_E * 0.6, accuracy: 1e-12)
        XCTAssertNil(OverOptimizationFit.bestOfN.fit(d: [1], gain: [1]), "one point cannot fix two coefficients")
    }
}
