import TestSupport
import XCTest
@testable import TensorCore

/// The gradient checker is itself code that can be wrong: these tests show that it rejects
/// a wrong derivative and a missing one, and accepts a right one, so that a passing check
/// elsewhere means something.
final class GradientCheckerTests: XCTestCase {
    /// y = x², built from Tensor's internal op initializer with a chosen derivative.
    private func square(_ x: Tensor, derivativeFactor: Float) -> Tensor {
        Tensor(shape: x.shape, data: x.data.map { $0 * $0 }, parents: [x]) { y in
            x.accumulateGrad { dx in
                for i in 0..<x.count { dx[i] += y.grad[i] * derivativeFactor * x.data[i] }
            }
        }
    }

    func testCheckerAcceptsTheRightDerivative() {
        let x = GradientCheck.parameter([2, 3], seed: 1)
        XCTAssertNil(GradientCheck.firstMismatch([x]) { self.square($0[0], derivativeFactor: 2) })
    }

    func testCheckerCatchesAWrongDerivative() {
        // d(x²)/dx = 2x; claiming 2.1x is a 5% error, five times the tolerance.
        let x = GradientCheck.parameter([2, 3], seed: 1)
        let problem = GradientCheck.firstMismatch([x]) { self.square($0[0], derivativeFactor: 2.1) }
        XCTAssertNotNil(problem)
        XCTAssertTrue(problem?.contains("analytic") ?? false, problem ?? "")
    }

    func testCheckerCatchesAGradientThatNeverArrives() {
        let x = GradientCheck.parameter([3], seed: 1)
        let lost = { (x: Tensor) in Tensor(shape: x.shape, data: x.data, parents: [x]) { _ in } }
        XCTAssertEqual(GradientCheck.firstMismatch([x]) { lost($0[0]) }, "input 0 [3] received no gradient")
    }

    func testCheckerCatchesAGradientSentToTheWrongElement() {
        // A reversal whose backward forgets to reverse: right values, wrong positions.
        let x = GradientCheck.parameter([4], seed: 2)
        let reversed = { (x: Tensor) in
            Tensor(shape: x.shape, data: x.data.reversed(), parents: [x]) { y in
                x.accumulateGrad { dx in for i in 0..<x.count { dx[i] += y.grad[i] } }
            }
        }
        XCTAssertNotNil(GradientCheck.firstMismatch([x]) { reversed($0[0]) })
    }
}
