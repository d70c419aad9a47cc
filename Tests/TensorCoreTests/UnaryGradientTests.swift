import TestSupport
import XCTest
@testable import TensorCore

/// Elementwise functions. Piecewise ones (relu, abs, clamp) are checked on inputs kept 0.1
/// away from their kinks. Tolerance: GradientCheck's default (relative 1e-2, h = 1e-2).
final class UnaryGradientTests: XCTestCase {
    private let x = GradientCheck.parameter([3, 5], seed: 11)
    private let positive = GradientCheck.positiveParameter([3, 5], seed: 12)

    func testSmoothFunctionGradients() {
        GradientCheck.check([x]) { exp($0[0]) }
        GradientCheck.check([x]) { tanh($0[0]) }
        GradientCheck.check([x]) { square($0[0]) }
        GradientCheck.check([x]) { sigmoid($0[0]) }
        GradientCheck.check([x]) { logSigmoid($0[0]) }
        GradientCheck.check([x]) { softplus($0[0]) }
        GradientCheck.check([x]) { gelu($0[0]) }
    }

    func testFunctionsOfPositiveInputsGradients() {
        GradientCheck.check([positive]) { log($0[0]) }
        GradientCheck.check([positive]) { sqrt($0[0]) }
        GradientCheck.check([positive]) { pow($0[0], 1.5) }
        GradientCheck.check([positive]) { pow($0[0], -2) }
        GradientCheck.check([x]) { pow($0[0], 3) }
    }

    func testPiecewiseFunctionGradientsAwayFromKinks() {
        let y = GradientCheck.parameter([4, 5], seed: 13, awayFrom: [0])
        GradientCheck.check([y]) { relu($0[0]) }
        GradientCheck.check([y]) { abs($0[0]) }
        let z = GradientCheck.parameter([4, 5], seed: 14, awayFrom: [-0.5, 0.8])
        GradientCheck.check([z]) { clamp($0[0], min: -0.5, max: 0.8) }
        XCTAssertTrue(z.data.contains { $0 < -0.5 } && z.data.contains { $0 > 0.8 }
                      && z.data.contains { $0 > -0.5 && $0 < 0.8 }, "the input should cover all three pieces")
    }

    func testLargeInputsStayFinite() {
        let big = Tensor(shape: [4], data: [-100, -30, 30, 100])
        for y in [sigmoid(big), logSigmoid(big), softplus(big), gelu(big), tanh(big)] {
            XCTAssertTrue(y.data.allSatisfy(\.isFinite), "\(y)")
        }
        assertClose(logSigmoid(big).data, [-100, -30, -9.357623e-14, 0], tolerance: 1e-6)
        assertClose(softplus(big).data, [0, 9.357623e-14, 30, 100], tolerance: 1e-6)
    }

    func testGeluMatchesTheTanhFormula() {
        // gelu(1) = ½ (1 + tanh(√(2/π) · 1.044715)) = ½ (1 + tanh(0.833562)) = ½ (1 + 0.682384)
        //         = 0.841192 (GPT-2's gelu_new; the exact erf form would give 0.841345).
        // gelu(-1) = gelu(1) - 1 = -0.158808, since gelu(x) - gelu(-x) = x.
        assertClose(gelu(Tensor(shape: [3], data: [1, -1, 0])).data, [0.841192, -0.158808, 0], tolerance: 2e-6)
    }
}
