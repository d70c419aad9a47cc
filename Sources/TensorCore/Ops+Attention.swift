import Foundation

/// Causal multi-head self-attention, fused: from the packed projection qkv = x · W_attn + b
/// straight to the heads' concatenated outputs, with the four matrix products of each head
/// done by `cblas_sgemm` on strided views of the packed buffer (no reshapes, no copies).
///
/// Shapes: qkv [B, T, 3C] laid out as [q | k | v], each C = H · D wide, head h using
/// columns h·D ..< (h+1)·D of its part. Output [B, T, C].
///
/// Forward, per batch entry and head:  S = Q Kᵀ / √D,  P = softmax(S + mask),  O = P V.
/// The mask hides future positions (causal) and, when `keyMask` is given ([B, T], 1 for
/// real tokens, 0 for padding), padded positions. A query that can see no real key (a
/// padding position before the prompt) outputs zeros.
/// Backward:  dP = dO Vᵀ,  dV = Pᵀ dO,  dS = P ⊙ (dP - rowsum(dP ⊙ P)),  dQ = dS K / √D,
/// dK = dSᵀ Q / √D.
public func causalSelfAttention(_ qkv: Tensor, heads: Int, keyMask: [Float]? = nil) -> Tensor {
    precondition(qkv.rank == 3 && qkv.shape[2] % (3 * heads) == 0,
                 "causalSelfAttention: qkv must be [batch, time, 3·width] with width divisible by \(heads) heads, got \(qkv.shape)")
    let (batch, time, packed) = (qkv.shape[0], qkv.shape[1], qkv.shape[2])
    let width = packed / 3, headWidth = width / heads
    if let keyMask { precondition(keyMask.count == batch * time, "causalSelfAttention: keyMask needs \(batch * time) entries, got \(keyMask.count)") }
    let scale = 1 / Float(headWidth).squareRoot()
    let square = time * time
    let blocks = causalBlocks(time)
    var probabilities = [Float](repeating: 0, count: batch * heads * square)

    // O = P V writes every row of every head's columns (beta = 0), so `out` starts unfilled;
    // `probabilities` keeps its zeros above the diagonal, which the products never write.
    let out = uninitializedFloats(batch * time * width) { po in
        qkv.data.withUnsafeBufferPointer { pqkv in
            probabilities.withUnsafeMutableBufferPointer { pp in
                for b in 0..<batch {
                    for h in 0..<heads {
                        let q = pqkv.baseAddress! + b * time * packed + h * headWidth
                        let k = q + width, v = q + 2 * width
                        let p = pp.baseAddress! + (b * heads + h) * square
                        let o = po.baseAddress! + b * time * width + h * headWidth
                        // S = Q Kᵀ / √D, each block of query rows against the keys it can see.
                        for (r0, r1) in blocks {
                            BLAS.sgemm(transposeA: false, transposeB: true, m: r1 - r0, n: r1, k: headWidth,
                                       alpha: scale, a: q + r0 * packed, lda: packed, b: k, ldb: packed,
                                       c: p + r0 * time, ldc: time)
                        }
                        maskedSoftmaxRows(p, time: time, keyMask: keyMask, offset: b * time)
                        // O = P V
                        for (r0, r1) in blocks {
                            BLAS.sgemm(transposeA: false, transposeB: false, m: r1 - r0, n: headWidth, k: r1,
                                       a: p + r0 * time, lda: time, b: v, ldb: packed,
                                       c: o + r0 * width, ldc: width)
                        }
                    }
                }
            }
        }
    }

    return Tensor(shape: [batch, time, width], data: out, parents: [qkv]) { y in
        var dP = [Float](repeating: 0, count: square)
        qkv.accumulateGrad { dqkv in
            qkv.data.withUnsafeBufferPointer { pqkv in
                probabilities.withUnsafeBufferPointer { pp in
                    y.grad.withUnsafeBufferPointer { dy in
                        dP.withUnsafeMutableBufferPointer { pdP in
                            let ds = pdP.baseAddress!
                            for b in 0..<batch {
                                for h in 0..<heads {
                                    let offset = b * time * packed + h * headWidth
                                    let q = pqkv.baseAddress! + offset, k = q + width, v = q + 2 * width
                                    let dq = dqkv + offset, dk = dq + width, dv = dq + 2 * width
                                    let p = pp.baseAddress! + (b * heads + h) * square
                                    let dOut = dy.baseAddress! + b * time * width + h * headWidth
                                    // dP = dO Vᵀ and dV += Pᵀ dO, block by block of query rows
                                    for (r0, r1) in blocks {
                                        let rows = r1 - r0
                                        BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: r1, k: headWidth,
                                                   a: dOut + r0 * width, lda: width, b: v, ldb: packed,
                                                   c: ds + r0 * time, ldc: time)
                                        BLAS.sgemm(transposeA: true, transposeB: false, m: r1, n: headWidth, k: rows,
                                                   a: p + r0 * time, lda: time, b: dOut + r0 * width, ldb: width,
                                                   beta: 1, c: dv, ldc: packed)
                                    }
                                    // dS = P ⊙ (dP - rowsum(dP ⊙ P)), in place
                                    softmaxBackwardRows(p, ds, time: time)
                                    // dQ += dS K / √D and dK += dSᵀ Q / √D
                                    for (r0, r1) in blocks {
                                        let rows = r1 - r0
                                        BLAS.sgemm(transposeA: false, transposeB: false, m: rows, n: headWidth, k: r1,
                                                   alpha: scale, a: ds + r0 * time, lda: time, b: k, ldb: packed,
                                                   beta: 1, c: dq + r0 * packed, ldc: packed)
                                        BLAS.sgemm(transposeA: true, transposeB: false, m: r1, n: headWidth, k: rows,
                                                   alpha: scale, a: ds + r0 * time, lda: time, b: q + r0 * packed, ldb: packed,
                                                   beta: 1, c: dk, ldc: packed)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Row blocks [r0, r1) of the query positions (up to four, at least 8 rows each). Queries
/// in a block see only keys < r1, so each product runs over r1 keys instead of T: with four
/// blocks the products do 5/8 of the full square's work, while each call stays large enough
/// for BLAS to run at speed.
func causalBlocks(_ time: Int) -> [(Int, Int)] {
    let count = Swift.max(1, Swift.min(4, time / 8))
    return (0..<count).map { (time * $0 / count, time * ($0 + 1) / count) }
}

/// Softmax of each row i of a [T, T] score matrix over the keys j ≤ i that the key mask
/// keeps; every other entry becomes exactly 0. Only the lower triangle is read: masked keys
/// are set to −∞ first, so the one vectorized exp pass gives them e^{−∞} = 0.
private func maskedSoftmaxRows(_ s: UnsafeMutablePointer<Float>, time: Int, keyMask: [Float]?, offset: Int) {
    Parallel.forEachChunk(time, cost: time * 6) { range in
        for i in range {
            let row = s + i * time
            let visible = i + 1
            if let keyMask {
                for j in 0..<visible where keyMask[offset + j] == 0 { row[j] = -.infinity }
            }
            let m = RowKernels.maximum(row, visible)
            if m == -.infinity {
                for j in 0..<time { row[j] = 0 }
                continue
            }
            let total = RowKernels.expShifted(row, minus: m, into: row, visible)
            RowKernels.scale(row, by: 1 / total, into: row, visible)
            for j in visible..<time { row[j] = 0 }
        }
    }
}

/// Turns dP into dS = P ⊙ (dP - Σ_j dP_j P_j), row by row, in place (lower triangle only;
/// the upper triangle, where P is 0, becomes 0).
private func softmaxBackwardRows(_ p: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, time: Int) {
    Parallel.forEachChunk(time, cost: time * 4) { range in
        for i in range {
            let pr = p + i * time, dr = d + i * time
            let visible = i + 1
            let dot = RowKernels.dot(pr, dr, visible)
            for j in 0..<visible { dr[j] = pr[j] * (dr[j] - dot) }
            for j in visible..<time { dr[j] = 0 }
        }
    }
}
