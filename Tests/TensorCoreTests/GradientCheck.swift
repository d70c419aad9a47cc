import XCTest
@testable import TensorCore

/// Central-difference gradient checking: for each input element θ_i, compares the analytic
/// dL/dθ_i from `backward()` with (L(θ_i + h) - L(θ_i - h)) / 2h, where L is a random
/// linear functional of the op's output (so every output element matters).
/// The numeric side is evaluated in Float but accumulated in Double; the tolerance is
/// relative: |a - n| ≤ tolerance · max(1, |a|, |n|).
enum GradientCheck {
    static func check(
        _ inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 2e-2, seed: UInt64 = 7,
        file: StaticString = #filePath, line: UInt = #line,
        _ f: ([Tensor]) -> Tensor
    ) {
        var rng = RandomGenerator(seed: seed)
        let probeOutput = Autograd.withoutGradients { f(inputs) }
        let weights = (0..<probeOutput.count).map { _ in Float(rng.normal()) }
        func loss() -> Double {
            let out = Autograd.withoutGradients { f(inputs) }
            var total = 0.0
            for i in 0..<out.count { total += Double(out.data[i]) * Double(weights[i]) }
            return total
        }
        for x in inputs { x.zeroGrad() }
        let out = f(inputs)
        out.backward(seed: weights)
        for (which, x) in inputs.enumerated() where x.requiresGrad {
            XCTAssertEqual(x.grad.count, x.count, "input \(which) received no gradient", file: file, line: line)
            guard x.grad.count == x.count else { continue }
            for i in 0..<x.count {
                let original = x.data[i]
                x.data[i] = original + step
                let plus = loss()
                x.data[i] = original - step
                let minus = loss()
                x.data[i] = original
                let numeric = (plus - minus) / (2 * Double(step))
                let analytic = Double(x.grad[i])
                let scale = max(1, abs(numeric), abs(analytic))
                if abs(numeric - analytic) > tolerance * scale {
                    XCTFail("input \(which) \(x.shape) element \(i): analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
                    return
                }
            }
        }
    }

    /// A random parameter tensor (requires a gradient).
    static func parameter(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let values = (0..<shape.elementCount).map { _ in scale * Float(rng.normal()) }
        return Tensor(parameter: values, shape: shape, name: "x")
    }
}
