import Foundation

/// A Float32 tensor: a shape and a contiguous row-major buffer, plus what reverse-mode
/// autodiff needs (a gradient buffer and the closure that pushes gradients to the inputs).
///
/// `Tensor` is a class because it is a node of the computation graph: an op's output
/// keeps its inputs alive until `backward()` has run. The numbers themselves live in a
/// Swift array, a copy-on-write value: `reshape`, `detached()` and passing tensors around
/// share one buffer, and nothing is copied unless someone writes to a shared buffer.
/// Hot loops read and write through unsafe buffer pointers, so there are no bounds checks
/// and no per-element allocation inside them.
public final class Tensor {
    /// The extent of each axis, outermost first. A scalar has shape `[]` and one element.
    public let shape: [Int]
    /// The elements in row-major order; `data.count == shape.product`.
    public var data: [Float]
    /// d(loss)/d(self), same layout as `data`; empty until a gradient first reaches it.
    public var grad: [Float] = []
    /// True when gradients should flow into this tensor: a trainable parameter, or an
    /// activation computed from one while recording was on.
    public private(set) var requiresGrad: Bool
    /// True for leaf tensors an optimizer updates (weights), false for activations.
    public let isParameter: Bool
    /// A name for parameters ("transformer.h.0.attn.c_attn.weight"), used in checkpoints,
    /// optimizer groups and error messages.
    public var name: String

    /// Inputs of the op that produced this tensor (empty for leaves).
    var parents: [Tensor] = []
    /// Adds this tensor's gradient into its parents' gradients (nil for leaves).
    var backwardStep: (() -> Void)?

    /// A constant (no gradient) with the given shape and elements.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative extent")
        precondition(data.count == shape.elementCount,
                     "Tensor shape \(shape) needs \(shape.elementCount) elements, got \(data.count)")
        self.shape = shape
        self.data = data
        self.requiresGrad = false
        self.isParameter = false
        self.name = ""
    }

    /// A trainable leaf: gradients accumulate into it and optimizers update it.
    public init(parameter data: [Float], shape: [Int], name: String) {
        precondition(data.count == shape.elementCount,
                     "Parameter \(name) of shape \(shape) needs \(shape.elementCount) elements, got \(data.count)")
        self.shape = shape
        self.data = data
        self.requiresGrad = true
        self.isParameter = true
        self.name = name
    }

    /// An op's output. It records its inputs and backward step only when recording is on
    /// and some input needs a gradient; otherwise it is a plain constant.
    init(shape: [Int], data: [Float], parents: [Tensor], backward: @escaping (Tensor) -> Void) {
        self.shape = shape
        self.data = data
        self.isParameter = false
        self.name = ""
        let needed = Autograd.isRecording && parents.contains { $0.requiresGrad }
        self.requiresGrad = needed
        if needed {
            self.parents = parents
            self.backwardStep = { [unowned self] in backward(self) }
        }
    }

    /// Number of elements.
    @inlinable public var count: Int { data.count }
    /// Number of axes.
    @inlinable public var rank: Int { shape.count }

    /// A scalar constant.
    public convenience init(_ value: Float) {
        self.init(shape: [], data: [value])
    }

    /// A constant filled with zeros.
    public static func zeros(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, data: [Float](repeating: 0, count: shape.elementCount))
    }

    /// A constant filled with `value`.
    public static func full(_ shape: [Int], _ value: Float) -> Tensor {
        Tensor(shape: shape, data: [Float](repeating: value, count: shape.elementCount))
    }

    /// A constant with normally distributed elements.
    public static func randomNormal(_ shape: [Int], std: Float = 1, mean: Float = 0,
                                    using rng: inout RandomGenerator) -> Tensor {
        let n = shape.elementCount
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = mean + std * Float(rng.normal()) }
        return Tensor(shape: shape, data: values)
    }

    /// A constant with elements uniform in [low, high).
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     using rng: inout RandomGenerator) -> Tensor {
        let n = shape.elementCount
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = low + (high - low) * rng.uniformFloat() }
        return Tensor(shape: shape, data: values)
    }

    /// The single element of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item needs a one-element tensor, got shape \(shape)")
        return data[0]
    }

    /// The same numbers, cut off from the graph: no gradient flows through the result.
    public func detached() -> Tensor {
        Tensor(shape: shape, data: data)
    }

    /// Adds `delta` into the gradient buffer, allocating it on first use.
    @inline(__always) func accumulateGrad(_ body: (UnsafeMutablePointer<Float>) -> Void) {
        if grad.isEmpty { grad = [Float](repeating: 0, count: count) }
        grad.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// Sets the gradient back to nothing (before the next backward pass).
    public func zeroGrad() {
        grad = []
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = data.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        let more = count > 8 ? ", ..." : ""
        let label = name.isEmpty ? "Tensor" : "Tensor \(name)"
        return "\(label)\(shape) [\(shown)\(more)]"
    }
}

extension Collection where Element == Int {
    /// The number of elements of a tensor with this shape.
    @inlinable public var elementCount: Int { reduce(1, *) }
}
