import Foundation
import XCTest
import TensorCore
@testable import RLHF

final class KLEstimatorTests: XCTestCase {
    /// δ = log π - log π_ref = -1.0 - (-1.5) = 0.5:
    /// k1 = 0.5, k2 = ½·0.25 = 0.125, k3 = e^{-0.5} - 1 + 0.5 = 0.1065307, abs = 0.5.
    /// δ = -0.5: k1 = -0.5, k2 = 0.125, k3 = e^{0.5} - 1 - 0.5 = 0.1487213, abs = 0.5.
    func testEstimatorsMatchHandValues() {
        let cases: [(KLEstimator, Float, Float)] = [
            (.k1, 0.5, -0.5), (.k2, 0.125, 0.125), (.k3, 0.1065307, 0.1487213), (.abs, 0.5, 0.5),
        ]
        for (estimator, positive, negative) in cases {
            XCTAssertEqual(estimator.value(logProb: -1.0, referenceLogProb: -1.5), positive, accuracy: 1e-6, "\(estimator)")
            XCTAssertEqual(estimator.value(logProb: -1.5, referenceLogProb: -1.0), negative, accuracy: 1e-6, "\(estimator)")
            let tensor = estimator.values(logProbs: Tensor(shape: [2], data: [-1.0, -1.5]),
                                          referenceLogProbs: Tensor(shape: [2], data: [-1.5, -1.0]))
            XCTAssertEqual(tensor.data[0], positive, accuracy: 1e-6)
            XCTAssertEqual(tensor.data[1], negative, accuracy: 1e-6)
        }
    }

    /// The same table in Double (chapter 06 measures the estimators in Double): δ = ±0.5,
    /// k3 = e^{∓0.5} − 1 ± 0.5 = 0.10653065971263342 and 0.14872127070012819.
    func testEstimatorsInDoubleMatchHandValues() {
        XCTAssertEqual(KLEstimator.k1.value(logRatio: 0.5 as Double), 0.5)
        XCTAssertEqual(KLEstimator.k2.value(logRatio: -0.5 as Double), 0.125)
        XCTAssertEqual(KLEstimator.k3.value(logRatio: 0.5 as Double), 0.10653065971263342, accuracy: 1e-15)
        XCTAssertEqual(KLEstimator.k3.value(logRatio: -0.5 as Double), 0.14872127070012819, accuracy: 1e-15)
        XCTAssertEqual(KLEstimator.abs.value(logRatio: -0.5 as Double), 0.5)
    }

    /// GRPO's loss reports the mean k3 over kept tokens: the estimator's own values, to the bit.
    func testTheGRPOLossUsesTheK3Estimator() {
        let logProbs = Tensor(shape: [1, 3], data: [-1.0, -0.2, -2.0])
        let reference = Tensor(shape: [1, 3], data: [-1.5, -0.1, -2.0])
        let mask = Tensor(shape: [1, 3], data: [1, 1, 0])
        let loss = grpoLoss(logProbs: logProbs, oldLogProbs: logProbs, referenceLogProbs: reference, advantages: [1], mask: mask,
                            settings: GRPOSettings(maxCompletionLength: 3))
        let k3 = KLEstimator.k3.values(logProbs: logProbs, referenceLogProbs: reference).data
        XCTAssertEqual(loss.kl, (k3[0] + k3[1]) / 2)
    }

    /// p = (0.5, 0.3, 0.2), q = (0.2, 0.3, 0.5):
    /// KL(p‖q) = 0.5 ln 2.5 + 0.3 ln 1 + 0.2 ln 0.4 = 0.3 ln 2.5 = 0.2748872.
    func testExactKLMatchesHandValue() {
        let p: [Float] = [0.5, 0.3, 0.2].map { Foundation.log($0) }
        let q: [Float] = [0.2, 0.3, 0.5].map { Foundation.log($0) + 7 }  // logits: shifts do not matter
        let kl = exactKL(logits: p, referenceLogits: q, vocabularySize: 3)
        XCTAssertEqual(kl[0], 0.2748872, accuracy: 1e-5)
        XCTAssertEqual(exactKL(logits: p, referenceLogits: p, vocabularySize: 3)[0], 0, accuracy: 1e-7)
    }

    /// k1 and k3 are unbiased: their averages over samples x ~ p approach the exact KL.
    /// k2 is biased: E[½δ²] = ½ (0.5 ln²2.5 + 0.2 ln²0.4) = 0.2939; abs: E|δ| = 0.7 ln 2.5 = 0.641.
    func testSampledEstimatorsAgreeWithExactKL() {
        let p: [Double] = [0.5, 0.3, 0.2], q: [Double] = [0.2, 0.3, 0.5]
        var rng = RandomGenerator(seed: 11)
        let n = 200_000
        var sums = [KLEstimator: Double]()
        for _ in 0..<n {
            let x = rng.categorical(p)
            for e in KLEstimator.allCases {
                sums[e, default: 0] += Double(e.value(logProb: Float(Foundation.log(p[x])), referenceLogProb: Float(Foundation.log(q[x]))))
            }
        }
        let exact = 0.2748872
        XCTAssertEqual(sums[.k1]! / Double(n), exact, accuracy: 0.01)
        XCTAssertEqual(sums[.k3]! / Double(n), exact, accuracy: 0.01)
        XCTAssertEqual(sums[.k2]! / Double(n), 0.2938, accuracy: 0.01)
        XCTAssertGreaterThan(sums[.abs]! / Double(n), exact + 0.2)
    }
}
