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

    /// Every answer on a question page says its question back first (a myth's refutation
    /// and a sum aside), a comparison's answer names both topics, and comparisons are there.
    func testQuestionPageAnswersSayTheQuestionBack() {
        let pages = SyntheticWorld(seed: 3).corpusDocuments(targetBytes: 300_000).train.filter { $0.genre == .questionPage }
        XCTAssertGreaterThan(pages.count, 50)
        let openings = ["Let me explain ", "Here is how I would explain ", "I can explain ", "Here is the short answer about ",
                        "You asked about ", "Here is how you can ", "Here is how your ", "Here is the difference between ",
                        "Here is how ", "Let us compare "]
        var answers = 0, comparisons = 0
        for page in pages {
            let lines = page.text.components(separatedBy: "\n")
            for (i, line) in lines.enumerated() where line.hasPrefix("A: ") || line.hasPrefix("Answer: ") {
                let answer = String(line.drop { $0 != " " }.dropFirst())
                let question = lines[i - 1]
                if answer.first!.isNumber || answer.hasPrefix("No. ") { continue }
                answers += 1
                XCTAssertTrue(openings.contains(where: answer.hasPrefix), "\(question) / \(answer)")
                let compared = Knowledge.topics.filter { question.contains("between \($0.name) and") || question.contains(" \($0.name) and ") }
                if question.hasPrefix("Q: Compare") || question.hasPrefix("Question: Compare") || question.contains("difference between")
                    || question.contains(" different?") {
                    comparisons += 1
                    let first = answer.components(separatedBy: ". ")[0]
                    XCTAssertFalse(compared.isEmpty, question)
                    for t in compared { XCTAssertTrue(first.contains(t.name), "\(question) / \(first)") }
                }
            }
        }
        XCTAssertGreaterThan(Double(comparisons) / Double(answers), 0.1, "about a fifth of the questions compare two topics")
    }

    /// A third of the quiz problems are number facts with both numbers up to 9.
    func testQuizzesDrillSmallNumberFacts() {
        let quizzes = SyntheticWorld(seed: 3).corpusDocuments(targetBytes: 300_000).train
            .filter { $0.genre == .arithmeticDrill && $0.text.contains("\nA: ") }
        var small = 0, all = 0
        for quiz in quizzes {
            for line in quiz.text.components(separatedBy: "\n") where line.hasPrefix("A: ") {
                let numbers = TextAnalysis.numbers(in: line)
                all += 1
                if numbers[0] <= 9 && numbers[1] <= 9 { small += 1 }
            }
        }
        XCTAssertGreaterThan(all, 500)
        XCTAssertEqual(Double(small) / Double(all), 1.0 / 3 + 0.2 / 3, accuracy: 0.05)
    }

    func testCorpusMentionsHeldOutTopics() {
        let docs = SyntheticWorld(seed: 11).corpus(targetBytes: 300_000).train.joined(separator: "\n")
        for name in Knowledge.heldOutTopicNames {
            XCTAssertTrue(docs.lowercased().contains(name), name)
        }
    }
}
