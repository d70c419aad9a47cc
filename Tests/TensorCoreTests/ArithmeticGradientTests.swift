import TestSupport
import XCTest
@testable import TensorCore

/// +, -, *, / with NumPy broadcasting, scalars on either side, and minimum/maximum.
/// Tolerance: GradientCheck's default, relative 1e-2 with h = 1e-2 (see GradientCheck).
final class ArithmeticGradientTests: XCTestCase {
    private let full = GradientCheck.parameter([2, 3, 4], seed: 1)

    /// Every binary op against an operand of `shape` on the right, then on the left.
    private func checkAllOps(against shape: [Int], seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        let a = full
        let b = GradientCheck.parameter(shape, seed: seed)
        // Divisors are kept in [1, 2] by squaring plus one, so the quotient stays smooth.
        let ops: [(String, (Tensor, Tensor) -> Tensor)] = [
            ("add", { $0 + $1 }), ("subtract", { $0 - $1 }), ("multiply", { $0 * $1 }),
            ("divide", { $0 / (square($1) * 0.5 + 1) }),
        ]
        for (name, op) in ops {
            if let problem = GradientCheck.firstMismatch([a, b], { op($0[0], $0[1]) }) {
                XCTFail("\(name) \(a.shape) ∘ \(shape): \(problem)", file: file, line: line)
            }
            if let problem = GradientCheck.firstMismatch([b, a], { op($0[0], $0[1]) }) {
                XCTFail("\(name) \(shape) ∘ \(a.shape): \(problem)", file: file, line: line)
            }
        }
    }

    func testSameShapeGradients() { checkAllOps(against: [2, 3, 4], seed: 2) }
    func testRowBroadcastGradients() { checkAllOps(against: [4], seed: 3) }            // bias-like
    func testRowBroadcastWithLeadingOnesGradients() { checkAllOps(against: [1, 3, 4], seed: 4) }
    func testColumnBroadcastGradients() { checkAllOps(against: [2, 3, 1], seed: 5) }   // one number per row
    func testGeneralBroadcastGradients() { checkAllOps(against: [2, 1, 4], seed: 6) }  // middle axis repeated
    func testScalarTensorGradients() { checkAllOps(against: [], seed: 7) }
    func testOneElementTensorGradients() { checkAllOps(against: [1, 1], seed: 8) }

    func testBothOperandsBroadcastGradients() {
        // [2, 1, 4] ∘ [3, 1] -> [2, 3, 4]: neither operand has the output's shape.
        let a = GradientCheck.parameter([2, 1, 4], seed: 1)
        let b = GradientCheck.parameter([3, 1], seed: 2)
        XCTAssertEqual((a + b).shape, [2, 3, 4])
        GradientCheck.check([a, b]) { $0[0] + $0[1] }
        GradientCheck.check([a, b]) { $0[0] - $0[1] }
        GradientCheck.check([a, b]) { $0[0] * $0[1] }
        GradientCheck.check([a, b]) { $0[0] / (square($0[1]) + 1) }
        GradientCheck.check([b, a]) { $0[0] * $0[1] }
    }

    func testFloatScalarOnEitherSideGradients() {
        let x = GradientCheck.parameter([3, 2], seed: 3)
        GradientCheck.check([x]) { $0[0] + 1.5 }
        GradientCheck.check([x]) { 1.5 + $0[0] }
        GradientCheck.check([x]) { $0[0] - 1.5 }
        GradientCheck.check([x]) { 1.5 - $0[0] }
        GradientCheck.check([x]) { $0[0] * 2.5 }
        GradientCheck.check([x]) { 2.5 * $0[0] }
        GradientCheck.check([x]) { $0[0] / 2.5 }
        GradientCheck.check([x]) { 2.5 / (square($0[0]) + 1) }
        GradientCheck.check([x]) { -$0[0] }
    }

    func testSameTensorOnBothSidesGradients() {
        // x · x and x / x: the two partials must both land in x.grad.
        let x = GradientCheck.positiveParameter([5], seed: 4)
        GradientCheck.check([x]) { $0[0] * $0[0] }
        GradientCheck.check([x]) { $0[0] + $0[0] * $0[0] - $0[0] / ($0[0] + 1) }
    }

    func testMinimumAndMaximumGradientsAwayFromTies() {
        // b = a ± 0.3 elementwise, so no pair is within the step of a tie.
        let a = GradientCheck.parameter([3, 4], seed: 5)
        var rng = RandomGenerator(seed: 6)
        let b = Tensor(parameter: a.data.map { $0 + (rng.bernoulli(0.5) ? 0.3 : -0.3) }, shape: [3, 4], name: "b")
        GradientCheck.check([a, b]) { maximum($0[0], $0[1]) }
        GradientCheck.check([a, b]) { minimum($0[0], $0[1]) }
        // Broadcast against a row, as PPO's clipping does with per-token bounds.
        let row = Tensor(parameter: [0.55, -0.45, 0.15, -1.05], shape: [4], name: "row")
        let c = GradientCheck.distinctParameter([3, 4], seed: 7, spacing: 0.2)
        GradientCheck.check([c, row]) { maximum($0[0], $0[1]) }
        GradientCheck.check([c, row]) { minimum($0[0], $0[1]) }
    }

    func testBroadcastForwardValues() {
        let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        assertClose((a + Tensor(shape: [3], data: [10, 20, 30])).data, [11, 22, 33, 14, 25, 36])
        assertClose((a * Tensor(shape: [2, 1], data: [2, 3])).data, [2, 4, 6, 12, 15, 18])
        assertClose((Tensor(shape: [2, 1], data: [1, 2]) - Tensor(shape: [3], data: [1, 2, 3])).data,
                    [0, -1, -2, 1, 0, -1])
        assertClose((6 / a).data, [6, 3, 2, 1.5, 1.2, 1])
        assertClose(maximum(a, Tensor(3.5)).data, [3.5, 3.5, 3.5, 4, 5, 6])
        assertClose(minimum(a, Tensor(3.5)).data, [1, 2, 3, 3.5, 3.5, 3.5])
    }
}
