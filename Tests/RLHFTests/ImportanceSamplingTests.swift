import Foundation
import XCTest
@testable import RLHF

final class ImportanceSamplingTests: XCTestCase {
    /// w = (1, 2, 4, 1): Σw = 8, Σw² = 22, ESS = 64/22 = 2.909091; mean 2;
    /// variance ((-1)² + 0 + 2² + (-1)²)/3 = 2; largest share 4/8 = 0.5.
    /// f = (1, 0, 0, 1): ordinary estimate (1 + 1)/4 = 0.5, self-normalized 2/8 = 0.25.
    /// KL(μ ‖ π) = -mean(log w) = -(0 + ln 2 + ln 4 + 0)/4 = -3 ln 2 / 4 = -0.519860.
    func testHandWorkedWeights() {
        let w = ImportanceWeights(logWeights: [1, 2, 4, 1].map { Foundation.log($0) })
        XCTAssertEqual(w.effectiveSampleSize, 64.0 / 22, accuracy: 1e-12)
        XCTAssertEqual(w.meanWeight, 2, accuracy: 1e-12)
        XCTAssertEqual(w.weightVariance, 2, accuracy: 1e-12)
        XCTAssertEqual(w.largestShare, 0.5, accuracy: 1e-12)
        // Var(w)/w̄² with 1/n: (22/4 - 2²) / 2² = 1.5/4 = 0.375 = 4/(64/22) - 1.
        XCTAssertEqual(w.normalizedWeightVariance, 0.375, accuracy: 1e-12)
        XCTAssertEqual(w.estimate(of: [1, 0, 0, 1]), 0.5, accuracy: 1e-12)
        XCTAssertEqual(w.selfNormalizedEstimate(of: [1, 0, 0, 1]), 0.25, accuracy: 1e-12)
        XCTAssertEqual(w.behaviourToTargetKL, -3 * Foundation.log(2) / 4, accuracy: 1e-12)
    }

    /// Target log-probs (-1, -2), behaviour (-1.5, -1): log w = (0.5, -1).
    func testWeightsFromLogProbs() {
        let w = ImportanceWeights(targetLogProbs: [-1, -2], behaviourLogProbs: [-1.5, -1])
        XCTAssertEqual(w.logWeights, [0.5, -1])
        XCTAssertEqual(w.weights[0], Foundation.exp(0.5), accuracy: 1e-12)
    }

    /// On-policy (π = μ): every weight is 1, ESS = n, zero variance, zero KL, and both
    /// estimates are the plain mean.
    func testEqualPoliciesGiveTheFullSample() {
        let w = ImportanceWeights(logWeights: [0, 0, 0, 0, 0])
        XCTAssertEqual(w.effectiveSampleSize, 5, accuracy: 1e-12)
        XCTAssertEqual(w.weightVariance, 0)
        XCTAssertEqual(w.normalizedWeightVariance, 0, accuracy: 1e-12)
        XCTAssertEqual(w.behaviourToTargetKL, 0)
        XCTAssertEqual(w.estimate(of: [1, 2, 3, 4, 5]), 3, accuracy: 1e-12)
        XCTAssertEqual(w.selfNormalizedEstimate(of: [1, 2, 3, 4, 5]), 3, accuracy: 1e-12)
    }

    /// One weight far above the rest: ESS → 1, largest share → 1, and the scale-free
    /// quantities stay finite even where exp(log w) overflows.
    func testOneDominantWeightLeavesOneEffectiveSample() {
        let w = ImportanceWeights(logWeights: [0, 0, 30, 0])
        XCTAssertEqual(w.effectiveSampleSize, 1, accuracy: 1e-9)
        XCTAssertEqual(w.largestShare, 1, accuracy: 1e-9)
        XCTAssertEqual(w.normalizedWeightVariance, 3, accuracy: 1e-9)
        let huge = ImportanceWeights(logWeights: [1000, 1000, 1000 - Foundation.log(2)])
        // Scaled weights (1, 1, 0.5): ESS = 2.5² / 2.25 = 2.777778; share 1/2.5 = 0.4.
        XCTAssertEqual(huge.effectiveSampleSize, 6.25 / 2.25, accuracy: 1e-9)
        XCTAssertEqual(huge.largestShare, 0.4, accuracy: 1e-9)
        XCTAssertEqual(huge.selfNormalizedEstimate(of: [1, 1, 4]), (1 + 1 + 2) / 2.5, accuracy: 1e-9)
    }

    /// Log-weights drawn exactly as a normal with variance σ² = 0.5 and mean -σ²/2 (so that
    /// E[w] = 1): ESS/n approaches exp(-σ²) = 0.606531, and -mean(log w) approaches σ²/2.
    func testLogNormalWeightsFollowTheFormula() {
        let n = 20_000
        let sigma = 0.5.squareRoot()
        // Deterministic normal quantiles Φ⁻¹((i + ½)/n) by bisection on erf, in place of draws.
        func quantile(_ p: Double) -> Double {
            var (lo, hi) = (-10.0, 10.0)
            for _ in 0..<80 {
                let mid = (lo + hi) / 2
                if 0.5 * (1 + erf(mid / 2.0.squareRoot())) < p { lo = mid } else { hi = mid }
            }
            return (lo + hi) / 2
        }
        let logWeights = (0..<n).map { -0.25 + sigma * quantile((Double($0) + 0.5) / Double(n)) }
        let w = ImportanceWeights(logWeights: logWeights)
        XCTAssertEqual(w.effectiveSampleSize / Double(n), Foundation.exp(-0.5), accuracy: 5e-3)
        XCTAssertEqual(w.behaviourToTargetKL, 0.25, accuracy: 1e-6)
        XCTAssertEqual(w.meanWeight, 1, accuracy: 5e-3)
    }
}
