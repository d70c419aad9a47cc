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

    /// y [rows, n] = x [rows, k] · W [k, n] + b [n]. A few rows (batch-1 decoding) run as
    /// a vector-matrix product that reads W once, split by columns over the cores when W
    /// is large; many rows go to `cblas_sgemm`.
    static func affine(_ x: UnsafePointer<Float>, rows: Int, k: Int,
                       weight w: UnsafePointer<Float>, bias b: UnsafePointer<Float>?, n: Int,
                       into y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            if let b { (y + r * n).update(from: b, count: n) } else { (y + r * n).update(repeating: 0, count: n) }
        }
        if rows > 2 {
            BLAS.sgemm(transposeA: false, transposeB: false, m: rows, n: n, k: k,
                       a: x, lda: k, b: w, ldb: n, beta: 1, c: y, ldc: n)
            return
        }
        // y[r, j] += Σ_i x[r, i] · W[i, j], row of W by row of W (contiguous axpy).
        func columns(_ range: Range<Int>) {
            for r in 0..<rows {
                let xr = x + r * k, yr = y + r * n + range.lowerBound
                let width = range.count
                for i in 0..<k {
                    let a = xr[i], wi = w + i * n + range.lowerBound
                    for j in 0..<width { yr[j] += a * wi[j] }
                }
            }
        }
        let workers = Parallel.workerCount
        if workers > 1 && k * n >= 1 << 18 {
            // Column blocks of whole cache lines, one per core.
            let blocks = workers
            DispatchQueue.concurrentPerform(iterations: blocks) { c in
                let start = (n * c / blocks) & ~15, end = c == blocks - 1 ? n : (n * (c + 1) / blocks) & ~15
                if start < end { columns(start..<end) }
            }
        } else {
            columns(0..<n)
        }
    }

    /// GELU (tanh form) in place over `count` elements.
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = geluForward(x[i]) }
    }

    /// x += y over `count` elements.
    static func add(_ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }
}
