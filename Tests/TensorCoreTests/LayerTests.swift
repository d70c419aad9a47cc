import TestSupport
import XCTest
@testable import TensorCore

/// The fused transformer layers: embedding, LayerNorm, dropout and causal self-attention.
/// Values against references written out plainly; gradients by central differences with
/// GradientCheck's default tolerance (relative 1e-2, h = 1e-2) unless a test says otherwise.
final class LayerTests: XCTestCase {
    // MARK: Embedding

    func testEmbeddingPicksRows() {
        let table = Tensor(shape: [3, 2], data: [0, 1, 10, 11, 20, 21])
        let y = embedding(table, ids: [2, 0, 2, 1], shape: [2, 2])
        XCTAssertEqual(y.shape, [2, 2, 2])
        XCTAssertEqual(y.data, [20, 21, 0, 1, 20, 21, 10, 11])
    }

    func testEmbeddingGradientsWithRepeatedIds() {
        // Id 3 appears three times: its row must receive the sum of three gradients.
        let table = GradientCheck.parameter([5, 4], seed: 61)
        GradientCheck.check([table]) { embedding($0[0], ids: [3, 1, 3, 0, 3, 1], shape: [2, 3]) }
        table.zeroGrad()
        embedding(table, ids: [3, 3, 3], shape: [3]).backward(seed: [Float](repeating: 1, count: 12))
        XCTAssertEqual(Array(table.grad[12..<16]), [3, 3, 3, 3])
        XCTAssertEqual(Array(table.grad[8..<12]), [0, 0, 0, 0])
    }

    // MARK: LayerNorm

    func testLayerNormMatchesHandValues() {
        // Row [1, 2, 3, 6]: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5, 1/√(3.5 + 1e-5) = 0.534522;
        // normalized [-1.069044, -0.534522, 0, 1.603567], then ·γ + β with γ = [1, 2, 1, 1],
        // β = [0, 0, 1, -1]: [-1.069044, -1.069044, 1, 0.603567].
        let x = Tensor(shape: [1, 4], data: [1, 2, 3, 6])
        let y = layerNorm(x, gamma: Tensor(shape: [4], data: [1, 2, 1, 1]), beta: Tensor(shape: [4], data: [0, 0, 1, -1]))
        assertClose(y.data, [-1.069044, -1.069044, 1, 0.603567], tolerance: 1e-5)
    }

    func testLayerNormGradients() {
        let x = GradientCheck.parameter([2, 3, 6], seed: 62)
        let gamma = GradientCheck.parameter([6], seed: 63)
        let beta = GradientCheck.parameter([6], seed: 64)
        GradientCheck.check([x, gamma, beta]) { layerNorm($0[0], gamma: $0[1], beta: $0[2]) }
    }

    func testLayerNormMatchesComposedOpsOnRowsLongerThanAVector() {
        // Width 19 = two 8-lane vectors and a tail of 3: the fused kernel against
        // (x - mean) / sqrt(var + ε) · γ + β built from elementwise ops.
        let x = GradientCheck.parameter([3, 19], seed: 67, scale: 3)
        let gamma = GradientCheck.parameter([19], seed: 68)
        let beta = GradientCheck.parameter([19], seed: 69)
        let centred = x - mean(x, axis: -1, keepDims: true)
        let variance = mean(square(centred), axis: -1, keepDims: true)
        let composed = centred / sqrt(variance + 1e-5) * gamma + beta
        assertClose(layerNorm(x, gamma: gamma, beta: beta).data, composed.data, tolerance: 1e-5)
        GradientCheck.check([x, gamma, beta]) { layerNorm($0[0], gamma: $0[1], beta: $0[2]) }
    }

    // MARK: Dropout

    func testDropoutGradientsWithAFixedMask() {
        // The generator is re-seeded inside the closure, so every evaluation draws the same mask.
        let x = GradientCheck.parameter([4, 5], seed: 65)
        GradientCheck.check([x]) { inputs in
            var rng = RandomGenerator(seed: 99)
            return dropout(inputs[0], rate: 0.3, using: &rng)
        }
    }

    func testDropoutZeroesAndRescales() {
        var rng = RandomGenerator(seed: 5)
        let y = dropout(Tensor.full([10_000], 1), rate: 0.25, using: &rng)
        let kept = y.data.filter { $0 != 0 }
        XCTAssertTrue(kept.allSatisfy { Swift.abs($0 - 4 / 3) < 1e-6 }, "survivors are scaled by 1 / (1 - rate)")
        // Kept fraction ~ Binomial(10000, 0.75) / 10000: standard deviation 0.0043; allow 5σ.
        XCTAssertEqual(Double(kept.count) / 10_000, 0.75, accuracy: 0.022)
        var same = RandomGenerator(seed: 5)
        XCTAssertEqual(dropout(Tensor.full([10_000], 1), rate: 0.25, using: &same).data, y.data)
    }

    // MARK: Causal self-attention

    /// Attention written out plainly, in Double: for each batch entry, head and query i,
    /// softmax over the visible keys j ≤ i (and keyMask[j] ≠ 0) of q_i·k_j / √D, times v.
    private func referenceAttention(_ qkv: Tensor, heads: Int, keyMask: [Float]?) -> [Float] {
        let (batch, time, packed) = (qkv.shape[0], qkv.shape[1], qkv.shape[2])
        let width = packed / 3, d = width / heads
        var out = [Float](repeating: 0, count: batch * time * width)
        func at(_ b: Int, _ t: Int, _ column: Int) -> Double { Double(qkv.data[(b * time + t) * packed + column]) }
        for b in 0..<batch {
            for h in 0..<heads {
                for i in 0..<time {
                    let visible = (0...i).filter { keyMask == nil || keyMask![b * time + $0] != 0 }
                    if visible.isEmpty { continue }
                    let scores = visible.map { j in
                        (0..<d).reduce(0.0) { $0 + at(b, i, h * d + $1) * at(b, j, width + h * d + $1) } / Double(d).squareRoot()
                    }
                    let top = scores.max()!
                    let weights = scores.map { Foundation.exp($0 - top) }
                    let total = weights.reduce(0, +)
                    for c in 0..<d {
                        var value = 0.0
                        for (w, j) in zip(weights, visible) { value += w / total * at(b, j, 2 * width + h * d + c) }
                        out[(b * time + i) * width + h * d + c] = Float(value)
                    }
                }
            }
        }
        return out
    }

    private let qkv = GradientCheck.parameter([2, 5, 12], seed: 66)
    /// Batch 0 pads its first position (so query 0 sees no real key at all); batch 1 pads
    /// positions 0 and 1 and keeps the rest.
    private let keyMask: [Float] = [0, 1, 1, 1, 1, 0, 0, 1, 1, 1]

    func testAttentionMatchesThePlainReference() {
        for heads in [1, 2] {
            assertClose(causalSelfAttention(qkv, heads: heads).data,
                        referenceAttention(qkv, heads: heads, keyMask: nil), tolerance: 1e-5, "heads \(heads)")
        }
        assertClose(causalSelfAttention(qkv, heads: 2, keyMask: keyMask).data,
                    referenceAttention(qkv, heads: 2, keyMask: keyMask), tolerance: 1e-5, "with key mask")
    }

    func testAttentionIsCausal() {
        // Changing the last position's q, k and v must leave every earlier output unchanged.
        let before = causalSelfAttention(qkv, heads: 2).data
        let changed = Tensor(shape: qkv.shape, data: qkv.data)
        for c in 0..<12 { changed.data[4 * 12 + c] += 1 }
        let after = causalSelfAttention(changed, heads: 2).data
        // Outputs are [2, 5, 4]: batch 0's positions 0-3 are 0..<16, its position 4 is 16..<20.
        XCTAssertEqual(Array(before[0..<16]), Array(after[0..<16]))
        XCTAssertNotEqual(Array(before[16..<20]), Array(after[16..<20]))
        XCTAssertEqual(Array(before[20..<40]), Array(after[20..<40]), "batch entries do not mix")
    }

    func testAttentionOnSequencesLongerThanAVector() {
        // T = 19: score rows run past two 8-lane vectors, and the products run in two blocks
        // of query rows ([0, 9) and [9, 19)), with and without padding.
        XCTAssertEqual(causalBlocks(19).map { [$0.0, $0.1] }, [[0, 9], [9, 19]])
        XCTAssertEqual(causalBlocks(256).map { [$0.0, $0.1] }, [[0, 64], [64, 128], [128, 192], [192, 256]])
        XCTAssertEqual(causalBlocks(5).map { [$0.0, $0.1] }, [[0, 5]])
        let long = GradientCheck.parameter([2, 19, 6], seed: 70)
        let mask: [Float] = [0, 0] + [Float](repeating: 1, count: 17) + [Float](repeating: 1, count: 18) + [0]
        assertClose(causalSelfAttention(long, heads: 1).data,
                    referenceAttention(long, heads: 1, keyMask: nil), tolerance: 1e-5)
        assertClose(causalSelfAttention(long, heads: 2, keyMask: mask).data,
                    referenceAttention(long, heads: 2, keyMask: mask), tolerance: 1e-5)
        GradientCheck.check([long]) { causalSelfAttention($0[0], heads: 2, keyMask: mask) }
    }

    func testFullyMaskedQueryOutputsZeros() {
        let y = causalSelfAttention(qkv, heads: 2, keyMask: keyMask)
        XCTAssertEqual(Array(y.data[0..<4]), [0, 0, 0, 0])          // batch 0, query 0
        XCTAssertEqual(Array(y.data[20..<28]), [Float](repeating: 0, count: 8))  // batch 1, queries 0-1
    }

    func testAttentionGradientsWithoutKeyMask() {
        GradientCheck.check([qkv]) { causalSelfAttention($0[0], heads: 1) }
        GradientCheck.check([qkv]) { causalSelfAttention($0[0], heads: 2) }
    }

    func testAttentionGradientsWithKeyMaskAndAFullyMaskedQuery() {
        GradientCheck.check([qkv]) { causalSelfAttention($0[0], heads: 2, keyMask: self.keyMask) }
        // The padded positions' keys and values must receive no gradient from anyone.
        qkv.zeroGrad()
        causalSelfAttention(qkv, heads: 2, keyMask: keyMask).backward(seed: [Float](repeating: 1, count: 40))
        XCTAssertEqual(Array(qkv.grad[4..<12]), [Float](repeating: 0, count: 8), "batch 0, position 0: k and v")
    }
}
