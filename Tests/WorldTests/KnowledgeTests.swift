import XCTest
@testable import World

final class KnowledgeTests: XCTestCase {
    func testCatalogueHoldsEnoughCompleteTopics() {
        XCTAssertGreaterThanOrEqual(Knowledge.topics.count, 40)
        XCTAssertNotNil(Knowledge.topic(named: "quantum computing"))
        XCTAssertNotNil(Knowledge.topic(named: "robots"))
        XCTAssertEqual(Set(Knowledge.topics.map(\.name)).count, Knowledge.topics.count, "topic names repeat")
        for t in Knowledge.topics {
            XCTAssertGreaterThanOrEqual(t.analogies.count, 2, t.name)
            XCTAssertGreaterThanOrEqual(t.facts.count, 3, t.name)
            XCTAssertGreaterThanOrEqual(t.technical.count, 3, t.name)
            XCTAssertGreaterThanOrEqual(t.simple.count, 3, t.name)
            XCTAssertFalse(t.keywords.isEmpty, t.name)
        }
        for name in Knowledge.heldOutTopicNames { XCTAssertNotNil(Knowledge.topic(named: name), name) }
    }

    func testNoTwoTopicsShareAKeyword() {
        var owner: [String: String] = [:]
        for t in Knowledge.topics {
            for k in t.keywords {
                if let other = owner[k] { XCTFail("keyword '\(k)' belongs to \(other) and \(t.name)") }
                owner[k] = t.name
            }
        }
    }

    /// The judge can only credit a fact that its own sentence states, and can only catch a
    /// misconception that its own claim states.
    func testFactsAndMisconceptionsAreDetectableInTheirOwnWords() {
        let judge = GoldJudge()
        for t in Knowledge.topics {
            for f in t.facts {
                let words = TextAnalysis.words(f.sentence)
                XCTAssertTrue(f.keywords.allSatisfy { TextAnalysis.contains($0, in: words) }, "\(t.name): \(f.sentence)")
            }
            XCTAssertTrue(judge.statesMisconception([t], TextAnalysis.sentences(t.misconception.claim)), "\(t.name): claim not caught")
            XCTAssertFalse(judge.statesMisconception([t], TextAnalysis.sentences(t.misconception.correction)), "\(t.name): correction flagged")
        }
    }

    func testChildExplanationsUseSimpleWordsAndTechnicalOnesDoNot() {
        var simpleShares: [Double] = [], technicalShares: [Double] = []
        func share(_ text: String, _ t: Topic) -> Double {
            let allowed = Set(TextAnalysis.words(t.name))
            let words = TextAnalysis.words(text)
            return Double(words.filter { allowed.contains($0) || SimpleVocabulary.isSimple($0) }.count) / Double(words.count)
        }
        for t in Knowledge.topics {
            simpleShares.append(share(t.simple.joined(separator: " "), t))
            technicalShares.append(share(t.technical.joined(separator: " "), t))
        }
        let meanSimple = simpleShares.reduce(0, +) / Double(simpleShares.count)
        let meanTechnical = technicalShares.reduce(0, +) / Double(technicalShares.count)
        XCTAssertGreaterThan(meanSimple, 0.92)
        XCTAssertLessThan(meanTechnical, 0.80)
    }

    func testVocabularyEndings() {
        XCTAssertTrue(SimpleVocabulary.isSimple("plants"))
        XCTAssertTrue(SimpleVocabulary.isSimple("bigger"))
        XCTAssertTrue(SimpleVocabulary.isSimple("making"))
        XCTAssertTrue(SimpleVocabulary.isSimple("42"))
        XCTAssertFalse(SimpleVocabulary.isSimple("superposition"))
        XCTAssertFalse(SimpleVocabulary.isSimple("chlorophyll"))
    }
}
