import TestSupport
import XCTest
@testable import TensorCore

/// Sums, means and maxima over everything or one axis, with and without keepDims.
/// Tolerance: GradientCheck's default (relative 1e-2, h = 1e-2).
final class ReductionGradientTests: XCTestCase {
    private let x = GradientCheck.parameter([2, 3, 4], seed: 21)

    func testSumAndMeanOfEverythingGradients() {
        GradientCheck.check([x]) { sum($0[0]) }
        GradientCheck.check([x]) { mean($0[0]) }
    }

    func testSumAndMeanOverEachAxisGradients() {
        for axis in [0, 1, 2, -1] {
            for keepDims in [false, true] {
                GradientCheck.check([x]) { sum($0[0], axis: axis, keepDims: keepDims) }
                GradientCheck.check([x]) { mean($0[0], axis: axis, keepDims: keepDims) }
            }
        }
    }

    func testKeepDimsResultBroadcastsBack() {
        // x - mean(x, axis: -1, keepDims: true): the centring step of LayerNorm, composed.
        GradientCheck.check([x]) { $0[0] - mean($0[0], axis: -1, keepDims: true) }
        GradientCheck.check([x]) { $0[0] / (sum(square($0[0]), axis: 1, keepDims: true) + 1) }
        XCTAssertEqual(sum(x, axis: 1, keepDims: true).shape, [2, 1, 4])
        XCTAssertEqual(sum(x, axis: 1).shape, [2, 4])
    }

    func testMaxOverEachAxisGradients() {
        // Distinct values 0.1 apart: the arg max does not change under a 0.01 step.
        let y = GradientCheck.distinctParameter([2, 3, 4], seed: 22)
        for axis in [0, 1, 2] {
            GradientCheck.check([y]) { max($0[0], axis: axis) }
            GradientCheck.check([y]) { max($0[0], axis: axis, keepDims: true) }
        }
    }

    func testReductionValues() {
        let a = Tensor(shape: [2, 3], data: [1, 5, 3, 4, 2, 6])
        XCTAssertEqual(sum(a).item, 21)
        XCTAssertEqual(mean(a).item, 3.5)
        assertClose(sum(a, axis: 0).data, [5, 7, 9])
        assertClose(mean(a, axis: 1).data, [3, 4])
        assertClose(max(a, axis: 1).data, [5, 6])
        assertClose(max(a, axis: 0).data, [4, 5, 6])
    }

    func testMaxSendsATiedGradientToTheFirstMaximumOnly() {
        let a = Tensor(parameter: [2, 7, 7, 1], shape: [1, 4], name: "a")
        sum(max(a, axis: 1)).backward()
        XCTAssertEqual(a.grad, [0, 1, 0, 0])
    }
}
