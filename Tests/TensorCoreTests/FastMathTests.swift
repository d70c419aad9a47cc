import XCTest
@testable import TensorCore

/// The vectorized exp and tanh behind softmax, attention and GELU, against the C library.
final class FastMathTests: XCTestCase {
    /// Relative error of exp8 over [-87, 88] in steps of 1/64, in Double: Cephes' polynomial
    /// gives about 2e-7 (one or two units in the last place of a Float).
    func testExpMatchesTheCLibraryToTwoUlps() {
        var worst = 0.0
        var x: Float = -87
        while x + 8.0 / 512 <= 88 {
            let lanes = Float8((0..<8).map { x + Float($0) / 512 })
            let y = exp8(lanes)
            for i in 0..<8 {
                let exact = Foundation.exp(Double(lanes[i]))
                worst = max(worst, Swift.abs(Double(y[i]) - exact) / exact)
            }
            x += 1.0 / 64
        }
        XCTAssertLessThan(worst, 3e-7)
    }

    func testExpLimits() {
        let y = exp8(Float8(-.infinity, -100, -87.5, 0, 1, 88.5, .infinity, .nan))
        XCTAssertEqual(y[0], 0)
        XCTAssertEqual(y[1], 0)
        XCTAssertEqual(y[2], 0)
        XCTAssertEqual(y[3], 1)
        XCTAssertEqual(y[4], Float(M_E), accuracy: 1e-6)
        XCTAssertEqual(y[5], .infinity)
        XCTAssertEqual(y[6], .infinity)
        XCTAssertTrue(y[7].isNaN)
    }

    func testTanhMatchesTheCLibraryInAbsoluteTerms() {
        var worst: Float = 0
        var x: Float = -20
        while x <= 20 {
            let lanes = Float8((0..<8).map { x + Float($0) / 1024 })
            let y = tanh8(lanes)
            for i in 0..<8 { worst = max(worst, Swift.abs(y[i] - Foundation.tanh(lanes[i]))) }
            x += 1.0 / 128
        }
        XCTAssertLessThan(worst, 3e-7)
        let limits = tanh8(Float8(-1000, -.infinity, 1000, .infinity, 0, 0, 0, 0))
        XCTAssertEqual(Array(limits.indices.map { limits[$0] }.prefix(5)), [-1, -1, 1, 1, 0])
    }

    func testGeluKernelsMatchTheTanhFormulaInDouble() {
        // The vectorized GELU (with a partial last vector) and the scalar geluForward and
        // geluDerivative against ½x(1 + tanh u) and its derivative evaluated in Double, from
        // x = -6 (where gelu is -8e-11 and 1 + tanh u in Float would be all rounding) to 6.
        let inputs = (0..<21).map { Float($0) * 0.6 - 6 }
        func reference(_ x: Float) -> (value: Float, slope: Float) {
            let x = Double(x), c = (2 / Double.pi).squareRoot()
            let t = Foundation.tanh(c * (x + 0.044715 * x * x * x))
            let slope = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)
            return (Float(0.5 * x * (1 + t)), Float(slope))
        }
        let x = Tensor(parameter: inputs, shape: [21], name: "x")
        let y = gelu(x)
        y.backward(seed: [Float](repeating: 1, count: 21))
        for (i, v) in inputs.enumerated() {
            let (value, slope) = reference(v)
            let scale = max(Swift.abs(value), 1e-30)
            XCTAssertLessThan(Swift.abs(y.data[i] - value) / scale, 1e-5, "gelu(\(v))")
            XCTAssertLessThan(Swift.abs(geluForward(v) - value) / scale, 1e-5, "geluForward(\(v))")
            XCTAssertEqual(x.grad[i], slope, accuracy: 1e-6, "gelu'(\(v))")
            XCTAssertEqual(geluDerivative(v), slope, accuracy: 1e-6, "geluDerivative(\(v))")
        }
    }

    func testGeluGradientIsFiniteFarFromZero() {
        // Beyond x ≈ -10.3, e^{-2u} overflows Float; the slope must still come out as its
        // limit (0 for very negative x, 1 for very positive x), not ∞·0 = NaN. Pretraining
        // at a high learning rate produces such pre-activations.
        let inputs: [Float] = [-10, -10.5, -12, -30, -1e4, 12, 30, 1e4, 5]
        let x = Tensor(parameter: inputs, shape: [inputs.count], name: "x")
        gelu(x).backward(seed: [Float](repeating: 1, count: inputs.count))
        for (i, v) in inputs.enumerated() {
            let expected: Float = v > 0 ? 1 : 0
            if Swift.abs(v) < 10.5 { continue }
            XCTAssertEqual(x.grad[i], expected, accuracy: 1e-6, "gelu'(\(v)) vectorized")
            XCTAssertEqual(geluDerivative(v), expected, accuracy: 1e-6, "geluDerivative(\(v))")
        }
        XCTAssertTrue(x.grad.allSatisfy(\.isFinite), "\(x.grad)")
        XCTAssertEqual(x.grad[0], geluDerivative(-10), accuracy: 1e-7)
        XCTAssertEqual(x.grad[inputs.count - 1], geluDerivative(5), accuracy: 1e-6)
    }

    func testRowKernelsOnLengthsAroundTheVectorWidth() {
        for n in [1, 7, 8, 9, 17] {
            let values = (0..<n).map { Float($0 % 5) - 2.5 }
            values.withUnsafeBufferPointer { p in
                XCTAssertEqual(RowKernels.maximum(p.baseAddress!, n), values.max()!)
                let expected = values.reduce(0) { $0 + Foundation.exp($1 - 1) }
                XCTAssertEqual(RowKernels.sumExpShifted(p.baseAddress!, minus: 1, n), expected, accuracy: 1e-5)
                XCTAssertEqual(RowKernels.dot(p.baseAddress!, p.baseAddress!, n), values.reduce(0) { $0 + $1 * $1 }, accuracy: 1e-5)
            }
        }
    }
}
