/// Sums, means and maxima, over everything or over one axis.
extension Tensor {
    /// Splits the shape around `axis`: (product of axes before, extent of axis, product after).
    func around(axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        precondition(axis >= 0 && axis < rank, "axis \(axis) is out of range for shape \(shape)")
        return (shape[..<axis].elementCount, shape[axis], shape[(axis + 1)...].elementCount)
    }

    /// Accepts negative axes counting from the end, Python style.
    func normalized(axis: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "axis \(axis) is out of range for shape \(shape)")
        return a
    }
}

/// Σ of all elements, a scalar.
public func sum(_ x: Tensor) -> Tensor {
    var total: Float = 0
    x.data.withUnsafeBufferPointer { p in for v in p { total += v } }
    return Tensor(shape: [], data: [total], parents: [x]) { y in
        let g = y.grad[0]
        x.accumulateGrad { dx in for i in 0..<x.count { dx[i] += g } }
    }
}

/// Mean of all elements, a scalar.
public func mean(_ x: Tensor) -> Tensor {
    precondition(x.count > 0, "mean of an empty tensor")
    return sum(x) * (1 / Float(x.count))
}

/// Σ over one axis; `keepDims` leaves it as extent 1 (handy for broadcasting back).
public func sum(_ x: Tensor, axis: Int, keepDims: Bool = false) -> Tensor {
    let axis = x.normalized(axis: axis)
    let (outer, extent, inner) = x.around(axis: axis)
    var outShape = x.shape
    if keepDims { outShape[axis] = 1 } else { outShape.remove(at: axis) }
    var out = [Float](repeating: 0, count: outer * inner)
    x.data.withUnsafeBufferPointer { px in
        out.withUnsafeMutableBufferPointer { py in
            for o in 0..<outer {
                for e in 0..<extent {
                    let row = px.baseAddress! + (o * extent + e) * inner
                    let dst = py.baseAddress! + o * inner
                    for i in 0..<inner { dst[i] += row[i] }
                }
            }
        }
    }
    return Tensor(shape: outShape, data: out, parents: [x]) { y in
        x.accumulateGrad { dx in
            y.grad.withUnsafeBufferPointer { dy in
                for o in 0..<outer {
                    for e in 0..<extent {
                        let row = dx + (o * extent + e) * inner
                        let src = dy.baseAddress! + o * inner
                        for i in 0..<inner { row[i] += src[i] }
                    }
                }
            }
        }
    }
}

/// Mean over one axis.
public func mean(_ x: Tensor, axis: Int, keepDims: Bool = false) -> Tensor {
    let extent = x.shape[x.normalized(axis: axis)]
    return sum(x, axis: axis, keepDims: keepDims) * (1 / Float(extent))
}

/// Maximum over one axis; the gradient flows to the first position holding the maximum.
public func max(_ x: Tensor, axis: Int, keepDims: Bool = false) -> Tensor {
    let axis = x.normalized(axis: axis)
    let (outer, extent, inner) = x.around(axis: axis)
    precondition(extent > 0, "max over an empty axis of shape \(x.shape)")
    var outShape = x.shape
    if keepDims { outShape[axis] = 1 } else { outShape.remove(at: axis) }
    var out = [Float](repeating: -.infinity, count: outer * inner)
    var argmax = [Int](repeating: 0, count: outer * inner)
    x.data.withUnsafeBufferPointer { px in
        for o in 0..<outer {
            for i in 0..<inner {
                var best = -Float.infinity, where_ = 0
                for e in 0..<extent {
                    let v = px[(o * extent + e) * inner + i]
                    if v > best || e == 0 { best = v; where_ = e }
                }
                out[o * inner + i] = best
                argmax[o * inner + i] = where_
            }
        }
    }
    return Tensor(shape: outShape, data: out, parents: [x]) { y in
        x.accumulateGrad { dx in
            for o in 0..<outer {
                for i in 0..<inner {
                    dx[(o * extent + argmax[o * inner + i]) * inner + i] += y.grad[o * inner + i]
                }
            }
        }
    }
}
