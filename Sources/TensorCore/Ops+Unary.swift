import Foundation

/// Elementwise functions y = f(x). Each is a forward rule and its derivative, written in
/// terms of x and y (whichever is cheaper: exp' = y, tanh' = 1 - y², sigmoid' = y(1 - y)).
private func unary(_ x: Tensor, cost: Int = 4, forward: (Float) -> Float,
                   derivative: @escaping (Float, Float) -> Float) -> Tensor {   // (x, y) -> dy/dx
    let n = x.count
    var out = [Float](repeating: 0, count: n)
    x.data.withUnsafeBufferPointer { px in
        out.withUnsafeMutableBufferPointer { py in
            Parallel.forEachChunk(n, cost: cost) { range in
                for i in range { py[i] = forward(px[i]) }
            }
        }
    }
    return Tensor(shape: x.shape, data: out, parents: [x]) { y in
        x.accumulateGrad { dx in
            x.data.withUnsafeBufferPointer { px in
                y.data.withUnsafeBufferPointer { py in
                    y.grad.withUnsafeBufferPointer { dy in
                        Parallel.forEachChunk(n, cost: cost) { range in
                            for i in range { dx[i] += dy[i] * derivative(px[i], py[i]) }
                        }
                    }
                }
            }
        }
    }
}

public func exp(_ x: Tensor) -> Tensor {
    unary(x, forward: { Foundation.exp($0) }, derivative: { _, y in y })
}

public func log(_ x: Tensor) -> Tensor {
    unary(x, forward: { Foundation.log($0) }, derivative: { x, _ in 1 / x })
}

public func tanh(_ x: Tensor) -> Tensor {
    unary(x, forward: { Foundation.tanh($0) }, derivative: { _, y in 1 - y * y })
}

public func sqrt(_ x: Tensor) -> Tensor {
    unary(x, forward: { $0.squareRoot() }, derivative: { _, y in 0.5 / y })
}

public func square(_ x: Tensor) -> Tensor {
    unary(x, cost: 1, forward: { $0 * $0 }, derivative: { x, _ in 2 * x })
}

public func abs(_ x: Tensor) -> Tensor {
    unary(x, cost: 1, forward: { Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
}

/// σ(x) = 1 / (1 + e^{-x}), computed without overflow for large |x|.
@inlinable public func sigmoid(_ x: Float) -> Float {
    x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
}

/// softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}), stable for any x.
@inlinable public func softplus(_ x: Float) -> Float {
    Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
}

public func sigmoid(_ x: Tensor) -> Tensor {
    unary(x, forward: { sigmoid($0) }, derivative: { _, y in y * (1 - y) })
}

/// log σ(x) = -softplus(-x): the Bradley-Terry and DPO losses are -log σ(margin).
/// Derivative: 1 - σ(x) = σ(-x).
public func logSigmoid(_ x: Tensor) -> Tensor {
    unary(x, forward: { -softplus(-$0) }, derivative: { x, _ in sigmoid(-x) })
}

public func softplus(_ x: Tensor) -> Tensor {
    unary(x, forward: { softplus($0) }, derivative: { x, _ in sigmoid(x) })
}

public func relu(_ x: Tensor) -> Tensor {
    unary(x, cost: 1, forward: { Swift.max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
}

/// GELU, tanh form (GPT-2's "gelu_new"):
/// gelu(x) = ½ x (1 + tanh(√(2/π) (x + 0.044715 x³))).
public func gelu(_ x: Tensor) -> Tensor {
    unary(x, cost: 16, forward: geluForward, derivative: { x, _ in geluDerivative(x) })
}

@usableFromInline let geluScale: Float = 0.7978845608028654  // √(2/π)

@inlinable public func geluForward(_ x: Float) -> Float {
    0.5 * x * (1 + Foundation.tanh(geluScale * (x + 0.044715 * x * x * x)))
}

/// d gelu / dx = ½ (1 + t) + ½ x (1 - t²) √(2/π) (1 + 3·0.044715 x²), t = tanh(inner).
@inlinable public func geluDerivative(_ x: Float) -> Float {
    let t = Foundation.tanh(geluScale * (x + 0.044715 * x * x * x))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * geluScale * (1 + 3 * 0.044715 * x * x)
}

/// Clamps every element into [low, high]; the gradient is 1 inside and 0 where clamped
/// (PPO's clip(ratio, 1 - ε, 1 + ε)).
public func clamp(_ x: Tensor, min low: Float, max high: Float) -> Tensor {
    precondition(low <= high, "clamp: min \(low) is above max \(high)")
    return unary(x, cost: 1, forward: { Swift.min(Swift.max($0, low), high) },
                 derivative: { x, _ in (x >= low && x <= high) ? 1 : 0 })
}

/// Elementwise power with a constant exponent.
public func pow(_ x: Tensor, _ p: Float) -> Tensor {
    unary(x, forward: { Foundation.pow($0, p) }, derivative: { x, _ in p * Foundation.pow(x, p - 1) })
}
