import COpenBLAS
import Foundation

/// The one place that talks to OpenBLAS: thread count and single-precision GEMM.
///
/// OpenBLAS itself runs on one thread; the course splits each large product into
/// row (or column) blocks and runs them on its own worker pool (WorkerPool.swift). Left to
/// itself, OpenBLAS keeps its worker threads spinning for a while after every product, and
/// on a 2-core machine they then compete with the elementwise loops that run between
/// products (the small reference model trained no faster on two threads than on one).
/// Splitting by hand keeps one set of threads for everything, and each output element is
/// still computed by a single thread in a fixed order, so results do not depend on timing.
public enum BLAS {
    /// Cores the course uses for products and parallel loops, fixed once, the first time
    /// any op runs. Default: every core; `RLHF_THREADS=N` in the environment overrides it
    /// (benchmarks compare against PyTorch at a fixed thread count this way).
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
        openblas_set_num_threads(1)
        _ = AllocatorTuning.applied
        return count
    }()

    /// Products below this many multiply-adds run on one thread: handing work to another
    /// thread costs about as much as 1-2 million of them when that thread is asleep.
    static let parallelThreshold = 1 << 21

    /// C = alpha * op(A) * op(B) + beta * C, row-major, where op(X) is X or X transposed.
    ///
    /// Shapes: op(A) is [m, k], op(B) is [k, n], C is [m, n]; `lda`, `ldb`, `ldc` are the
    /// row strides of A, B and C as stored (so a matrix can be a column block of a wider
    /// one, like the q, k, v parts of the fused attention projection). Transposes are BLAS
    /// flags, never copies. Large products are split over the longer side of C, into one
    /// block per core; the blocks depend only on the shape, never on which thread is free.
    @inline(__always)
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let workers = threadCount
        let parts = min(workers, max(m, n) / 32)
        if parts < 2 || m * n * k < parallelThreshold {
            kernel(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        WorkerPool.shared.run(parts: parts) { part in
            if m >= n {
                // Rows of C, and the matching rows of op(A): rows of A, or columns of Aᵀ.
                let (start, end) = (m * part / parts, m * (part + 1) / parts)
                let aBlock = transposeA ? a + start : a + start * lda
                kernel(transposeA, transposeB, end - start, n, k, alpha, aBlock, lda, b, ldb, beta,
                       c + start * ldc, ldc)
            } else {
                // Columns of C, and the matching columns of op(B): columns of B, or rows of Bᵀ.
                let (start, end) = (n * part / parts, n * (part + 1) / parts)
                let bBlock = transposeB ? b + start * ldb : b + start
                kernel(transposeA, transposeB, m, end - start, k, alpha, a, lda, bBlock, ldb, beta,
                       c + start, ldc)
            }
        }
    }

    @inline(__always)
    private static func kernel(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }
}
