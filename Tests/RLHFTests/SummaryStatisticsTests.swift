import XCTest
@testable import RLHF

final class SummaryStatisticsTests: XCTestCase {
    func testMeanSpreadAndStandardErrorAgainstHandValues() {
        // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, squared deviations sum to 32, so the sample
        // variance is 32 / 7 and the standard error √(32/7) / √8 = √(4/7).
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        XCTAssertEqual(mean(values), 5, accuracy: 1e-12)
        XCTAssertEqual(standardDeviation(values), (32.0 / 7).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(standardError(values), (4.0 / 7).squareRoot(), accuracy: 1e-12)
    }

    func testDegenerateInputs() {
        XCTAssertEqual(mean([]), 0)
        XCTAssertEqual(standardDeviation([3]), 0)
        XCTAssertEqual(standardError([]), 0)
        XCTAssertEqual(standardDeviation([1, 3]), 2.0.squareRoot(), accuracy: 1e-12)
    }
}
