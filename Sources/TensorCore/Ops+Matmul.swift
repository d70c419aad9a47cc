/// Matrix products, all through `cblas_sgemm`. Transposed operands are passed to BLAS as
/// flags; nothing is copied.
extension Tensor {
    /// Leading extent when the last two axes are the matrix: [..., m, k] -> (batch, m, k).
    fileprivate var asBatchOfMatrices: (batch: Int, rows: Int, cols: Int) {
        precondition(rank >= 2, "matmul needs at least 2 axes, got shape \(shape)")
        return (shape.dropLast(2).elementCount, shape[rank - 2], shape[rank - 1])
    }
}

/// Why `op(a) · op(b)` is undefined for these shapes, naming both, or nil when it is defined.
/// (A function of its own so that tests can read the message a precondition would print.)
func matmulShapeProblem(_ a: [Int], _ b: [Int], transposeA: Bool, transposeB: Bool) -> String? {
    let shown = "\(a)\(transposeA ? "ᵀ" : "") · \(b)\(transposeB ? "ᵀ" : "")"
    guard a.count >= 2 && b.count >= 2 else { return "matmul needs at least 2 axes on each side, got \(shown)" }
    let k = transposeA ? a[a.count - 2] : a[a.count - 1]
    let kB = transposeB ? b[b.count - 1] : b[b.count - 2]
    if k != kB {
        return "matmul shapes do not fit: \(shown) (inner extents \(k) and \(kB) differ)"
    }
    if b.count > 2 && a.dropLast(2).elementCount != b.dropLast(2).elementCount {
        return "matmul shapes do not fit: \(shown) (batch extents \(Array(a.dropLast(2))) and \(Array(b.dropLast(2))) differ)"
    }
    return nil
}

/// Matrix product `op(a) · op(b)` where op transposes the last two axes when asked.
///
/// Shapes: a [m, k] · b [k, n] -> [m, n]; a [B, m, k] · b [B, k, n] -> [B, m, n] (one
/// product per batch entry); a [B, m, k] · b [k, n] -> [B, m, n] (b shared by the batch).
/// Backward: dA = dC · op(B)^T and dB = op(A)^T · dC, accumulated with beta = 1.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    if let problem = matmulShapeProblem(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB) {
        preconditionFailure(problem)
    }
    let (batchA, rowsA, colsA) = a.asBatchOfMatrices
    let (_, rowsB, colsB) = b.asBatchOfMatrices
    let m = transposeA ? colsA : rowsA, k = transposeA ? rowsA : colsA
    let n = transposeB ? rowsB : colsB
    let shared = b.rank == 2 && batchA > 1
    let outShape = Array(a.shape.dropLast(2)) + [m, n]
    let sizeA = rowsA * colsA, sizeB = rowsB * colsB, sizeC = m * n
    // beta = 0: BLAS writes every element of C without reading it (and an empty inner
    // dimension, k = 0, is a product of zeros, filled here).
    let out = uninitializedFloats(outShape.elementCount) { pc in
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                if k == 0 {
                    pc.initialize(repeating: 0)
                } else if shared && !transposeA {
                    // One product with the batch folded into the rows: [B*m, k] · [k, n].
                    BLAS.sgemm(transposeA: false, transposeB: transposeB, m: batchA * m, n: n, k: k,
                               a: pa.baseAddress!, lda: colsA, b: pb.baseAddress!, ldb: colsB,
                               c: pc.baseAddress!, ldc: n)
                } else {
                    for i in 0..<batchA {
                        BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                   a: pa.baseAddress! + i * sizeA, lda: colsA,
                                   b: pb.baseAddress! + (shared ? 0 : i * sizeB), ldb: colsB,
                                   c: pc.baseAddress! + i * sizeC, ldc: n)
                    }
                }
            }
        }
    }
    return Tensor(shape: outShape, data: out, parents: [a, b]) { c in
        c.grad.withUnsafeBufferPointer { dc in
            if a.requiresGrad {
                a.accumulateGrad { da in
                    b.data.withUnsafeBufferPointer { pb in
                        for i in 0..<batchA {
                            let dci = dc.baseAddress! + i * sizeC
                            let bi = pb.baseAddress! + (shared ? 0 : i * sizeB)
                            if transposeA {
                                // A is stored [k, m]: dA = op(B) · dCᵀ.
                                BLAS.sgemm(transposeA: transposeB, transposeB: true, m: k, n: m, k: n,
                                           a: bi, lda: colsB, b: dci, ldb: n,
                                           beta: 1, c: da + i * sizeA, ldc: colsA)
                            } else {
                                // A is stored [m, k]: dA = dC · op(B)ᵀ.
                                BLAS.sgemm(transposeA: false, transposeB: !transposeB, m: m, n: k, k: n,
                                           a: dci, lda: n, b: bi, ldb: colsB,
                                           beta: 1, c: da + i * sizeA, ldc: colsA)
                            }
                        }
                    }
                }
            }
            if b.requiresGrad {
                b.accumulateGrad { db in
                    a.data.withUnsafeBufferPointer { pa in
                        if shared && !transposeA {
                            let rows = batchA * m
                            if transposeB {
                                BLAS.sgemm(transposeA: true, transposeB: false, m: n, n: k, k: rows,
                                           a: dc.baseAddress!, lda: n, b: pa.baseAddress!, ldb: colsA,
                                           beta: 1, c: db, ldc: colsB)
                            } else {
                                BLAS.sgemm(transposeA: true, transposeB: false, m: k, n: n, k: rows,
                                           a: pa.baseAddress!, lda: colsA, b: dc.baseAddress!, ldb: n,
                                           beta: 1, c: db, ldc: colsB)
                            }
                            return
                        }
                        for i in 0..<batchA {
                            let dci = dc.baseAddress! + i * sizeC
                            let ai = pa.baseAddress! + i * sizeA
                            let dbi = db + (shared ? 0 : i * sizeB)
                            if transposeB {
                                // B is stored [n, k]: dB = dCᵀ · op(A).
                                BLAS.sgemm(transposeA: true, transposeB: transposeA, m: n, n: k, k: m,
                                           a: dci, lda: n, b: ai, ldb: colsA,
                                           beta: 1, c: dbi, ldc: colsB)
                            } else {
                                // B is stored [k, n]: dB = op(A)ᵀ · dC.
                                BLAS.sgemm(transposeA: !transposeA, transposeB: false, m: k, n: n, k: m,
                                           a: ai, lda: colsA, b: dci, ldb: n,
                                           beta: 1, c: dbi, ldc: colsB)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An affine layer in GPT-2's Conv1D layout: y = x · W + b.
///
/// Shapes: x [..., in], weight [in, out], bias [out] -> y [..., out]. All leading axes are
/// folded into the rows of one GEMM. Backward: dx = dy · Wᵀ, dW += xᵀ · dy, db += Σ_rows dy.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(weight.rank == 2 && x.rank >= 1 && x.shape.last! == weight.shape[0],
                 "linear: input \(x.shape) does not fit weight \(weight.shape) (input's last axis must equal weight's first)")
    let inWidth = weight.shape[0], outWidth = weight.shape[1]
    if let bias { precondition(bias.shape == [outWidth], "linear: bias \(bias.shape) does not fit weight \(weight.shape)") }
    let rows = x.count / inWidth
    let outShape = Array(x.shape.dropLast()) + [outWidth]
    // Every row starts as the bias (then beta = 1) or is written by the product (beta = 0).
    let out = uninitializedFloats(rows * outWidth) { py in
        if let bias {
            bias.data.withUnsafeBufferPointer { pb in
                for r in 0..<rows { (py.baseAddress! + r * outWidth).initialize(from: pb.baseAddress!, count: outWidth) }
            }
        }
        x.data.withUnsafeBufferPointer { px in
            weight.data.withUnsafeBufferPointer { pw in
                BLAS.sgemm(transposeA: false, transposeB: false, m: rows, n: outWidth, k: inWidth,
                           a: px.baseAddress!, lda: inWidth, b: pw.baseAddress!, ldb: outWidth,
                           beta: bias == nil ? 0 : 1, c: py.baseAddress!, ldc: outWidth)
            }
        }
    }
    let parents = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor(shape: outShape, data: out, parents: parents) { y in
        y.grad.withUnsafeBufferPointer { dy in
            if x.requiresGrad {
                x.accumulateGrad { dx in
                    weight.data.withUnsafeBufferPointer { pw in
                        BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: inWidth, k: outWidth,
                                   a: dy.baseAddress!, lda: outWidth, b: pw.baseAddress!, ldb: outWidth,
                                   beta: 1, c: dx, ldc: inWidth)
                    }
                }
            }
            if weight.requiresGrad {
                weight.accumulateGrad { dw in
                    x.data.withUnsafeBufferPointer { px in
                        BLAS.sgemm(transposeA: true, transposeB: false, m: inWidth, n: outWidth, k: rows,
                                   a: px.baseAddress!, lda: inWidth, b: dy.baseAddress!, ldb: outWidth,
                                   beta: 1, c: dw, ldc: outWidth)
                    }
                }
            }
            if let bias, bias.requiresGrad {
                bias.accumulateGrad { db in
                    for r in 0..<rows {
                        let row = dy.baseAddress! + r * outWidth
                        for j in 0..<outWidth { db[j] += row[j] }
                    }
                }
            }
        }
    }
}
