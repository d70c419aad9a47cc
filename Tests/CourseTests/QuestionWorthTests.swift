import XCTest
@testable import Course
import LanguageModel
import RLHF
import TensorCore
import World

final class QuestionWorthTests: XCTestCase {
    /// Every held-out demonstration gets another question of its own kind: an open-ended one
    /// about topics it does not ask about, an arithmetic one with another problem.
    func testEachAnswerIsPairedWithAQuestionAboutSomethingElse() {
        let demos = SyntheticWorld(seed: 0).heldOutDemonstrations
        var texts: [[Int]: String] = [:]
        func format(_ text: String) -> [Int] {
            let ids = Array(text.utf8).map(Int.init)
            texts[ids] = text
            return ids
        }
        let items = QuestionWorth.items(demos, format: format, answerTokens: { _ in [0] })
        let prompts = Dictionary(demos.map { ($0.prompt.text, $0.prompt) }, uniquingKeysWith: { a, _ in a })
        let open = demos.filter { $0.prompt.arithmetic == nil && $0.prompt.family != .compare }
        let arithmetic = demos.filter { $0.prompt.arithmetic != nil }
        XCTAssertEqual(items.open.count, open.count)
        XCTAssertEqual(items.arithmetic.count, arithmetic.count)
        for item in items.open {
            let own = prompts[texts[item.own]!]!, other = prompts[texts[item.other]!]!
            XCTAssertTrue(Set(own.topicNames).isDisjoint(with: other.topicNames), "\(own.text) / \(other.text)")
        }
        for item in items.arithmetic {
            let own = prompts[texts[item.own]!]!, other = prompts[texts[item.other]!]!
            XCTAssertNotEqual(own.arithmetic, other.arithmetic)
            XCTAssertNotNil(other.arithmetic)
        }
    }

    /// The measured losses are the sums of the answer's token log-probs after each question,
    /// computed here row by row; an answer after its own question twice is worth 0.
    func testTheWorthIsTheDifferenceOfSummedAnswerLosses() {
        var rng = RandomGenerator(seed: 3)
        let model = GPT(config: GPTConfig(vocabularySize: 19, contextLength: 16, layerCount: 1, headCount: 2, modelWidth: 8),
                        rng: &rng)
        let items = [QuestionWorth.Item(own: [1, 2, 3], other: [4, 5], answer: [6, 7, 8]),
                     QuestionWorth.Item(own: [9], other: [10, 11, 12, 13], answer: [14, 2])]
        let worth = QuestionWorth.measure(model, items: items, batchSize: 1)
        func loss(_ prompt: [Int], _ answer: [Int]) -> Double {
            -Double(model.sequenceLogProbs(prompts: [prompt], responses: [answer]).sequenceSums.data[0])
        }
        let own = items.map { loss($0.own, $0.answer) }, other = items.map { loss($0.other, $0.answer) }
        XCTAssertEqual(worth.answers, 2)
        XCTAssertEqual(worth.ownQuestion, (own[0] + own[1]) / 2, accuracy: 1e-5)
        XCTAssertEqual(worth.otherQuestion, (other[0] + other[1]) / 2, accuracy: 1e-5)
        let differences = zip(other, own).map { $0 - $1 }
        XCTAssertEqual(worth.worth, (differences[0] + differences[1]) / 2, accuracy: 1e-5)
        XCTAssertEqual(worth.standardError, standardError(differences), accuracy: 1e-5)
        let same = QuestionWorth.measure(model, items: items.map { QuestionWorth.Item(own: $0.own, other: $0.own, answer: $0.answer) })
        XCTAssertEqual(same.worth, 0, accuracy: 1e-9)
        // Items longer than the context are left out, not cut.
        let long = QuestionWorth.Item(own: Array(repeating: 1, count: 10), other: [2], answer: Array(repeating: 3, count: 7))
        XCTAssertEqual(QuestionWorth.measure(model, items: [long]).answers, 0)
    }
}
