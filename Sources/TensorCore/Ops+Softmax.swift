import Foundation

/// Softmax and its relatives over the last axis, all computed after subtracting the row
/// maximum, so logits of magnitude 1e4 (or more) give no inf and no NaN.

/// Row-wise kernel: for a row of `width` logits, the max m and log Σ exp(x - m).
///
/// The two are kept apart rather than added into log Σ exp(x): at |x| ≈ 1e4 a Float has
/// only three decimals left, so x - (m + log s) would lose about 1e-3 of every log-prob,
/// while (x - m) - log s is exact up to the last bit of the small numbers.
@inline(__always)
private func maxAndLogSum(_ row: UnsafePointer<Float>, _ width: Int) -> (max: Float, logSum: Float) {
    let m = RowKernels.maximum(row, width)
    if m == -.infinity { return (m, 0) }
    return (m, Foundation.log(RowKernels.sumExpShifted(row, minus: m, width)))
}

/// (rows, width) of a tensor seen as rows of its last axis.
private func lastAxisRows(_ x: Tensor) -> (rows: Int, width: Int) {
    let width = x.shape.last ?? 1
    return (x.count / Swift.max(width, 1), width)
}

/// A new buffer shaped like `x`, filled row by row (rows of the last axis) by
/// `body(source row, destination row)`, split across the cores when large.
private func mapRows(_ x: Tensor, _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    let (rows, width) = lastAxisRows(x)
    // `body` writes its whole destination row (both callers do).
    return uninitializedFloats(x.count) { py in
        x.data.withUnsafeBufferPointer { px in
            Parallel.forEachChunk(rows, cost: width * 8) { range in
                for r in range { body(px.baseAddress! + r * width, py.baseAddress! + r * width) }
            }
        }
    }
}

/// softmax(x)_j = e^{x_j} / Σ_k e^{x_k}, over the last axis.
/// Backward: dx = y ⊙ (dy - Σ_j dy_j y_j).
public func softmax(_ x: Tensor) -> Tensor {
    let (rows, width) = lastAxisRows(x)
    let out = mapRows(x) { row, dst in
        let m = RowKernels.maximum(row, width)
        let total = RowKernels.expShifted(row, minus: m, into: dst, width)
        RowKernels.scale(dst, by: 1 / total, into: dst, width)
    }
    return Tensor(shape: x.shape, data: out, parents: [x]) { y in
        x.accumulateGrad { dx in
            y.data.withUnsafeBufferPointer { py in
                y.grad.withUnsafeBufferPointer { dy in
                    Parallel.forEachChunk(rows, cost: width * 4) { range in
                        for r in range {
                            let o = r * width
                            let dot = RowKernels.dot(dy.baseAddress! + o, py.baseAddress! + o, width)
                            for j in 0..<width { dx[o + j] += py[o + j] * (dy[o + j] - dot) }
                        }
                    }
                }
            }
        }
    }
}

/// log softmax(x)_j = x_j - log Σ_k e^{x_k}, over the last axis.
/// Backward: dx = dy - softmax(x) · Σ_j dy_j.
public func logSoftmax(_ x: Tensor) -> Tensor {
    let (rows, width) = lastAxisRows(x)
    let out = mapRows(x) { row, dst in
        let (m, logSum) = maxAndLogSum(row, width)
        for j in 0..<width { dst[j] = (row[j] - m) - logSum }
    }
    return Tensor(shape: x.shape, data: out, parents: [x]) { y in
        x.accumulateGrad { dx in
            y.data.withUnsafeBufferPointer { py in
                y.grad.withUnsafeBufferPointer { dy in
                    Parallel.forEachChunk(rows, cost: width * 8) { range in
                        for r in range {
                            let o = r * width
                            var total: Float = 0
                            for j in 0..<width { total += dy[o + j] }
                            let yRow = py.baseAddress! + o, dyRow = dy.baseAddress! + o, dxRow = dx + o
                            var j = 0
                            while j + 8 <= width {
                                store8(load8(dxRow + j) + load8(dyRow + j) - exp8(load8(yRow + j)) * total, dxRow + j)
                                j += 8
                            }
                            while j < width { dxRow[j] += dyRow[j] - Foundation.exp(yRow[j]) * total; j += 1 }
                        }
                    }
                }
            }
        }
    }
}

/// log p(target) at every position: logits [..., V] and one target id per position give
/// [...]. This is log-softmax followed by a gather, fused so that the [..., V] log-softmax
/// is never stored: it is the quantity every RLHF loss is built from.
/// Backward: d logits = dy · (onehot(target) - softmax(logits)).
public func tokenLogProbs(_ logits: Tensor, targets: [Int]) -> Tensor {
    let (rows, width) = lastAxisRows(logits)
    precondition(targets.count == rows,
                 "tokenLogProbs: logits \(logits.shape) need \(rows) targets, got \(targets.count)")
    var out = [Float](repeating: 0, count: rows)
    var maxima = [Float](repeating: 0, count: rows), logSums = [Float](repeating: 0, count: rows)
    for t in targets {
        precondition(t >= 0 && t < width, "tokenLogProbs: target \(t) outside vocabulary of \(width)")
    }
    logits.data.withUnsafeBufferPointer { px in
        maxima.withUnsafeMutableBufferPointer { pm in
            logSums.withUnsafeMutableBufferPointer { pl in
                out.withUnsafeMutableBufferPointer { po in
                    Parallel.forEachChunk(rows, cost: width * 8) { range in
                        for r in range {
                            let row = px.baseAddress! + r * width
                            (pm[r], pl[r]) = maxAndLogSum(row, width)
                            po[r] = (row[targets[r]] - pm[r]) - pl[r]
                        }
                    }
                }
            }
        }
    }
    return Tensor(shape: Array(logits.shape.dropLast()), data: out, parents: [logits]) { y in
        logits.accumulateGrad { dx in
            logits.data.withUnsafeBufferPointer { px in
                y.grad.withUnsafeBufferPointer { dy in
                    Parallel.forEachChunk(rows, cost: width * 8) { range in
                        for r in range {
                            let g = dy[r]
                            if g == 0 { continue }
                            let m = maxima[r], logSum = logSums[r]
                            let xRow = px.baseAddress! + r * width, dxRow = dx + r * width
                            var j = 0
                            while j + 8 <= width {
                                store8(load8(dxRow + j) - g * exp8((load8(xRow + j) - m) - logSum), dxRow + j)
                                j += 8
                            }
                            while j < width { dxRow[j] -= g * Foundation.exp((xRow[j] - m) - logSum); j += 1 }
                            dx[r * width + targets[r]] += g
                        }
                    }
                }
            }
        }
    }
}

/// Mean cross-entropy −log p(target) over the positions whose target is not `ignoreIndex`
/// (padding and prompt tokens in SFT); the mean divides by the number of counted tokens.
/// logits [N, V] (or [..., V]) with one target per row.
public func crossEntropy(_ logits: Tensor, targets: [Int], ignoreIndex: Int = -100) -> Tensor {
    let counted = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
    precondition(counted > 0, "crossEntropy: every target equals the ignore index \(ignoreIndex)")
    let mask = targets.map { $0 == ignoreIndex ? Float(0) : 1 }
    let safeTargets = targets.map { $0 == ignoreIndex ? 0 : $0 }
    let logProbs = tokenLogProbs(logits, targets: safeTargets)
    let maskTensor = Tensor(shape: logProbs.shape, data: mask)
    return sum(logProbs * maskTensor) * (-1 / Float(counted))
}

/// Picks x[..., index] along the last axis: x [..., V], one index per row -> [...].
public func gather(_ x: Tensor, indices: [Int]) -> Tensor {
    let (rows, width) = lastAxisRows(x)
    precondition(indices.count == rows, "gather: \(x.shape) needs \(rows) indices, got \(indices.count)")
    var out = [Float](repeating: 0, count: rows)
    for r in 0..<rows {
        precondition(indices[r] >= 0 && indices[r] < width, "gather: index \(indices[r]) outside 0..<\(width)")
        out[r] = x.data[r * width + indices[r]]
    }
    return Tensor(shape: Array(x.shape.dropLast()), data: out, parents: [x]) { y in
        x.accumulateGrad { dx in
            for r in 0..<rows { dx[r * width + indices[r]] += y.grad[r] }
        }
    }
}

/// KL(p ‖ q) = Σ_v p_v (log p_v − log q_v) for each row of two flat [rows, width] buffers
/// of logits (p = softmax of the first, q of the second), computed without storing either
/// distribution: with lse the log-sum-exp of a row,
///     KL = Σ_v softmax(x)_v (x_v − y_v) − lse(x) + lse(y).
/// Vectorized and split across the cores; the exact KL over the vocabulary that RL
/// chapters measure on every state of a batch.
public func rowKLDivergences(_ logits: [Float], _ referenceLogits: [Float], width: Int) -> [Float] {
    precondition(width > 0 && logits.count == referenceLogits.count && logits.count % width == 0,
                 "rowKLDivergences: \(logits.count) and \(referenceLogits.count) logits in rows of \(width)")
    let rows = logits.count / width
    var out = [Float](repeating: 0, count: rows)
    logits.withUnsafeBufferPointer { px in
        referenceLogits.withUnsafeBufferPointer { py in
            out.withUnsafeMutableBufferPointer { po in
                Parallel.forEachChunk(rows, cost: width * 12) { range in
                    let probabilities = UnsafeMutablePointer<Float>.allocate(capacity: width)
                    defer { probabilities.deallocate() }
                    for r in range {
                        let x = px.baseAddress! + r * width, y = py.baseAddress! + r * width
                        let (mx, logSumX) = maxAndLogSum(x, width), (my, logSumY) = maxAndLogSum(y, width)
                        let total = RowKernels.expShifted(x, minus: mx, into: probabilities, width)
                        var weighted: Double = 0
                        for v in 0..<width { weighted += Double(probabilities[v]) * Double(x[v] - y[v]) }
                        let kl = weighted / Double(total) - Double(mx + logSumX) + Double(my + logSumY)
                        po[r] = Float(Swift.max(kl, 0))
                    }
                }
            }
        }
    }
    return out
}

/// The entropy H = −Σ_v p_v log p_v of softmax(row) for each row of a flat [rows, width]
/// buffer of logits, as lse(x) − Σ_v softmax(x)_v x_v, vectorized and split across the cores.
public func rowEntropies(_ logits: [Float], width: Int) -> [Float] {
    precondition(width > 0 && logits.count % width == 0, "rowEntropies: \(logits.count) logits in rows of \(width)")
    let rows = logits.count / width
    var out = [Float](repeating: 0, count: rows)
    logits.withUnsafeBufferPointer { px in
        out.withUnsafeMutableBufferPointer { po in
            Parallel.forEachChunk(rows, cost: width * 8) { range in
                let probabilities = UnsafeMutablePointer<Float>.allocate(capacity: width)
                defer { probabilities.deallocate() }
                for r in range {
                    let x = px.baseAddress! + r * width
                    let (m, logSum) = maxAndLogSum(x, width)
                    let total = RowKernels.expShifted(x, minus: m, into: probabilities, width)
                    let expected = Double(RowKernels.dot(probabilities, x, width)) / Double(total)
                    po[r] = Float(Swift.max(Double(m + logSum) - expected, 0))
                }
            }
        }
    }
    return out
}
