import TestSupport
import XCTest
@testable import TensorCore

/// Ops that move elements without arithmetic: reshape, transpose, permute, slice, concat,
/// gather and where. Their backward must put each gradient back where its element came from.
/// Tolerance: GradientCheck's default (relative 1e-2, h = 1e-2).
final class ShapeGradientTests: XCTestCase {
    private let x = GradientCheck.parameter([2, 3, 4], seed: 31)

    func testReshapeGradients() {
        GradientCheck.check([x]) { $0[0].reshaped([6, 4]) * $0[0].reshaped([6, -1]) }
        GradientCheck.check([x]) { square($0[0].reshaped([4, -1])) }
        XCTAssertEqual(x.reshaped([-1]).shape, [24])
    }

    func testTransposeAndPermuteGradients() {
        GradientCheck.check([x]) { $0[0].transposed(0, 2) }
        GradientCheck.check([x]) { $0[0].transposed(-1, -2) }
        GradientCheck.check([x]) { $0[0].permuted([1, 2, 0]) }
        GradientCheck.check([x]) { $0[0].permuted([2, 0, 1]) * $0[0].permuted([2, 0, 1]) }
    }

    func testTransposeAndPermuteValues() {
        let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(a.transposed(0, 1).shape, [3, 2])
        assertClose(a.transposed(0, 1).data, [1, 4, 2, 5, 3, 6])
        let b = Tensor(shape: [2, 1, 3], data: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(b.permuted([2, 0, 1]).shape, [3, 2, 1])
        assertClose(b.permuted([2, 0, 1]).data, [1, 4, 2, 5, 3, 6])
    }

    func testSliceGradients() {
        GradientCheck.check([x]) { $0[0].slice(axis: 0, 1..<2) }
        GradientCheck.check([x]) { $0[0].slice(axis: 1, 0..<2) }
        GradientCheck.check([x]) { $0[0].slice(axis: -1, 1..<3) }
        // Overlapping slices of one tensor: both gradients add into the shared elements.
        GradientCheck.check([x]) { $0[0].slice(axis: 2, 0..<3) * $0[0].slice(axis: 2, 1..<4) }
        assertClose(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]).slice(axis: 1, 1..<3).data, [2, 3, 5, 6])
    }

    /// Rows picked in any order, one of them twice: [[5, 6], [1, 2], [5, 6]] from [[1, 2], [3, 4], [5, 6]];
    /// the twice-picked row gets both gradients, the unpicked one none.
    func testRowsValuesAndGradients() {
        let a = Tensor(parameter: [1, 2, 3, 4, 5, 6], shape: [3, 2], name: "a")
        let picked = a.rows([2, 0, 2])
        XCTAssertEqual(picked.shape, [3, 2])
        assertClose(picked.data, [5, 6, 1, 2, 5, 6])
        sum(picked * Tensor(shape: [3, 2], data: [1, 10, 100, 1000, 2, 20])).backward()
        assertClose(a.grad, [100, 1000, 0, 0, 3, 30])
        GradientCheck.check([x]) { $0[0].rows([1, 0, 1]) }
        XCTAssertEqual(Tensor(shape: [4], data: [1, 2, 3, 4]).rows([3, 3]).data, [4, 4])
    }

    func testConcatGradients() {
        let y = GradientCheck.parameter([2, 1, 4], seed: 32)
        let z = GradientCheck.parameter([2, 3, 2], seed: 33)
        GradientCheck.check([x, y]) { concat([$0[0], $0[1]], axis: 1) }
        GradientCheck.check([x, z]) { concat([$0[0], $0[1]], axis: -1) }
        GradientCheck.check([x, x]) { concat([$0[0], $0[1], $0[0]], axis: 0) }
        let a = Tensor(shape: [2, 1], data: [1, 2]), b = Tensor(shape: [2, 2], data: [3, 4, 5, 6])
        assertClose(concat([a, b], axis: 1).data, [1, 3, 4, 2, 5, 6])
    }

    func testGatherGradients() {
        let logits = GradientCheck.parameter([2, 3, 5], seed: 34)
        GradientCheck.check([logits]) { gather($0[0], indices: [0, 4, 2, 2, 1, 4]) }
        assertClose(gather(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]), indices: [2, 0]).data, [3, 4])
    }

    func testWhereGradients() {
        let a = GradientCheck.parameter([3, 4], seed: 35)
        let b = GradientCheck.parameter([3, 4], seed: 36)
        let condition = Tensor(shape: [3, 4], data: [1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1])
        GradientCheck.check([a, b]) { `where`(condition, $0[0], $0[1]) }
        let picked = `where`(condition, a, b)
        for i in 0..<12 { XCTAssertEqual(picked.data[i], condition.data[i] != 0 ? a.data[i] : b.data[i]) }
    }
}
