/// Some trainable tensors seen as one flat vector θ ∈ ℝⁿ, in the order given: what
/// second-order methods (TRPO's natural gradient, conjugate gradient) and per-sample
/// gradient measurements work with, where an optimizer works tensor by tensor.
///
///     let theta = ParameterVector(adapter.parameters)
///     let g = theta.gradients()            // ∇L after backward(), flattened
///     theta.add(direction, scale: -0.1)    // θ ← θ − 0.1 · d
public struct ParameterVector {
    public let parameters: [Tensor]
    /// n, the total number of elements.
    public let count: Int

    public init(_ parameters: [Tensor]) {
        self.parameters = parameters
        self.count = parameters.reduce(0) { $0 + $1.count }
    }

    /// θ, flattened.
    public func values() -> [Float] {
        var result: [Float] = []
        result.reserveCapacity(count)
        for p in parameters { result += p.data }
        return result
    }

    /// The gradients, flattened; zeros for a tensor no gradient has reached.
    public func gradients() -> [Float] {
        var result: [Float] = []
        result.reserveCapacity(count)
        for p in parameters { result += p.grad.isEmpty ? [Float](repeating: 0, count: p.count) : p.grad }
        return result
    }

    /// θ ← v.
    public func assign(_ v: [Float]) {
        precondition(v.count == count, "ParameterVector.assign: \(v.count) values for \(count) parameters")
        var offset = 0
        for p in parameters {
            p.data = Array(v[offset..<(offset + p.count)])
            offset += p.count
        }
    }

    /// θ ← θ + scale · v (BLAS's axpy on the parameters themselves).
    public func add(_ v: [Float], scale: Float = 1) {
        precondition(v.count == count, "ParameterVector.add: \(v.count) values for \(count) parameters")
        var offset = 0
        for p in parameters {
            p.data.withUnsafeMutableBufferPointer { data in
                for j in 0..<data.count { data[j] += scale * v[offset + j] }
            }
            offset += p.count
        }
    }

    /// Clears every parameter's gradient.
    public func zeroGradients() {
        for p in parameters { p.zeroGrad() }
    }
}

/// Σ aᵢ bᵢ, accumulated in double precision.
public func dot(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "dot: vectors of \(a.count) and \(b.count) elements")
    var total = 0.0
    for i in 0..<a.count { total += Double(a[i]) * Double(b[i]) }
    return total
}

/// y + scale · x.
public func axpy(_ scale: Float, _ x: [Float], _ y: [Float]) -> [Float] {
    precondition(x.count == y.count, "axpy: vectors of \(x.count) and \(y.count) elements")
    return (0..<x.count).map { y[$0] + scale * x[$0] }
}

/// ‖v‖₂, accumulated in double precision.
public func norm(_ v: [Float]) -> Double { dot(v, v).squareRoot() }
