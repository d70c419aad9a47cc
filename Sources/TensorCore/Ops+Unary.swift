import Foundation

/// Elementwise functions y = f(x). Each is a forward rule and its derivative, written in
/// terms of x and y (whichever is cheaper: exp' = y, tanh' = 1 - y², sigmoid' = y(1 - y)).
@inline(__always)
private func unary(_ x: Tensor, cost: Int = 4, forward: (Float) -> Float,
                   derivative: @escaping (Float, Float) -> Float) -> Tensor {   // (x, y) -> dy/dx
    let n = x.count
    let out = uninitializedFloats(n) { py in
        x.data.withUnsafeBufferPointer { px in
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
/// Runs eight lanes at a time with the vectorized tanh of FastMath.swift; `geluForward` and
/// `geluDerivative` below are the same formulas for one number.
public func gelu(_ x: Tensor) -> Tensor {
    let n = x.count
    let out = uninitializedFloats(n) { py in
        x.data.withUnsafeBufferPointer { px in
            Parallel.forEachChunk(n, cost: 16) { range in
                let src = px.baseAddress! + range.lowerBound, dst = py.baseAddress! + range.lowerBound
                var i = 0
                while i + 8 <= range.count { store8(gelu8(load8(src + i)), dst + i); i += 8 }
                if i < range.count { storePartial(gelu8(loadPartial(src + i, range.count - i, fill: 0)), dst + i, range.count - i) }
            }
        }
    }
    return Tensor(shape: x.shape, data: out, parents: [x]) { y in
        x.accumulateGrad { dx in
            x.data.withUnsafeBufferPointer { px in
                y.grad.withUnsafeBufferPointer { dy in
                    Parallel.forEachChunk(n, cost: 20) { range in
                        let src = px.baseAddress! + range.lowerBound, g = dy.baseAddress! + range.lowerBound
                        let dst = dx + range.lowerBound
                        var i = 0
                        while i + 8 <= range.count {
                            store8(load8(dst + i) + load8(g + i) * geluDerivative8(load8(src + i)), dst + i)
                            i += 8
                        }
                        let rest = range.count - i
                        if rest > 0 {
                            let d = loadPartial(g + i, rest, fill: 0) * geluDerivative8(loadPartial(src + i, rest, fill: 0))
                            storePartial(loadPartial(dst + i, rest, fill: 0) + d, dst + i, rest)
                        }
                    }
                }
            }
        }
    }
}

/// Eight lanes of gelu(x) = x · σ(2u), u = √(2/π)(x + 0.044715 x³), which is the tanh form
/// rewritten with 1 + tanh(u) = 2σ(2u): no cancellation for very negative x, where
/// 1 + tanh(u) would be the difference of two numbers near 1.
@inline(__always) @usableFromInline
func gelu8(_ x: Float8) -> Float8 {
    let u = geluScale * (x + 0.044715 * x * x * x)
    return x / (1 + exp8(-2 * u))
}

/// d gelu / dx = s + 2x · s(1 - s) · u', with s = σ(2u) and u' = √(2/π)(1 + 3·0.044715 x²).
/// (The same as ½(1 + t) + ½x(1 - t²)u' with t = tanh u = 2s - 1.)
///
/// Both s and s(1 - s) come from m = e^{-2|u|}, which lies in (0, 1] and cannot overflow:
/// s = 1/(1 + m) for u ≥ 0 and m/(1 + m) for u < 0, and s(1 - s) = m/(1 + m)² either way.
/// The direct form e^{-2u}·s² overflows e^{-2u} to +∞ once x < -10.3 and returns ∞·0 = NaN
/// there, which a pre-activation that large (it happens late in pretraining at a high
/// learning rate) turns into NaN in every gradient below the layer.
@inline(__always) @usableFromInline
func geluDerivative8(_ x: Float8) -> Float8 {
    let x2 = x * x
    let u = geluScale * (x + 0.044715 * x2 * x)
    let m = exp8(-2 * u.replacing(with: -u, where: u .< 0))
    let q = 1 / (1 + m)
    let s = q.replacing(with: m * q, where: u .< 0)
    let slope: Float8 = geluScale * (1 + 3 * 0.044715 * x2)
    let sigmoidSlope: Float8 = m * q * q
    return s + 2 * x * sigmoidSlope * slope
}

@usableFromInline let geluScale: Float = 0.7978845608028654  // √(2/π)

/// Written as x · σ(2u) (see `gelu8`), which keeps full precision for very negative x.
@inlinable public func geluForward(_ x: Float) -> Float {
    x / (1 + Foundation.exp(-2 * geluScale * (x + 0.044715 * x * x * x)))
}

/// d gelu / dx = ½ (1 + t) + ½ x (1 - t²) √(2/π) (1 + 3·0.044715 x²), t = tanh(inner),
/// computed as s + 2x · s(1 - s) · u' with s = σ(2u) = ½(1 + t), from m = e^{-2|u|} so
/// that nothing overflows (see `geluDerivative8`).
@inlinable public func geluDerivative(_ x: Float) -> Float {
    let u = geluScale * (x + 0.044715 * x * x * x)
    let m = Foundation.exp(-2 * Swift.abs(u))
    let q = 1 / (1 + m)
    let s = u >= 0 ? q : m * q
    return s + 2 * x * (m * q * q) * geluScale * (1 + 3 * 0.044715 * x * x)
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
