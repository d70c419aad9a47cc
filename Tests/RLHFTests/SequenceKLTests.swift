import Foundation
import XCTest
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
