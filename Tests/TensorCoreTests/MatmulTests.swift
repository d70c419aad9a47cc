import TestSupport
import XCTest
@testable import TensorCore

/// Matrix products through cblas_sgemm: every transpose combination, plain, batched and
/// with a matrix shared by the batch; values against a naive triple loop, gradients by
/// central differences (GradientCheck's default tolerance, relative 1e-2, h = 1e-2).
final class MatmulTests: XCTestCase {
    /// Reference product of op(a)·op(b) for stored [batch, rows, cols] arrays.
    private func naiveMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> [Float] {
        let (ra, ca) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (rb, cb) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let batch = a.count / (ra * ca)
        let shared = b.rank == 2
        let m = transposeA ? ca : ra, k = transposeA ? ra : ca, n = transposeB ? rb : cb
        var out = [Float](repeating: 0, count: batch * m * n)
        for s in 0..<batch {
            let ao = s * ra * ca, bo = shared ? 0 : s * rb * cb
            for i in 0..<m {
                for j in 0..<n {
                    var total: Float = 0
                    for l in 0..<k {
                        let av = transposeA ? a.data[ao + l * ca + i] : a.data[ao + i * ca + l]
                        let bv = transposeB ? b.data[bo + j * cb + l] : b.data[bo + l * cb + j]
                        total += av * bv
                    }
                    out[s * m * n + i * n + j] = total
                }
            }
        }
        return out
    }

    /// a stored for op(a) = [.., 3, 4], b stored for op(b) = [.., 4, 5].
    private func operands(batchA: [Int], batchB: [Int], transposeA: Bool, transposeB: Bool) -> (Tensor, Tensor) {
        let a = GradientCheck.parameter(batchA + (transposeA ? [4, 3] : [3, 4]), seed: 41)
        let b = GradientCheck.parameter(batchB + (transposeB ? [5, 4] : [4, 5]), seed: 42)
        return (a, b)
    }

    private func checkEveryTransposeCombination(batchA: [Int], batchB: [Int],
                                                file: StaticString = #filePath, line: UInt = #line) {
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let (a, b) = operands(batchA: batchA, batchB: batchB, transposeA: transposeA, transposeB: transposeB)
                let label = "batch \(batchA)/\(batchB) transposeA \(transposeA) transposeB \(transposeB)"
                let c = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
                XCTAssertEqual(c.shape, batchA + [3, 5], label, file: file, line: line)
                assertClose(c.data, naiveMatmul(a, b, transposeA: transposeA, transposeB: transposeB),
                            tolerance: 1e-5, label, file: file, line: line)
                if let problem = GradientCheck.firstMismatch([a, b], {
                    matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB)
                }) {
                    XCTFail("\(label): \(problem)", file: file, line: line)
                }
            }
        }
    }

    /// Products above `BLAS.parallelThreshold` are split over the cores, by rows of C when
    /// m ≥ n and by columns otherwise; every transpose layout of both splits must match the
    /// naive product, with an odd extent so the blocks are unequal, and with beta = 1
    /// accumulation (the backward's path) on a C that is already filled; and the blocks run
    /// inline when the worker pool is busy give the same bits as the blocks run on the pool.
    func testProductsSplitAcrossThreadsMatchTheNaiveProduct() {
        for (m, n) in [(301, 96), (96, 301)] {
            let k = BLAS.parallelThreshold / (m * n) + 7
            XCTAssertGreaterThanOrEqual(m * n * k, BLAS.parallelThreshold)
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    let a = GradientCheck.parameter(transposeA ? [k, m] : [m, k], seed: 43, scale: 0.1)
                    let b = GradientCheck.parameter(transposeB ? [n, k] : [k, n], seed: 44, scale: 0.1)
                    let label = "m \(m) n \(n) k \(k) transposeA \(transposeA) transposeB \(transposeB)"
                    let expected = naiveMatmul(a, b, transposeA: transposeA, transposeB: transposeB)
                    assertClose(matmul(a, b, transposeA: transposeA, transposeB: transposeB).data, expected,
                                tolerance: 1e-4, label)
                    var c = [Float](repeating: 1, count: m * n)
                    a.data.withUnsafeBufferPointer { pa in
                        b.data.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                           a: pa.baseAddress!, lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1],
                                           beta: 1, c: pc.baseAddress!, ldc: n)
                            }
                        }
                    }
                    assertClose(c, expected.map { $0 + 1 }, tolerance: 1e-4, label + " beta 1")
                    // Called from inside a job of the worker pool, the product finds the pool
                    // busy and runs the same blocks inline, one after the other: same bits.
                    var inline = [Float](repeating: 0, count: m * n)
                    inline.withUnsafeMutableBufferPointer { out in
                        let out = out
                        WorkerPool.shared.run(parts: 2) { part in
                            guard part == 0 else { return }
                            a.data.withUnsafeBufferPointer { pa in
                                b.data.withUnsafeBufferPointer { pb in
                                    BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                               a: pa.baseAddress!, lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1],
                                               c: out.baseAddress!, ldc: n)
                                }
                            }
                        }
                    }
                    assertClose(inline, matmul(a, b, transposeA: transposeA, transposeB: transposeB).data,
                                tolerance: 0, label + " inline")
                }
            }
        }
    }

    func testPlainMatrixProductEveryTransposeCombination() {
        checkEveryTransposeCombination(batchA: [], batchB: [])
    }

    func testBatchedProductEveryTransposeCombination() {
        checkEveryTransposeCombination(batchA: [2], batchB: [2])
    }

    func testProductWithAMatrixSharedByTheBatchEveryTransposeCombination() {
        checkEveryTransposeCombination(batchA: [2], batchB: [])
    }

    func testFourAxisBatchedProduct() {
        // Attention-style [B, H, T, D] · [B, H, D, T].
        let a = GradientCheck.parameter([2, 2, 3, 4], seed: 43)
        let b = GradientCheck.parameter([2, 2, 3, 4], seed: 44)
        XCTAssertEqual(matmul(a, b, transposeB: true).shape, [2, 2, 3, 3])
        GradientCheck.check([a, b]) { matmul($0[0], $0[1], transposeB: true) }
    }

    func testLinearMatchesMatmulPlusBias() {
        let x = GradientCheck.parameter([2, 3, 4], seed: 45)
        let w = GradientCheck.parameter([4, 5], seed: 46)
        let b = GradientCheck.parameter([5], seed: 47)
        assertClose(linear(x, weight: w, bias: b).data, (matmul(x, w) + b).data, tolerance: 1e-5)
        assertClose(linear(x, weight: w, bias: nil).data, matmul(x, w).data, tolerance: 1e-5)
    }

    func testLinearGradients() {
        let x = GradientCheck.parameter([2, 3, 4], seed: 45)
        let w = GradientCheck.parameter([4, 5], seed: 46)
        let b = GradientCheck.parameter([5], seed: 47)
        GradientCheck.check([x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
        GradientCheck.check([x, w]) { linear($0[0], weight: $0[1], bias: nil) }
        let single = GradientCheck.parameter([4], seed: 48)
        GradientCheck.check([single, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
    }

    func testConstantOperandGetsNoGradient() {
        let a = GradientCheck.parameter([3, 4], seed: 49)
        let b = Tensor(shape: [4, 2], data: (0..<8).map(Float.init))
        sum(matmul(a, b)).backward()
        XCTAssertTrue(b.grad.isEmpty)
        XCTAssertEqual(a.grad.count, 12)
    }
}
