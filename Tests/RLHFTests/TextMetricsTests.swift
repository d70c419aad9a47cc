import XCTest
@testable import RLHF

final class TextMetricsTests: XCTestCase {
    /// candidate "the cat on the mat" (5 words), reference "The cat sat on the mat." (6):
    /// LCS = 5, precision 1, recall 5/6, F = 2 · 1 · 5/6 / (11/6) = 10/11 = 0.909091.
    func testRougeLMatchesHandValue() {
        XCTAssertEqual(rougeL(candidate: "the cat on the mat", reference: "The cat sat on the mat."), 10.0 / 11, accuracy: 1e-9)
    }

    /// Order matters: "mat the on sat cat the" against "the cat sat on the mat" has an LCS of
    /// 3 ("the on the", or "the sat the"), not 6: precision = recall = 3/6, F = 0.5.
    func testRougeLRewardsOrder() {
        XCTAssertEqual(rougeL(candidate: "mat the on sat cat the", reference: "the cat sat on the mat"), 0.5, accuracy: 1e-9)
        XCTAssertEqual(rougeL(candidate: "same words here", reference: "Same words, here!"), 1)
        XCTAssertEqual(rougeL(candidate: "nothing shared", reference: "entirely different"), 0)
    }
}
