import TestSupport
import XCTest
@testable import TensorCore

/// Softmax, log-softmax, token log-probabilities and cross-entropy: gradients, values worked
/// out by hand, and stability for logits of magnitude 1e4 (where a naive e^x overflows).
final class SoftmaxFamilyTests: XCTestCase {
    /// Three rows of logits of magnitude 1e4. Subtracting each row's maximum reduces them to
    ///   row 0: [0, -1, -2]            e^0 + e^-1 + e^-2 = 1 + 0.367879 + 0.135335 = 1.503215,
    ///                                 log 1.503215 = 0.407606,
    ///                                 softmax = [0.665241, 0.244728, 0.090031]
    ///   row 1: [0, -2e4, 0]           softmax = [½, e^-20000 / 2 = 0, ½], log ½ = -0.693147
    ///   row 2: [0, 0, 0]              softmax = ⅓ each, log ⅓ = -1.098612
    private let huge = Tensor(shape: [3, 3], data: [1e4, 1e4 - 1, 1e4 - 2,
                                                    1e4, -1e4, 1e4,
                                                    5e3, 5e3, 5e3])

    func testSoftmaxOfHugeLogitsMatchesHandValues() {
        let p = softmax(huge)
        XCTAssertTrue(p.data.allSatisfy(\.isFinite))
        assertClose(p.data, [0.665241, 0.244728, 0.090031, 0.5, 0, 0.5, 1 / 3, 1 / 3, 1 / 3], tolerance: 1e-5)
    }

    func testLogSoftmaxOfHugeLogitsMatchesHandValues() {
        let logP = logSoftmax(huge)
        XCTAssertTrue(logP.data.allSatisfy(\.isFinite))
        // Row 1's middle entry: -2e4 - log 2 = -20000.693147 (Float spacing there is 0.002).
        assertClose(logP.data, [-0.407606, -1.407606, -2.407606,
                                -0.693147, -20000.693147, -0.693147,
                                -1.098612, -1.098612, -1.098612], tolerance: 1e-5)
    }

    func testTokenLogProbsOfHugeLogitsMatchHandValues() {
        let logP = tokenLogProbs(huge, targets: [0, 1, 2])
        XCTAssertEqual(logP.shape, [3])
        assertClose(logP.data, [-0.407606, -20000.693147, -1.098612], tolerance: 1e-5)
    }

    func testCrossEntropyOfHugeLogitsMatchesHandValues() {
        // Mean of -log p(target) = (0.407606 + 20000.693147 + 1.098612) / 3 = 6667.399788.
        let all = crossEntropy(huge, targets: [0, 1, 2])
        XCTAssertEqual(Double(all.item), 6667.399788, accuracy: 1e-2)
        // Ignoring row 1 divides by the two counted tokens: (0.407606 + 1.098612) / 2 = 0.753109.
        let counted = crossEntropy(huge, targets: [0, -100, 2])
        XCTAssertEqual(Double(counted.item), 0.753109, accuracy: 1e-5)
    }

    func testGradientsOfHugeLogitsAreFinite() {
        let logits = Tensor(parameter: huge.data, shape: huge.shape, name: "logits")
        crossEntropy(logits, targets: [0, 1, 2]).backward()
        XCTAssertTrue(logits.grad.allSatisfy(\.isFinite))
        // d CE / d logits = (softmax - onehot(target)) / 3: row 0 is [0.665241 - 1, 0.244728, 0.090031] / 3.
        assertClose(Array(logits.grad[0..<3]), [-0.111586, 0.081576, 0.030010], tolerance: 1e-5)
        logits.zeroGrad()
        sum(softmax(logits) * Tensor(shape: [3, 3], data: (0..<9).map(Float.init))).backward()
        XCTAssertTrue(logits.grad.allSatisfy(\.isFinite))
    }

    func testNegativeInfinityLogitsGetProbabilityZero() {
        // A −∞ logit (a hard mask) contributes e^{−∞} = 0. A row of width 11 (a full 8-lane
        // vector and a tail) that is −∞ except for two equal logits at positions 0 and 9
        // gives ½ to each of those two and exactly 0 elsewhere.
        var row = [Float](repeating: -.infinity, count: 11)
        row[0] = 3; row[9] = 3
        let p = softmax(Tensor(shape: [1, 11], data: row))
        var expected = [Float](repeating: 0, count: 11)
        expected[0] = 0.5; expected[9] = 0.5
        XCTAssertEqual(p.data, expected)
        let logP = logSoftmax(Tensor(shape: [1, 11], data: row))
        XCTAssertEqual(Double(logP.data[9]), -0.693147, accuracy: 1e-6)
        XCTAssertEqual(logP.data[1], -.infinity)
    }

    func testSoftmaxRowsSumToOne() {
        let x = GradientCheck.parameter([4, 7], seed: 51, scale: 5)
        let rows = sum(softmax(x), axis: -1)
        assertClose(rows.data, [1, 1, 1, 1], tolerance: 1e-6)
    }

    // Gradients; tolerance: GradientCheck's default (relative 1e-2, h = 1e-2).

    func testSoftmaxAndLogSoftmaxGradients() {
        let x = GradientCheck.parameter([2, 3, 5], seed: 52)
        GradientCheck.check([x]) { softmax($0[0]) }
        GradientCheck.check([x]) { logSoftmax($0[0]) }
    }

    func testGradientsOnRowsLongerThanAVector() {
        // Width 13 = one 8-lane vector and a tail of 5.
        let x = GradientCheck.parameter([3, 13], seed: 56, scale: 2)
        GradientCheck.check([x]) { softmax($0[0]) }
        GradientCheck.check([x]) { logSoftmax($0[0]) }
        GradientCheck.check([x]) { tokenLogProbs($0[0], targets: [12, 0, 7]) }
        assertClose(softmax(x).data, exp(logSoftmax(x)).data, tolerance: 1e-6)
    }

    func testTokenLogProbsGradients() {
        let x = GradientCheck.parameter([2, 3, 5], seed: 53)
        GradientCheck.check([x]) { tokenLogProbs($0[0], targets: [0, 4, 2, 2, 1, 3]) }
    }

    func testCrossEntropyGradientsWithIgnoredTargets() {
        let x = GradientCheck.parameter([4, 5], seed: 54)
        GradientCheck.check([x]) { crossEntropy($0[0], targets: [1, 4, 0, 3]) }
        GradientCheck.check([x]) { crossEntropy($0[0], targets: [1, -100, 0, -100]) }
        GradientCheck.check([x]) { crossEntropy($0[0], targets: [1, 7, 7, 3], ignoreIndex: 7) }
    }

    func testTokenLogProbsEqualsGatheredLogSoftmax() {
        let x = GradientCheck.parameter([3, 6], seed: 55, scale: 3)
        assertClose(tokenLogProbs(x, targets: [5, 0, 2]).data,
                    gather(logSoftmax(x), indices: [5, 0, 2]).data, tolerance: 1e-6)
    }
}

final class RowKLTests: XCTestCase {
    /// Against the definition in double precision, on random rows of widths that do and do
    /// not fill whole vectors; and 0 for identical rows.
    func testRowKLDivergencesMatchTheDefinition() {
        var rng = RandomGenerator(seed: 12)
        for width in [5, 8, 37] {
            let p = (0..<(6 * width)).map { _ in Float(rng.normal(mean: 0, std: 3)) }
            let q = (0..<(6 * width)).map { _ in Float(rng.normal(mean: 0, std: 3)) }
            let kl = rowKLDivergences(p, q, width: width)
            for r in 0..<6 {
                func logSoftmax(_ x: ArraySlice<Float>) -> [Double] {
                    let m = Double(x.max()!), lse = m + log(x.reduce(0.0) { $0 + exp(Double($1) - m) })
                    return x.map { Double($0) - lse }
                }
                let lp = logSoftmax(p[(r * width)..<((r + 1) * width)]), lq = logSoftmax(q[(r * width)..<((r + 1) * width)])
                let expected = zip(lp, lq).reduce(0) { $0 + exp($1.0) * ($1.0 - $1.1) }
                XCTAssertEqual(Double(kl[r]), expected, accuracy: 1e-4 * max(1, expected))
            }
            XCTAssertTrue(rowKLDivergences(p, p, width: width).allSatisfy { abs($0) < 1e-5 })
            let h = rowEntropies(p, width: width)
            for r in 0..<6 {
                let row = p[(r * width)..<((r + 1) * width)].map(Double.init)
                let m = row.max()!, lse = m + log(row.reduce(0) { $0 + exp($1 - m) })
                let expected = -row.reduce(0) { $0 + exp($1 - lse) * ($1 - lse) }
                XCTAssertEqual(Double(h[r]), expected, accuracy: 1e-4 * max(1, expected))
            }
            XCTAssertEqual(Double(rowEntropies([Float](repeating: 0, count: width), width: width)[0]), log(Double(width)), accuracy: 1e-5)
        }
    }
}
