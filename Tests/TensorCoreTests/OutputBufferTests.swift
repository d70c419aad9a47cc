import TestSupport
import XCTest
@testable import TensorCore

/// Ops write their outputs into buffers that are not zero-filled first (OutputBuffer.swift).
/// In a debug build such a buffer starts as NaN, so these tests, run on shapes that reach each
/// op's edge paths (odd widths, broadcast rows and columns, a product split over the worker
/// pool, padded attention), fail if any element of an output is left unwritten.
final class OutputBufferTests: XCTestCase {
    private func assertAllFinite(_ t: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let bad = t.data.firstIndex { !$0.isFinite }
        XCTAssertNil(bad, "\(what): element \(bad ?? -1) of \(t.shape) was never written", file: file, line: line)
    }

    func testDebugBuffersStartAsNaNSoAMissedElementShows() throws {
        #if DEBUG
        let values = uninitializedFloats(5) { buffer in
            for i in 0..<4 { buffer[i] = Float(i) }   // element 4 forgotten on purpose
        }
        XCTAssertEqual(Array(values[0..<4]), [0, 1, 2, 3])
        XCTAssertTrue(values[4].isNaN)
        #else
        throw XCTSkip("the NaN start is a debug-build check")
        #endif
    }

    func testAnEmptyBufferIsEmptyAndNeverFilled() {
        var called = false
        XCTAssertEqual(uninitializedFloats(0) { _ in called = true }, [])
        XCTAssertFalse(called)
    }

    func testEveryOpWritesEveryOutputElement() {
        let x = GradientCheck.parameter([3, 5, 7], seed: 1)
        let row = GradientCheck.parameter([7], seed: 2)
        let column = GradientCheck.parameter([3, 5, 1], seed: 3)
        assertAllFinite(x + x, "same-shape add")
        assertAllFinite(x * row, "row broadcast")
        assertAllFinite(x - column, "column broadcast")
        assertAllFinite(x / Tensor(2), "scalar broadcast")
        assertAllFinite(maximum(row, x), "broadcast on the left")
        assertAllFinite(exp(x), "unary")
        assertAllFinite(gelu(GradientCheck.parameter([37], seed: 4)), "gelu with a partial vector")
        assertAllFinite(softmax(x), "softmax")
        assertAllFinite(logSoftmax(x), "log softmax")
        assertAllFinite(layerNorm(x, gamma: Tensor.full([7], 1), beta: Tensor.zeros([7])), "layerNorm")
        assertAllFinite(concat([x, GradientCheck.parameter([3, 2, 7], seed: 5)], axis: 1), "concat")
        assertAllFinite(embedding(GradientCheck.parameter([6, 7], seed: 6), ids: [5, 0, 3], shape: [3]), "embedding")

        let w = GradientCheck.parameter([7, 9], seed: 7)
        assertAllFinite(linear(x, weight: w, bias: nil), "linear without bias")
        assertAllFinite(linear(x, weight: w, bias: GradientCheck.parameter([9], seed: 8)), "linear with bias")
        assertAllFinite(matmul(x, w), "matmul with a shared matrix")
        assertAllFinite(matmul(x, x, transposeB: true), "batched matmul")
        // Above BLAS.parallelThreshold: the product is split into blocks, one per worker.
        let big = matmul(GradientCheck.parameter([160, 130], seed: 9), GradientCheck.parameter([130, 101], seed: 10))
        XCTAssertGreaterThanOrEqual(160 * 130 * 101, BLAS.parallelThreshold)
        assertAllFinite(big, "split matmul")

        let qkv = GradientCheck.parameter([2, 6, 12], seed: 11)
        assertAllFinite(causalSelfAttention(qkv, heads: 2), "attention")
        let padded: [Float] = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
        assertAllFinite(causalSelfAttention(qkv, heads: 2, keyMask: padded), "attention with padding")
    }

    func testAProductOverAnEmptyInnerAxisIsZeros() {
        let product = matmul(Tensor.zeros([2, 0]), Tensor.zeros([0, 3]))
        XCTAssertEqual(product.shape, [2, 3])
        XCTAssertEqual(product.data, [Float](repeating: 0, count: 6))
    }
}
