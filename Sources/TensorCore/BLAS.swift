import COpenBLAS
import Foundation

/// The one place that talks to OpenBLAS: thread count and single-precision GEMM.
public enum BLAS {
    /// Threads OpenBLAS uses, set once, the first time any matrix product runs.
    /// Default: every core; `RLHF_THREADS=N` in the environment overrides it (benchmarks
    /// compare against PyTorch at a fixed thread count this way).
    public static let threadCount: Int = {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var count = cores
        if let text = ProcessInfo.processInfo.environment["RLHF_THREADS"] {
            if let n = Int(text), n > 0 {
                count = n
            } else {
                FileHandle.standardError.write(Data("RLHF_THREADS=\(text) is not a positive whole number; using \(cores) threads\n".utf8))
            }
        }
        openblas_set_num_threads(Int32(count))
        _ = AllocatorTuning.applied
        return count
    }()

    /// C = alpha * op(A) * op(B) + beta * C, row-major, where op(X) is X or X transposed.
    ///
    /// Shapes: op(A) is [m, k], op(B) is [k, n], C is [m, n]; `lda`, `ldb`, `ldc` are the
    /// row strides of A, B and C as stored (so a matrix can be a column block of a wider
    /// one, like the q, k, v parts of the fused attention projection). Transposes are BLAS
    /// flags, never copies.
    @inline(__always)
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = threadCount
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }
}
