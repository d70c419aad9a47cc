import TestSupport
import XCTest
@testable import TensorCore

/// Masked sum, mean, variance and whitening, the reductions every RLHF loss averages with.
/// Hand example: x = [1, 3, 5, 10] with mask [1, 1, 1, 0] (the 10 is padding):
///   masked sum 1 + 3 + 5 = 9, masked mean 9 / 3 = 3,
///   variance ((1-3)² + 0 + (5-3)²) / 3 = 8/3, unbiased (Bessel) 8/2 = 4,
///   whitened (x - 3) / √(4 + 1e-8) = [-1, 0, 1, 3.5]; with shiftMean: false, + 3 = [2, 3, 4, 6.5].
final class MaskedReductionTests: XCTestCase {
    private let x = Tensor(shape: [4], data: [1, 3, 5, 10])
    private let mask = Tensor(shape: [4], data: [1, 1, 1, 0])

    func testMaskedReductionsMatchHandValues() {
        XCTAssertEqual(maskedSum(x, mask: mask).item, 9)
        XCTAssertEqual(maskedMean(x, mask: mask).item, 3)
        XCTAssertEqual(maskedVariance(x, mask: mask, unbiased: false).item, 8 / 3, accuracy: 1e-6)
        XCTAssertEqual(maskedVariance(x, mask: mask).item, 4, accuracy: 1e-6)
        assertClose(maskedWhiten(x, mask: mask).data, [-1, 0, 1, 3.5], tolerance: 1e-6)
        assertClose(maskedWhiten(x, mask: mask, shiftMean: false).data, [2, 3, 4, 6.5], tolerance: 1e-6)
    }

    func testMaskedReductionsPerRow() {
        // Rows [1, 2, 3] and [4, 5, 6] with masks [1, 0, 1] and [0, 1, 1]:
        // sums 4 and 11, means 2 and 5.5.
        let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        let m = Tensor(shape: [2, 3], data: [1, 0, 1, 0, 1, 1])
        assertClose(maskedSum(a, mask: m, axis: 1).data, [4, 11])
        assertClose(maskedMean(a, mask: m, axis: 1).data, [2, 5.5])
        assertClose(maskedMean(a, mask: m, axis: 0).data, [1, 5, 4.5])
    }

    func testMaskedPositionsDoNotChangeTheResult() {
        let changed = Tensor(shape: [4], data: [1, 3, 5, -1000])
        XCTAssertEqual(maskedMean(changed, mask: mask).item, maskedMean(x, mask: mask).item)
        XCTAssertEqual(maskedVariance(changed, mask: mask).item, maskedVariance(x, mask: mask).item)
    }

    // Gradients; tolerance: GradientCheck's default (relative 1e-2, h = 1e-2).

    private let values = GradientCheck.parameter([3, 5], seed: 71)
    private let mask2D = Tensor(shape: [3, 5], data: [1, 1, 1, 0, 0,
                                                      0, 1, 1, 1, 1,
                                                      1, 0, 1, 0, 1])

    func testMaskedSumAndMeanGradients() {
        GradientCheck.check([values]) { maskedSum($0[0], mask: self.mask2D) }
        GradientCheck.check([values]) { maskedSum($0[0], mask: self.mask2D, axis: 1) }
        GradientCheck.check([values]) { maskedMean($0[0], mask: self.mask2D) }
        GradientCheck.check([values]) { maskedMean($0[0], mask: self.mask2D, axis: 1) }
        GradientCheck.check([values]) { maskedMean($0[0], mask: self.mask2D, axis: 0) }
    }

    func testMaskedVarianceGradients() {
        GradientCheck.check([values]) { maskedVariance($0[0], mask: self.mask2D) }
        GradientCheck.check([values]) { maskedVariance($0[0], mask: self.mask2D, unbiased: false) }
    }

    func testMaskedWhitenGradients() {
        GradientCheck.check([values]) { maskedWhiten($0[0], mask: self.mask2D) }
        GradientCheck.check([values]) { maskedWhiten($0[0], mask: self.mask2D, shiftMean: false) }
    }

    func testMaskReceivesNoGradient() {
        let m = Tensor(parameter: mask2D.data, shape: [3, 5], name: "mask")
        maskedMean(values, mask: m).backward()
        XCTAssertTrue(m.grad.isEmpty)
        XCTAssertEqual(values.grad[3], 0, "a masked position gets no gradient")
        XCTAssertEqual(values.grad[0], 1 / 10, accuracy: 1e-7, "a kept position gets 1 / (number kept)")
    }
}
