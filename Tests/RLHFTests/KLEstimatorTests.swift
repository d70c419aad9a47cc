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
