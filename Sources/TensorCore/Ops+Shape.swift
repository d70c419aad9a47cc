/// Reshaping, transposing, slicing and joining. Reshape shares the buffer; the others copy
/// once forward and once backward with plain strided loops.
extension Tensor {
    /// The same elements seen with another shape (one extent may be -1: inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var newShape = newShape
        if let hole = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != hole }.map(\.element).elementCount
            precondition(known > 0 && count % known == 0, "reshape: cannot infer -1 in \(newShape) for shape \(shape)")
            newShape[hole] = count / known
        }
        precondition(newShape.elementCount == count, "reshape: shape \(shape) (\(count) elements) cannot become \(newShape)")
        let source = self
        return Tensor(shape: newShape, data: data, parents: [self]) { y in
            source.accumulateGrad { dx in
                y.grad.withUnsafeBufferPointer { dy in for i in 0..<dy.count { dx[i] += dy[i] } }
            }
        }
    }

    /// Swaps two axes (a copy in the new order).
    public func transposed(_ axis0: Int, _ axis1: Int) -> Tensor {
        let a0 = normalized(axis: axis0), a1 = normalized(axis: axis1)
        var order = Array(0..<rank)
        order.swapAt(a0, a1)
        return permuted(order)
    }

    /// Reorders the axes: result axis i is input axis `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "permute: \(order) is not an order of \(rank) axes (shape \(shape))")
        let outShape = order.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let readStrides = order.map { inStrides[$0] }
        var out = [Float](repeating: 0, count: count)
        var sourceIndex = [Int](repeating: 0, count: count)
        Broadcast.forEachIndex(outShape: outShape, aStrides: readStrides, bStrides: readStrides) { o, i, _ in
            sourceIndex[o] = i
        }
        data.withUnsafeBufferPointer { px in
            for o in 0..<count { out[o] = px[sourceIndex[o]] }
        }
        let source = self
        return Tensor(shape: outShape, data: out, parents: [self]) { y in
            source.accumulateGrad { dx in
                y.grad.withUnsafeBufferPointer { dy in
                    for o in 0..<dy.count { dx[sourceIndex[o]] += dy[o] }
                }
            }
        }
    }

    /// Elements `range` of one axis.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let axis = normalized(axis: axis)
        let (outer, extent, inner) = around(axis: axis)
        precondition(range.lowerBound >= 0 && range.upperBound <= extent,
                     "slice: \(range) is outside axis \(axis) of shape \(shape)")
        var outShape = shape
        outShape[axis] = range.count
        let width = range.count * inner
        var out = [Float](repeating: 0, count: outer * width)
        data.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { py in
                for o in 0..<outer {
                    (py.baseAddress! + o * width).update(from: px.baseAddress! + (o * extent + range.lowerBound) * inner, count: width)
                }
            }
        }
        let source = self
        return Tensor(shape: outShape, data: out, parents: [self]) { y in
            source.accumulateGrad { dx in
                y.grad.withUnsafeBufferPointer { dy in
                    for o in 0..<outer {
                        let dst = dx + (o * extent + range.lowerBound) * inner
                        let src = dy.baseAddress! + o * width
                        for i in 0..<width { dst[i] += src[i] }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// The rows `indices` of axis 0, in that order, repeats allowed (PyTorch's
    /// `index_select(0, indices)`): x [R, ...] -> [indices.count, ...]. The backward adds each
    /// output row's gradient into the row it came from, so a row picked twice gets both.
    public func rows(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "rows: a scalar has no rows")
        let extent = shape[0], width = count / max(extent, 1)
        for i in indices { precondition(i >= 0 && i < extent, "rows: index \(i) outside 0..<\(extent) of shape \(shape)") }
        var out = [Float](repeating: 0, count: indices.count * width)
        data.withUnsafeBufferPointer { px in
            for (k, i) in indices.enumerated() {
                for j in 0..<width { out[k * width + j] = px[i * width + j] }
            }
        }
        let source = self
        return Tensor(shape: [indices.count] + shape.dropFirst(), data: out, parents: [self]) { y in
            source.accumulateGrad { dx in
                for (k, i) in indices.enumerated() {
                    for j in 0..<width { dx[i * width + j] += y.grad[k * width + j] }
                }
            }
        }
    }
}

/// Joins tensors along one axis; all other extents must agree.
public func concat(_ parts: [Tensor], axis: Int) -> Tensor {
    precondition(!parts.isEmpty, "concat of no tensors")
    let first = parts[0]
    let axis = first.normalized(axis: axis)
    for p in parts {
        precondition(p.rank == first.rank && (0..<first.rank).allSatisfy { $0 == axis || p.shape[$0] == first.shape[$0] },
                     "concat along axis \(axis): shapes \(parts.map(\.shape)) do not agree off that axis")
    }
    let (outer, _, inner) = first.around(axis: axis)
    let extents = parts.map { $0.shape[axis] }
    let total = extents.reduce(0, +)
    var outShape = first.shape
    outShape[axis] = total
    // The parts' extents add up to the axis, so every element is copied from one of them.
    let out = uninitializedFloats(outer * total * inner) { po in
        var offset = 0
        for (p, e) in zip(parts, extents) {
            p.data.withUnsafeBufferPointer { px in
                for o in 0..<outer {
                    for i in 0..<(e * inner) { po[(o * total + offset) * inner + i] = px[o * e * inner + i] }
                }
            }
            offset += e
        }
    }
    return Tensor(shape: outShape, data: out, parents: parts) { y in
        var offset = 0
        for (p, e) in zip(parts, extents) {
            if p.requiresGrad {
                p.accumulateGrad { dx in
                    for o in 0..<outer {
                        for i in 0..<(e * inner) { dx[o * e * inner + i] += y.grad[(o * total + offset) * inner + i] }
                    }
                }
            }
            offset += e
        }
    }
}

/// Picks from a where `condition` is nonzero and from b elsewhere (same shapes); each
/// gradient goes to the side that was picked.
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(condition.shape == a.shape && a.shape == b.shape,
                 "where: condition \(condition.shape), a \(a.shape) and b \(b.shape) must have one shape")
    let pick = condition.data.map { $0 != 0 }
    var out = b.data
    for i in 0..<out.count where pick[i] { out[i] = a.data[i] }
    return Tensor(shape: a.shape, data: out, parents: [a, b]) { y in
        if a.requiresGrad { a.accumulateGrad { dx in for i in 0..<pick.count where pick[i] { dx[i] += y.grad[i] } } }
        if b.requiresGrad { b.accumulateGrad { dx in for i in 0..<pick.count where !pick[i] { dx[i] += y.grad[i] } } }
    }
}
