/// Elementwise arithmetic with broadcasting: +, -, *, / between tensors, and with scalars.
///
/// Every binary op is written once, as a forward rule f(a, b) and its two partial
/// derivatives; broadcasting and its backward (summing over repeated axes) are shared.
@inline(__always)
private func binary(_ a: Tensor, _ b: Tensor, op: String,
                    forward: (Float, Float) -> Float,
                    gradA: @escaping (Float, Float, Float) -> Float,   // (a, b, dOut) -> dA
                    gradB: @escaping (Float, Float, Float) -> Float) -> Tensor {
    let outShape = a.shape == b.shape ? a.shape : Broadcast.shape(a.shape, b.shape, op: op)
    let n = outShape.elementCount
    var out = [Float](repeating: 0, count: n)
    // Read both operands at broadcast positions; fast paths when one operand is the full
    // output and the other is the same shape, a scalar, a row pattern or a column pattern.
    func visit(_ body: (Int, Int, Int) -> Void) {
        if a.shape == outShape {
            switch Broadcast.pattern(of: b.shape, in: outShape) {
            case .same: for i in 0..<n { body(i, i, i) }
            case .scalar: for i in 0..<n { body(i, i, 0) }
            case .rows(let w): for i in 0..<n { body(i, i, i % w) }
            case .columns(let w): for i in 0..<n { body(i, i, i / w) }
            case .general:
                Broadcast.forEachIndex(outShape: outShape,
                                       aStrides: Broadcast.strides(of: a.shape, in: outShape),
                                       bStrides: Broadcast.strides(of: b.shape, in: outShape), body)
            }
        } else {
            Broadcast.forEachIndex(outShape: outShape,
                                   aStrides: Broadcast.strides(of: a.shape, in: outShape),
                                   bStrides: Broadcast.strides(of: b.shape, in: outShape), body)
        }
    }
    a.data.withUnsafeBufferPointer { pa in
        b.data.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { po in
                if a.shape == b.shape {
                    Parallel.forEachChunk(n) { range in
                        for i in range { po[i] = forward(pa[i], pb[i]) }
                    }
                } else {
                    visit { o, i, j in po[o] = forward(pa[i], pb[j]) }
                }
            }
        }
    }
    return Tensor(shape: outShape, data: out, parents: [a, b]) { result in
        result.grad.withUnsafeBufferPointer { dOut in
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    if a.shape == b.shape {
                        // Same shapes (residual adds, products): one pass, no broadcasting.
                        if a.requiresGrad {
                            a.accumulateGrad { g in
                                Parallel.forEachChunk(n) { range in
                                    for i in range { g[i] += gradA(pa[i], pb[i], dOut[i]) }
                                }
                            }
                        }
                        if b.requiresGrad {
                            b.accumulateGrad { g in
                                Parallel.forEachChunk(n) { range in
                                    for i in range { g[i] += gradB(pa[i], pb[i], dOut[i]) }
                                }
                            }
                        }
                        return
                    }
                    func accumulate(into operand: Tensor, _ partial: (Float, Float, Float) -> Float) {
                        if operand.shape == outShape {
                            // Not broadcast: each output's contribution lands on its own element.
                            operand.accumulateGrad { g in visit { o, i, j in g[o] += partial(pa[i], pb[j], dOut[o]) } }
                            return
                        }
                        // The per-output contribution, then summed down to the operand's shape.
                        var local = [Float](repeating: 0, count: n)
                        local.withUnsafeMutableBufferPointer { pl in
                            visit { o, i, j in pl[o] = partial(pa[i], pb[j], dOut[o]) }
                        }
                        operand.accumulateGrad { g in
                            local.withUnsafeBufferPointer { pl in
                                Broadcast.accumulate(pl, outShape: outShape, into: g, shape: operand.shape)
                            }
                        }
                    }
                    if a.requiresGrad { accumulate(into: a, gradA) }
                    if b.requiresGrad { accumulate(into: b, gradB) }
                }
            }
        }
    }
}

public func + (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, op: "add", forward: { $0 + $1 }, gradA: { _, _, g in g }, gradB: { _, _, g in g })
}

public func - (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, op: "subtract", forward: { $0 - $1 }, gradA: { _, _, g in g }, gradB: { _, _, g in -g })
}

public func * (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, op: "multiply", forward: { $0 * $1 }, gradA: { _, y, g in g * y }, gradB: { x, _, g in g * x })
}

public func / (a: Tensor, b: Tensor) -> Tensor {
    binary(a, b, op: "divide", forward: { $0 / $1 },
           gradA: { _, y, g in g / y }, gradB: { x, y, g in -g * x / (y * y) })
}

/// The larger of a and b elementwise; the gradient goes to the larger (to a on ties).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    binary(a, b, op: "maximum", forward: { max($0, $1) },
           gradA: { x, y, g in x >= y ? g : 0 }, gradB: { x, y, g in x >= y ? 0 : g })
}

/// The smaller of a and b elementwise; the gradient goes to the smaller (to a on ties).
/// PPO's clipped objective is min(ratio · A, clip(ratio) · A).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    binary(a, b, op: "minimum", forward: { min($0, $1) },
           gradA: { x, y, g in x <= y ? g : 0 }, gradB: { x, y, g in x <= y ? 0 : g })
}

// Scalars on either side become one-element tensors that broadcast.
public func + (a: Tensor, s: Float) -> Tensor { a + Tensor(s) }
public func + (s: Float, a: Tensor) -> Tensor { Tensor(s) + a }
public func - (a: Tensor, s: Float) -> Tensor { a - Tensor(s) }
public func - (s: Float, a: Tensor) -> Tensor { Tensor(s) - a }
public func * (a: Tensor, s: Float) -> Tensor { a * Tensor(s) }
public func * (s: Float, a: Tensor) -> Tensor { Tensor(s) * a }
public func / (a: Tensor, s: Float) -> Tensor { a / Tensor(s) }
public func / (s: Float, a: Tensor) -> Tensor { Tensor(s) / a }
public prefix func - (a: Tensor) -> Tensor { a * Float(-1) }
