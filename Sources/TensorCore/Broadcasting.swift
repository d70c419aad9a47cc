/// NumPy-style broadcasting: shapes are aligned at their last axis, and an axis of extent 1
/// (or a missing leading axis) is repeated to match the other operand.
enum Broadcast {
    /// The shape of `a ∘ b`, or a precondition failure naming both shapes.
    static func shape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        switch result(a, b, op: op) {
        case .success(let shape): return shape
        case .failure(let problem): preconditionFailure(problem.message)
        }
    }

    struct Mismatch: Error { let message: String }

    /// The shape of `a ∘ b`, or the message naming both shapes when they do not broadcast.
    static func result(_ a: [Int], _ b: [Int], op: String) -> Result<[Int], Mismatch> {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else {
                return .failure(Mismatch(message: "\(op): shapes \(a) and \(b) do not broadcast"))
            }
            out[i] = max(da, db)
        }
        return .success(out)
    }

    /// Strides for reading an operand of `shape` at positions of `outShape`: 0 on the axes
    /// it is repeated along.
    static func strides(of shape: [Int], in outShape: [Int]) -> [Int] {
        let rank = outShape.count
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for i in stride(from: rank - 1, through: 0, by: -1) {
            let j = i - (rank - shape.count)
            if j >= 0 {
                if shape[j] != 1 { strides[i] = step }
                step *= shape[j]
            }
        }
        return strides
    }

    /// How `b` lines up with an output of shape `outShape` when `a` already has that shape,
    /// in the cases worth a fast loop.
    enum Pattern {
        case same           // b has every element
        case scalar         // b is one number
        case rows(Int)      // b is the last `n` elements' pattern, repeated (bias-like)
        case columns(Int)   // b holds one number per row of `n` elements ([..., 1])
        case general
    }

    static func pattern(of b: [Int], in outShape: [Int]) -> Pattern {
        let nb = b.elementCount, n = outShape.elementCount
        if b == outShape { return .same }
        if nb == 1 { return .scalar }
        // Suffix: b equals the trailing axes of outShape (after dropping leading 1s of b).
        let trimmed = Array(b.drop { $0 == 1 })
        if trimmed.count <= outShape.count, Array(outShape.suffix(trimmed.count)) == trimmed {
            return .rows(nb)
        }
        // Per-row: b is outShape with the last axis set to 1.
        if b.count == outShape.count, b.last == 1, Array(b.dropLast()) == Array(outShape.dropLast()) {
            return .columns(n / nb)
        }
        return .general
    }

    /// Calls body(outIndex, aIndex, bIndex) for every element of the broadcast output.
    static func forEachIndex(outShape: [Int], aStrides: [Int], bStrides: [Int],
                             _ body: (Int, Int, Int) -> Void) {
        let rank = outShape.count
        let n = outShape.elementCount
        if rank == 0 { body(0, 0, 0); return }
        var index = [Int](repeating: 0, count: rank)
        var ia = 0, ib = 0
        for o in 0..<n {
            body(o, ia, ib)
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                ia += aStrides[axis]; ib += bStrides[axis]
                if index[axis] < outShape[axis] { break }
                ia -= aStrides[axis] * outShape[axis]; ib -= bStrides[axis] * outShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Sums `grad` (shaped like the broadcast output) down to an operand's shape, adding it
    /// into `target`: the backward of broadcasting is a sum over the repeated axes.
    static func accumulate(_ grad: UnsafeBufferPointer<Float>, outShape: [Int],
                           into target: UnsafeMutablePointer<Float>, shape: [Int]) {
        switch pattern(of: shape, in: outShape) {
        case .same:
            for i in 0..<grad.count { target[i] += grad[i] }
        case .scalar:
            var s: Float = 0
            for i in 0..<grad.count { s += grad[i] }
            target[0] += s
        case .rows(let width):
            let rows = grad.count / width
            for r in 0..<rows {
                let g = grad.baseAddress! + r * width
                for j in 0..<width { target[j] += g[j] }
            }
        case .columns(let width):
            let rows = grad.count / width
            for r in 0..<rows {
                let g = grad.baseAddress! + r * width
                var s: Float = 0
                for j in 0..<width { s += g[j] }
                target[r] += s
            }
        case .general:
            let strides = Broadcast.strides(of: shape, in: outShape)
            forEachIndex(outShape: outShape, aStrides: strides, bStrides: strides) { o, i, _ in
                target[i] += grad[o]
            }
        }
    }
}
