import TensorCore
import XCTest

/// Central-difference gradient checking, the test llm.c runs before it trusts anything.
///
/// The op under test is turned into a scalar L = Σ_i w_i · f(θ)_i with fixed random weights
/// w (so that every output element matters and errors cannot cancel by symmetry). For each
/// input element θ_j the analytic dL/dθ_j from `backward(seed: w)` is compared with
///
///     numeric_j = (L(θ_j + h) - L(θ_j - h)) / 2h,
///
/// whose error is O(h²) from truncation plus O(ε_float · |L| / h) from rounding. The op runs
/// in Float (it has no Double path); L and the difference quotient are accumulated in Double.
/// With h = 1e-2 both error terms are about 1e-4 for inputs of order 1, so the default
/// relative tolerance, |analytic - numeric| ≤ 1e-2 · max(1, |analytic|, |numeric|), is
/// a hundred times the expected error and far below the error of a wrong derivative
/// (`GradientCheckerTests` shows that one is caught).
///
/// A library of its own so that every test target checks gradients the same way: the ops'
/// tests in TensorCoreTests and the whole model's in LanguageModelTests.
public enum GradientCheck {
    public static let defaultStep: Float = 1e-2
    public static let defaultTolerance = 1e-2

    /// The first element whose analytic and numeric gradients disagree, described, or nil.
    public static func firstMismatch(
        _ inputs: [Tensor], step: Float = defaultStep, tolerance: Double = defaultTolerance,
        seed: UInt64 = 7, _ f: ([Tensor]) -> Tensor
    ) -> String? {
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
        guard out.requiresGrad else { return "the output does not depend on any input" }
        out.backward(seed: weights)
        for (which, x) in inputs.enumerated() where x.requiresGrad {
            // A model's weights carry names ("transformer.h.0.ln_1.weight"); say which one.
            let label = x.name.isEmpty ? "input \(which) \(x.shape)" : "input \(which) \(x.name) \(x.shape)"
            guard x.grad.count == x.count else { return "\(label) received no gradient" }
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
                if !(abs(numeric - analytic) <= tolerance * scale) {
                    return "\(label) element \(i): analytic \(analytic) vs numeric \(numeric)"
                }
            }
        }
        return nil
    }

    /// Fails the calling test when the gradients disagree.
    public static func check(
        _ inputs: [Tensor], step: Float = defaultStep, tolerance: Double = defaultTolerance, seed: UInt64 = 7,
        file: StaticString = #filePath, line: UInt = #line,
        _ f: ([Tensor]) -> Tensor
    ) {
        if let problem = firstMismatch(inputs, step: step, tolerance: tolerance, seed: seed, f) {
            XCTFail(problem, file: file, line: line)
        }
    }

    /// A random parameter tensor (requires a gradient), elements ~ N(0, scale²).
    public static func parameter(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let values = (0..<shape.elementCount).map { _ in scale * Float(rng.normal()) }
        return Tensor(parameter: values, shape: shape, name: "")
    }

    /// A parameter whose elements stay at least `margin` away from each of `kinks`, so that
    /// the difference quotient of a piecewise function (relu, abs, clamp) never straddles one.
    public static func parameter(_ shape: [Int], seed: UInt64, awayFrom kinks: [Float], margin: Float = 0.1) -> Tensor {
        let x = parameter(shape, seed: seed)
        for i in 0..<x.count {
            for k in kinks where Swift.abs(x.data[i] - k) < margin {
                x.data[i] = x.data[i] >= k ? k + margin : k - margin
            }
        }
        return x
    }

    /// A parameter holding distinct values at least `spacing` apart in shuffled order, so that
    /// max and argmax are unambiguous under a step of the difference quotient.
    public static func distinctParameter(_ shape: [Int], seed: UInt64, spacing: Float = 0.1) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let n = shape.elementCount
        let values = rng.shuffled((0..<n).map { spacing * Float($0 - n / 2) })
        return Tensor(parameter: values, shape: shape, name: "")
    }

    /// A parameter with positive elements in [low, high) (for log, sqrt, pow, division).
    public static func positiveParameter(_ shape: [Int], seed: UInt64, low: Float = 0.5, high: Float = 2) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let values = (0..<shape.elementCount).map { _ in low + (high - low) * rng.uniformFloat() }
        return Tensor(parameter: values, shape: shape, name: "")
    }
}
