import Foundation

/// The layers a transformer is made of, each a fused op with a hand-written backward:
/// embedding lookup, LayerNorm and dropout. (Attention has its own file.)

/// Rows of `table` picked by token id: table [V, d], ids of any shape -> [ids..., d].
/// Backward: each picked row's gradient is added back into that row of the table.
public func embedding(_ table: Tensor, ids: [Int], shape: [Int]) -> Tensor {
    precondition(table.rank == 2, "embedding: the table must be [vocabulary, width], got \(table.shape)")
    precondition(shape.elementCount == ids.count, "embedding: \(ids.count) ids do not fill shape \(shape)")
    let (vocabulary, width) = (table.shape[0], table.shape[1])
    let out = uninitializedFloats(ids.count * width) { py in
        table.data.withUnsafeBufferPointer { pt in
            for (r, id) in ids.enumerated() {
                precondition(id >= 0 && id < vocabulary, "embedding: id \(id) is outside the table's \(vocabulary) rows")
                (py.baseAddress! + r * width).initialize(from: pt.baseAddress! + id * width, count: width)
            }
        }
    }
    return Tensor(shape: shape + [width], data: out, parents: [table]) { y in
        table.accumulateGrad { dt in
            y.grad.withUnsafeBufferPointer { dy in
                for (r, id) in ids.enumerated() {
                    let dst = dt + id * width, src = dy.baseAddress! + r * width
                    for j in 0..<width { dst[j] += src[j] }
                }
            }
        }
    }
}

/// LayerNorm over the last axis: y = (x - μ) / sqrt(σ² + ε) · γ + β.
///
/// Shapes: x [..., d], gamma [d], beta [d]. Backward, with x̂ the normalized input and
/// g = dy · γ: dx = (g - mean(g) - x̂ · mean(g · x̂)) / sqrt(σ² + ε); dγ = Σ dy · x̂; dβ = Σ dy.
public func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> Tensor {
    let d = x.shape.last ?? 0
    precondition(gamma.shape == [d] && beta.shape == [d],
                 "layerNorm: input \(x.shape) needs gamma and beta of shape [\(d)], got \(gamma.shape) and \(beta.shape)")
    let rows = x.count / d
    // Each row writes its inverse std, its normalized row and its output row in full.
    var normalized: [Float] = [], inverseStd: [Float] = []
    let out = uninitializedFloats(x.count) { py in
        x.data.withUnsafeBufferPointer { px in
            gamma.data.withUnsafeBufferPointer { pg in
                beta.data.withUnsafeBufferPointer { pb in
                    normalized = uninitializedFloats(x.count) { pn in
                        inverseStd = uninitializedFloats(rows) { pr in
                            Parallel.forEachChunk(rows, cost: d * 8) { range in
                                for r in range {
                                    let row = px.baseAddress! + r * d
                                    let mean = RowKernels.sum(row, d) / Float(d)
                                    let variance = RowKernels.sumOfSquaredDeviations(row, from: mean, d) / Float(d)
                                    let rstd = 1 / (variance + epsilon).squareRoot()
                                    pr[r] = rstd
                                    let nRow = pn.baseAddress! + r * d, yRow = py.baseAddress! + r * d
                                    let g = pg.baseAddress!, b = pb.baseAddress!
                                    var j = 0
                                    while j + 8 <= d {
                                        let n = (load8(row + j) - mean) * rstd
                                        store8(n, nRow + j)
                                        store8(n * load8(g + j) + load8(b + j), yRow + j)
                                        j += 8
                                    }
                                    while j < d {
                                        let n = (row[j] - mean) * rstd
                                        nRow[j] = n
                                        yRow[j] = n * g[j] + b[j]
                                        j += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return Tensor(shape: x.shape, data: out, parents: [x, gamma, beta]) { y in
        y.grad.withUnsafeBufferPointer { dy in
            normalized.withUnsafeBufferPointer { pn in
                if x.requiresGrad {
                    x.accumulateGrad { dx in
                        gamma.data.withUnsafeBufferPointer { pg in
                            Parallel.forEachChunk(rows, cost: d * 8) { range in
                                for r in range {
                                    let o = r * d
                                    let dyRow = dy.baseAddress! + o, nRow = pn.baseAddress! + o, dxRow = dx + o
                                    let gamma = pg.baseAddress!
                                    var sumG = Float8(repeating: 0), sumGN = Float8(repeating: 0)
                                    var j = 0
                                    while j + 8 <= d {
                                        let g = load8(dyRow + j) * load8(gamma + j)
                                        sumG += g
                                        sumGN += g * load8(nRow + j)
                                        j += 8
                                    }
                                    var meanG = sumG.sum(), meanGN = sumGN.sum()
                                    for t in j..<d {
                                        let g = dyRow[t] * gamma[t]
                                        meanG += g
                                        meanGN += g * nRow[t]
                                    }
                                    meanG /= Float(d); meanGN /= Float(d)
                                    let rstd = inverseStd[r]
                                    j = 0
                                    while j + 8 <= d {
                                        let g = load8(dyRow + j) * load8(gamma + j)
                                        store8(load8(dxRow + j) + (g - meanG - load8(nRow + j) * meanGN) * rstd, dxRow + j)
                                        j += 8
                                    }
                                    while j < d {
                                        let g = dyRow[j] * gamma[j]
                                        dxRow[j] += (g - meanG - nRow[j] * meanGN) * rstd
                                        j += 1
                                    }
                                }
                            }
                        }
                    }
                }
                if gamma.requiresGrad {
                    gamma.accumulateGrad { dg in
                        for r in 0..<rows { for j in 0..<d { dg[j] += dy[r * d + j] * pn[r * d + j] } }
                    }
                }
                if beta.requiresGrad {
                    beta.accumulateGrad { db in
                        for r in 0..<rows { for j in 0..<d { db[j] += dy[r * d + j] } }
                    }
                }
            }
        }
    }
}

/// Inverted dropout: zeroes each element with probability `rate` and scales the survivors
/// by 1 / (1 - rate), so that the expected value is unchanged and evaluation needs nothing.
public func dropout(_ x: Tensor, rate: Float, using rng: inout RandomGenerator) -> Tensor {
    precondition(rate >= 0 && rate < 1, "dropout: rate \(rate) must be in [0, 1)")
    if rate == 0 { return x }
    let scale = 1 / (1 - rate)
    var keep = [Float](repeating: 0, count: x.count)
    for i in 0..<keep.count { keep[i] = rng.uniformFloat() < rate ? 0 : scale }
    return x * Tensor(shape: x.shape, data: keep)
}
