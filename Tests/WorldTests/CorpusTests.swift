import XCTest
@testable import World

final class CorpusTests: XCTestCase {
    func testCorpusHasEveryGenreAndNoChatMarkers() {
        let world = SyntheticWorld(seed: 11)
        let docs = world.corpusDocuments(targetBytes: 300_000)
        let bytes = docs.train.reduce(0) { $0 + $1.text.utf8.count }
        XCTAssertGreaterThanOrEqual(bytes, 300_000)
        XCTAssertLessThan(bytes, 310_000)
        XCTAssertEqual(Set(docs.train.map(\.genre)), Set(CorpusGenre.allCases))
        XCTAssertFalse(docs.validation.isEmpty)
        for doc in docs.train + docs.validation {
            XCTAssertFalse(doc.text.contains("User:"), doc.text)
            XCTAssertFalse(doc.text.contains("Assistant:"), doc.text)
            XCTAssertFalse(doc.text.isEmpty)
        }
        XCTAssertTrue(docs.train.contains { $0.genre == .forum && $0.text.hasPrefix("Question:") })
    }

    func testCorpusMentionsHeldOutTopics() {
        let docs = SyntheticWorld(seed: 11).corpus(targetBytes: 300_000).train.joined(separator: "\n")
        for name in Knowledge.heldOutTopicNames {
            XCTAssertTrue(docs.lowercased().contains(name), name)
        }
    }
}
