import XCTest
@testable import TensorCore

final class QuickOpsTests: XCTestCase {
    func testLinearAndMatmul() {
        let x = GradientCheck.parameter([2, 3, 4], seed: 1)
        let w = GradientCheck.parameter([4, 5], seed: 2)
        let b = GradientCheck.parameter([5], seed: 3)
        GradientCheck.check([x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
        GradientCheck.check([x, w]) { matmul($0[0], $0[1]) }
        let y = GradientCheck.parameter([2, 5, 4], seed: 4)
        GradientCheck.check([x, y]) { matmul($0[0], $0[1], transposeB: true) }
        GradientCheck.check([x, y]) { matmul($0[0], $0[1].transposed(1, 2)) }
        let z = GradientCheck.parameter([2, 3, 5], seed: 5)
        GradientCheck.check([x, z]) { matmul($0[0], $0[1], transposeA: true) }
    }

    func testAttentionAndLayerNorm() {
        let qkv = GradientCheck.parameter([2, 5, 12], seed: 1)
        GradientCheck.check([qkv]) { causalSelfAttention($0[0], heads: 2) }
        GradientCheck.check([qkv]) { causalSelfAttention($0[0], heads: 2, keyMask: [0, 1, 1, 1, 1, 0, 0, 1, 1, 1]) }
        let x = GradientCheck.parameter([3, 6], seed: 2)
        let g = GradientCheck.parameter([6], seed: 3)
        let b = GradientCheck.parameter([6], seed: 4)
        GradientCheck.check([x, g, b]) { layerNorm($0[0], gamma: $0[1], beta: $0[2]) }
    }

    func testSoftmaxFamily() {
        let x = GradientCheck.parameter([3, 7], seed: 1)
        GradientCheck.check([x]) { softmax($0[0]) }
        GradientCheck.check([x]) { logSoftmax($0[0]) }
        GradientCheck.check([x]) { tokenLogProbs($0[0], targets: [1, 6, 0]) }
        GradientCheck.check([x]) { crossEntropy($0[0], targets: [1, -100, 0]) }
        GradientCheck.check([x]) { gelu($0[0]) }
    }

    func testBroadcasting() {
        let a = GradientCheck.parameter([2, 3, 4], seed: 1)
        let b = GradientCheck.parameter([4], seed: 2)
        let c = GradientCheck.parameter([2, 3, 1], seed: 3)
        let d = GradientCheck.parameter([2, 1, 4], seed: 4)
        GradientCheck.check([a, b]) { $0[0] * $0[1] }
        GradientCheck.check([a, c]) { $0[0] / ($0[1] * $0[1] + 1) }
        GradientCheck.check([a, d]) { $0[0] - $0[1] }
        GradientCheck.check([d, c]) { $0[0] + $0[1] }
    }
}
