import Foundation
import TensorCore

/// Plain loops over raw buffers for the inference path (no graph, no allocation), in
/// llm.c's style: shapes in the comments, one contiguous inner loop each, written so that
/// the compiler vectorizes the inner loop (an "axpy" y[j] += a·x[j] over j, never a
/// reduction, which strict floating-point order keeps scalar).
enum InferenceKernels {
    /// out[r] = LayerNorm(x[r]) · γ + β for `rows` rows of width d.
    static func layerNorm(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                          gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                          rows: Int, width d: Int, epsilon: Float) {
        for r in 0..<rows {
            let row = x + r * d, dst = out + r * d
            var mean: Float = 0
            for j in 0..<d { mean += row[j] }
            mean /= Float(d)
            var variance: Float = 0
            for j in 0..<d { let c = row[j] - mean; variance += c * c }
            variance /= Float(d)
            let rstd = 1 / (variance + epsilon).squareRoot()
            for j in 0..<d { dst[j] = (row[j] - mean) * rstd * gamma[j] + beta[j] }
        }
    }

    /// y [rows, n] = x [rows, k] · W [k, n] + b [n]. Batched decoding (`useGEMM`) goes to
    /// `cblas_sgemm`, whose register blocking pays for its packing when many rows share W.
    /// Batch-1 decoding is a sweep over W that reads each weight once for all rows: four rows of W at a time are applied to every row of y
    /// (contiguous axpys that vectorize), while those four rows of W stay in cache.
    /// Columns are split over the cores when the product is large enough to pay for it.
    ///
    /// Such a product is bound by reading W from memory; a GEMM would also copy ("pack") W
    /// on every call, and OpenBLAS's worker threads keep spinning for a while after each
    /// call, taking a core away from the next one.
    static func affine(_ x: UnsafePointer<Float>, rows: Int, k: Int,
                       weight w: UnsafePointer<Float>, bias b: UnsafePointer<Float>?, n: Int,
                       into y: UnsafeMutablePointer<Float>, useGEMM: Bool) {
        for r in 0..<rows {
            if let b { (y + r * n).update(from: b, count: n) } else { (y + r * n).update(repeating: 0, count: n) }
        }
        if useGEMM {
            BLAS.sgemm(transposeA: false, transposeB: false, m: rows, n: n, k: k,
                       a: x, lda: k, b: w, ldb: n, beta: 1, c: y, ldc: n)
            return
        }
        func columns(_ range: Range<Int>) {
            let width = range.count
            var i = 0
            while i + 4 <= k {
                let w0 = w + i * n + range.lowerBound
                let w1 = w0 + n, w2 = w1 + n, w3 = w2 + n
                for r in 0..<rows {
                    let xr = x + r * k + i, yr = y + r * n + range.lowerBound
                    let (a0, a1, a2, a3) = (xr[0], xr[1], xr[2], xr[3])
                    for j in 0..<width { yr[j] += a0 * w0[j] + a1 * w1[j] + a2 * w2[j] + a3 * w3[j] }
                }
                i += 4
            }
            while i < k {
                let wi = w + i * n + range.lowerBound
                for r in 0..<rows {
                    let a = x[r * k + i], yr = y + r * n + range.lowerBound
                    for j in 0..<width { yr[j] += a * wi[j] }
                }
                i += 1
            }
        }
        let workers = Parallel.workerCount
        if workers > 1 && rows * k * n >= 1 << 18 && n >= 32 * workers {
            // Column blocks of whole cache lines, one per core.
            Parallel.forEachPart(workers) { c in
                let start = (n * c / workers) & ~15
                let end = c == workers - 1 ? n : (n * (c + 1) / workers) & ~15
                if start < end { columns(start..<end) }
            }
        } else {
            columns(0..<n)
        }
    }

    /// GELU (tanh form) in place over `count` elements, through the identity
    /// ½(1 + tanh u) = σ(2u) = 1 / (1 + e^{-2u}), since exp is several times cheaper than
    /// tanh: gelu(x) = x / (1 + e^{-2u}), u = √(2/π)(x + 0.044715 x³). At the extremes
    /// e^{-2u} goes to 0 or +∞ and the quotient to x or -0, as it should.
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let c: Float = 2 * 0.7978845608028654
        for i in 0..<count {
            let v = x[i]
            x[i] = v / (1 + Foundation.exp(-c * (v + 0.044715 * v * v * v)))
        }
    }

    /// x += y over `count` elements.
    static func add(_ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }
}
