import XCTest
@testable import TensorCore

/// The seeded generator: reproducible streams, independent derived streams, and sampling
/// helpers whose frequencies match what they promise. Every test uses a fixed seed, so a
/// statistical bound below either always passes or always fails; the bounds are set at
/// about five standard deviations (or the 99.9% point of chi-square) so that a correct
/// sampler passes for essentially any seed.
final class RandomGeneratorTests: XCTestCase {
    func testSameSeedGivesTheSameStream() {
        var a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42)
        let first = (0..<1000).map { _ in a.next() }
        XCTAssertEqual(first, (0..<1000).map { _ in b.next() })
        var c = RandomGenerator(seed: 43)
        XCTAssertNotEqual(first, (0..<1000).map { _ in c.next() })
    }

    func testSameSeedGivesTheSameDrawsOfEveryKind() {
        func draws(_ seed: UInt64) -> [Double] {
            var rng = RandomGenerator(seed: seed)
            var out: [Double] = []
            for _ in 0..<100 {
                out.append(rng.uniform())
                out.append(Double(rng.uniformFloat()))
                out.append(rng.normal())
                out.append(Double(rng.int(below: 97)))
                out.append(Double(rng.categorical([0.2, 0.5, 0.3])))
            }
            out += rng.shuffled(Array(0..<20)).map(Double.init)
            return out
        }
        XCTAssertEqual(draws(7), draws(7))
    }

    func testDerivedStreamsDifferFromEachOtherAndFromTheParent() {
        let parent = RandomGenerator(seed: 1)
        var a = parent.derived("annotators"), b = parent.derived("prompts")
        var again = parent.derived("annotators")
        var p = parent
        let streamA = (0..<64).map { _ in a.next() }
        XCTAssertNotEqual(streamA, (0..<64).map { _ in b.next() })
        XCTAssertNotEqual(streamA, (0..<64).map { _ in p.next() })
        XCTAssertEqual(streamA, (0..<64).map { _ in again.next() }, "deriving is deterministic")
        var otherParent = RandomGenerator(seed: 2).derived("annotators")
        XCTAssertNotEqual(streamA, (0..<64).map { _ in otherParent.next() }, "the parent's seed matters")
    }

    func testUniformAndNormalMoments() {
        var rng = RandomGenerator(seed: 3)
        let n = 100_000
        let u = (0..<n).map { _ in rng.uniform() }
        XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
        // Mean of U(0, 1) is ½ with standard error √(1/12 / n) = 0.0009.
        XCTAssertEqual(u.reduce(0, +) / Double(n), 0.5, accuracy: 0.0045)
        let z = (0..<n).map { _ in rng.normal() }
        let mean = z.reduce(0, +) / Double(n)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        XCTAssertEqual(mean, 0, accuracy: 0.016)          // standard error 0.0032
        XCTAssertEqual(variance, 1, accuracy: 0.023)      // standard error √(2/n) = 0.0045
    }

    func testCategoricalFrequenciesMatchTheWeights() {
        // Weights need not sum to 1: [1, 0, 3, 6] means probabilities [0.1, 0, 0.3, 0.6].
        var rng = RandomGenerator(seed: 4)
        let n = 50_000
        var counts = [0, 0, 0, 0]
        for _ in 0..<n { counts[rng.categorical([1.0, 0.0, 3.0, 6.0])] += 1 }
        XCTAssertEqual(counts[1], 0, "a zero weight is never drawn")
        for (count, p) in zip(counts, [0.1, 0.0, 0.3, 0.6]) where p > 0 {
            let sigma = (p * (1 - p) / Double(n)).squareRoot()
            XCTAssertEqual(Double(count) / Double(n), p, accuracy: 5 * sigma)
        }
        let floats: [Float] = [0, 0, 2]
        XCTAssertEqual(rng.categorical(floats), 2)
    }

    func testIntBelowIsUniformByChiSquare() {
        // 100,000 draws in 10 cells: Σ (observed - expected)² / expected follows chi-square
        // with 9 degrees of freedom, whose 99.9% point is 27.9.
        var rng = RandomGenerator(seed: 5)
        for bound in [10, 7] {
            let n = 100_000
            var counts = [Int](repeating: 0, count: bound)
            for _ in 0..<n { counts[rng.int(below: bound)] += 1 }
            let expected = Double(n) / Double(bound)
            let chiSquare = counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
            XCTAssertLessThan(chiSquare, bound == 10 ? 27.9 : 22.5, "bound \(bound): counts \(counts)")
        }
    }

    func testIntBelowHasNoModuloBiasForAHugeBound() {
        // Bound b = 3 · 2⁶¹ = ⅜ · 2⁶⁴. `next() % b` would give values under 2⁶⁴ - 2b = ⅔ b three
        // preimages and the rest two, landing below b/2 with probability 3 · (b/2) / 2⁶⁴ = 0.5625.
        // An unbiased draw lands there half the time.
        var rng = RandomGenerator(seed: 6)
        let b = 0x6000_0000_0000_0000
        let n = 20_000
        var below = 0
        for _ in 0..<n where rng.int(below: b) < b / 2 { below += 1 }
        XCTAssertEqual(Double(below) / Double(n), 0.5, accuracy: 0.018)   // σ = 0.0035
    }

    func testShuffleIsAPermutationAndEveryPositionIsUniform() {
        var rng = RandomGenerator(seed: 8)
        XCTAssertEqual(rng.shuffled(Array(0..<50)).sorted(), Array(0..<50))
        // Where does element 0 land, over 40,000 shuffles of 4? Each place with probability ¼.
        var places = [0, 0, 0, 0]
        for _ in 0..<40_000 { places[rng.shuffled([0, 1, 2, 3]).firstIndex(of: 0)!] += 1 }
        for count in places { XCTAssertEqual(Double(count) / 40_000, 0.25, accuracy: 0.011) }
    }

    func testRandomTensorsAreSeededAndInRange() {
        var a = RandomGenerator(seed: 10), b = RandomGenerator(seed: 10)
        let u = Tensor.randomUniform([1000], low: -2, high: 3, using: &a)
        XCTAssertTrue(u.data.allSatisfy { $0 >= -2 && $0 < 3 })
        XCTAssertEqual(u.data, Tensor.randomUniform([1000], low: -2, high: 3, using: &b).data)
        let z = Tensor.randomNormal([10_000], std: 2, mean: 5, using: &a)
        let mean = z.data.reduce(0, +) / 10_000
        XCTAssertEqual(mean, 5, accuracy: 0.1)   // standard error 0.02
    }

    func testIntInClosedRangeCoversBothEnds() {
        var rng = RandomGenerator(seed: 9)
        let seen = Set((0..<1000).map { _ in rng.int(in: -2...2) })
        XCTAssertEqual(seen, [-2, -1, 0, 1, 2])
    }
}
