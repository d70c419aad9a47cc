import XCTest
import TensorCore
@testable import World

final class AnnotatorTests: XCTestCase {
    func testLabelProbabilitiesFormADistributionMatchingBradleyTerry() {
        let a = Annotator(name: "t", temperature: 1.3, lengthBias: 0.2, positionBias: 0.1)
        let p = a.labelProbabilities(goldA: 7, goldB: 5.5, wordsA: 80, wordsB: 40)
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertTrue(p.allSatisfy { $0 >= 0 })
        // P(A preferred) = P(z > 0) = sigmoid((1.5 + 0.2 * 0.4 + 0.1) / 1.3)
        let expected = 1 / (1 + exp(-(1.5 + 0.08 + 0.1) / 1.3))
        XCTAssertEqual(a.probabilityAPreferred(goldA: 7, goldB: 5.5, wordsA: 80, wordsB: 40), expected, accuracy: 1e-12)
        // With no bias, equal gold is symmetric.
        let q = Annotator(name: "u", temperature: 1).labelProbabilities(goldA: 5, goldB: 5, wordsA: 10, wordsB: 10)
        XCTAssertEqual(q[0], q[4], accuracy: 1e-12)
        XCTAssertEqual(q[1], q[3], accuracy: 1e-12)
    }

    /// 10,000 draws per setting: each label's frequency lies within 4 standard errors of
    /// the model's probability, sqrt(p (1 - p) / n).
    func testLabelFrequenciesMatchTheModel() {
        var rng = RandomGenerator(seed: 99)
        let n = 10_000
        for annotator in Annotator.panel {
            for (ga, gb) in [(8.0, 6.0), (5.0, 5.0), (3.0, 7.5)] {
                let p = annotator.labelProbabilities(goldA: ga, goldB: gb, wordsA: 60, wordsB: 90)
                var counts = [Int](repeating: 0, count: 5)
                var aPreferredFeltDifference = 0
                for _ in 0..<n {
                    let label = annotator.label(goldA: ga, goldB: gb, wordsA: 60, wordsB: 90, rng: &rng)
                    counts[label.rawValue] += 1
                    if label.preferred == .a { aPreferredFeltDifference += 1 }
                }
                for k in 0..<5 {
                    let se = (p[k] * (1 - p[k]) / Double(n)).squareRoot()
                    XCTAssertEqual(Double(counts[k]) / Double(n), p[k], accuracy: 4 * se + 1e-9, "\(annotator.name) \(ga)-\(gb) label \(k)")
                }
            }
        }
    }

    func testAgreementTreatsTiesAsDocumented() {
        let items: [[PreferenceLabel]] = [
            [.aSignificantlyBetter, .aSlightlyBetter, .bSlightlyBetter],  // pairs: agree, disagree, disagree
            [.aboutTheSame, .aboutTheSame, .aSlightlyBetter],             // pairs: agree, disagree, disagree
        ]
        XCTAssertEqual(agreement(items)!, 2.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(agreement(items, ties: .ignored)!, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertNil(agreement([[.aSlightlyBetter]]))
        XCTAssertEqual(PreferenceLabel.allCases.map(\.text), [
            "A significantly better", "A slightly better", "About the same", "B slightly better", "B significantly better",
        ])
    }

    /// The fixed pair set: the first two demonstrations of every training prompt of the
    /// seed-1 world, each pair labelled by the whole default panel.
    func testPanelAgreementOnDemonstrationPairsIsLikeRealLabellers() {
        let world = SyntheticWorld(seed: 1)
        let judge = GoldJudge()
        var firstTwo: [String: [Demonstration]] = [:]
        var order: [String] = []
        for d in world.demonstrations {
            if firstTwo[d.prompt.text] == nil { order.append(d.prompt.text) }
            if firstTwo[d.prompt.text, default: []].count < 2 { firstTwo[d.prompt.text, default: []].append(d) }
        }
        var rng = RandomGenerator(seed: 2024)
        var items: [[PreferenceLabel]] = []
        for key in order {
            guard let pair = firstTwo[key], pair.count == 2 else { continue }
            let (a, b) = (pair[0], pair[1])
            let ga = judge.score(a.prompt, response: a.response).total, gb = judge.score(b.prompt, response: b.response).total
            let wa = TextAnalysis.words(a.response).count, wb = TextAnalysis.words(b.response).count
            items.append(Annotator.panel.map { $0.label(goldA: ga, goldB: gb, wordsA: wa, wordsB: wb, rng: &rng) })
        }
        XCTAssertGreaterThan(items.count, 400)
        let value = agreement(items)!
        XCTAssertGreaterThan(value, 0.65)
        XCTAssertLessThan(value, 0.80)
    }
}
