import TestSupport
import XCTest
@testable import TensorCore

/// Rotary positions: hand-worked turns, the relative-position property, and gradients.
final class RotaryTests: XCTestCase {
    /// One head of width 4 (pairs (0, 2) and (1, 3)), one batch row of two positions. With
    /// base 100, θ_0 = 1 and θ_1 = 100^(-1/2) = 0.1 radians per position.
    func testHandWorkedTurnsOfQueriesAndKeysLeaveValuesAlone() {
        // Position 0: q = (1, 2, 3, 4), k = (5, 6, 7, 8), v = (9, 10, 11, 12); position 1 the same.
        let row: [Float] = (1...12).map(Float.init)
        let qkv = Tensor(shape: [1, 2, 12], data: row + row)
        let y = rotaryPositions(qkv, heads: 1, positions: [0, 1], base: 100).data
        XCTAssertEqual(Array(y[0..<12]), row, "position 0 turns by 0")
        // Position 1, q: pair (x0, x2) = (1, 3) turned by 1 rad, pair (x1, x3) = (2, 4) by 0.1 rad.
        let (c1, s1, c2, s2) = (cos(1.0), sin(1.0), cos(0.1), sin(0.1))
        let expectedQ = [1 * c1 - 3 * s1, 2 * c2 - 4 * s2, 1 * s1 + 3 * c1, 2 * s2 + 4 * c2].map(Float.init)
        let expectedK = [5 * c1 - 7 * s1, 6 * c2 - 8 * s2, 5 * s1 + 7 * c1, 6 * s2 + 8 * c2].map(Float.init)
        assertClose(Array(y[12..<16]), expectedQ, tolerance: 1e-6)
        assertClose(Array(y[16..<20]), expectedK, tolerance: 1e-6)
        XCTAssertEqual(Array(y[20..<24]), [9, 10, 11, 12], "values are not turned")
    }

    /// q at position p against k at position p' depends on p − p' only: (3, 1) and (10, 8)
    /// give the same score, (3, 2) does not.
    func testScoresDependOnTheDistanceOnly() {
        let q = GradientCheck.parameter([1, 1, 3 * 8], seed: 5)
        func score(_ p: Int, _ p2: Int) -> Float {
            let turnedQ = rotaryPositions(q, heads: 2, positions: [p]).data
            let turnedK = rotaryPositions(q, heads: 2, positions: [p2]).data
            return (0..<8).map { turnedQ[$0] * turnedK[8 + $0] }.reduce(0, +)
        }
        XCTAssertEqual(score(3, 1), score(10, 8), accuracy: 1e-5)
        XCTAssertEqual(score(0, 0), score(17, 17), accuracy: 1e-5)
        XCTAssertGreaterThan(abs(score(3, 1) - score(3, 2)), 1e-3)
    }

    func testGradientsMatchFiniteDifferences() {
        let qkv = GradientCheck.parameter([2, 3, 3 * 8], seed: 6)
        GradientCheck.check([qkv]) { rotaryPositions($0[0], heads: 2, positions: [0, 1, 2, 0, 0, 1]) }
    }
}
