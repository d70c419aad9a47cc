import Foundation
import XCTest
import LanguageModel
@testable import RLHF

final class SequenceKLTests: XCTestCase {
    /// Two tokens with log π = (-1, -2) and log π_ref = (-1.5, -1): δ = (0.5, -1).
    /// k1 = 0.5 - 1 = -0.5; k3 = (e^{-0.5} - 1 + 0.5) + (e^{1} - 1 - 1) = 0.106531 + 0.718282 = 0.824812.
    func testSequenceValueSumsTheTokens() {
        let k1 = KLEstimator.k1.sequenceValue(logProbs: [-1, -2], referenceLogProbs: [-1.5, -1])
        let k3 = KLEstimator.k3.sequenceValue(logProbs: [-1, -2], referenceLogProbs: [-1.5, -1])
        XCTAssertEqual(k1, -0.5, accuracy: 1e-6)
        XCTAssertEqual(k3, Float(Foundation.exp(-0.5) - 0.5 + Foundation.exp(1) - 2), accuracy: 1e-5)
        XCTAssertEqual(KLEstimator.k3.sequenceValue(logProbs: [], referenceLogProbs: []), 0)
    }
}

final class ResponseKLTests: XCTestCase {
    /// One row [0, 1, 0] whose last two tokens are the response; V = 2.
    /// Row 0 predicts token 1: π = (1/2, 1/2), π_ref = (3/4, 1/4):
    ///   exact = ½ ln(2/3) + ½ ln 2 = ½ ln(4/3), log-ratio of token 1 = ln(½ / ¼) = ln 2.
    /// Row 1 predicts token 0: π = (3/4, 1/4), π_ref = (1/2, 1/2):
    ///   exact = ¾ ln(3/2) + ¼ ln(1/2), log-ratio of token 0 = ln(3/2).
    func testExactAndSampledKLOnResponseStatesMatchHandValues() {
        let ln3 = Float(log(3.0))
        let batch = TokenBatch(ids: [0, 1, 0], batch: 1, time: 3)
        let kl = ResponseKL(policyLogits: [0, 0, ln3, 0, 9, 9], referenceLogits: [ln3, 0, 0, 0, -9, 9],
                            batch: batch, responseMask: [0, 1, 1], vocabularySize: 2)
        XCTAssertEqual(kl.exact[0].count, 2)
        XCTAssertEqual(Double(kl.exact[0][0]), 0.5 * log(4.0 / 3), accuracy: 1e-6)
        XCTAssertEqual(Double(kl.logRatio[0][0]), log(2.0), accuracy: 1e-6)
        XCTAssertEqual(Double(kl.exact[0][1]), 0.75 * log(1.5) + 0.25 * log(0.5), accuracy: 1e-6)
        XCTAssertEqual(Double(kl.logRatio[0][1]), log(1.5), accuracy: 1e-6)
        let totals = kl.sequenceTotals[0]
        XCTAssertEqual(totals.sampled, log(2.0) + log(1.5), accuracy: 1e-6)
    }
}
