import XCTest
import TensorCore
@testable import World

final class PromptAndDemonstrationTests: XCTestCase {
    let world = SyntheticWorld(seed: 5)

    func testTrainAndHeldOutPromptsDoNotOverlap() {
        let train = Set(world.trainPrompts.map(\.text)), held = Set(world.heldOutPrompts.map(\.text))
        XCTAssertTrue(train.isDisjoint(with: held))
        XCTAssertEqual(Set(Prompt.Family.allCases), Set(world.trainPrompts.map(\.family)))
        XCTAssertEqual(Set(Prompt.Family.allCases), Set(world.heldOutPrompts.map(\.family)))
    }

    func testTheSplitDoesNotChangeWithTheSeed() {
        // Another --seed changes the training draws, never what is held out.
        let other = SyntheticWorld(seed: 3)
        XCTAssertEqual(other.heldOutPrompts, world.heldOutPrompts)
        XCTAssertEqual(other.trainPrompts, world.trainPrompts)
        XCTAssertEqual(other.heldOutDemonstrations.map(\.response), world.heldOutDemonstrations.map(\.response))
        XCTAssertNotEqual(other.demonstrations.map(\.response), world.demonstrations.map(\.response),
                          "the training demonstrations are worded by the seed")
    }

    func testEvaluationPromptsExistVerbatimAndAreHeldOut() {
        XCTAssertEqual(world.evaluationPrompts.map(\.text), SyntheticWorld.evaluationPromptTexts)
        let held = Set(world.heldOutPrompts.map(\.text))
        for p in world.evaluationPrompts { XCTAssertTrue(held.contains(p.text), p.text) }
        XCTAssertEqual(world.evaluationPrompts.map(\.family), [.explain, .story, .howTo])
    }

    func testHeldOutTopicsNeverAppearInTrainingDemonstrations() {
        let heldTopics = Set(Knowledge.heldOutTopicNames)
        for d in world.demonstrations {
            XCTAssertTrue(heldTopics.isDisjoint(with: d.prompt.topicNames), d.prompt.text)
        }
        let heldDemoTopics = Set(world.heldOutDemonstrations.flatMap(\.prompt.topicNames))
        XCTAssertTrue(heldTopics.isSubset(of: heldDemoTopics))
        let held = Set(world.heldOutPrompts.map(\.text))
        XCTAssertTrue(world.heldOutDemonstrations.allSatisfy { held.contains($0.prompt.text) })
    }

    func testDemonstrationsAreManyMixedAndInChatFormat() {
        XCTAssertGreaterThanOrEqual(world.demonstrations.count, 2000)
        let counts = Dictionary(grouping: world.demonstrations, by: \.quality).mapValues(\.count)
        let n = Double(world.demonstrations.count)
        for q in Demonstration.Quality.allCases {
            XCTAssertEqual(Double(counts[q] ?? 0) / n, q.share, accuracy: 0.04, q.rawValue)
        }
        let d = world.demonstrations[0]
        XCTAssertEqual(d.chatText, "User: \(d.prompt.text)\n\nAssistant: \(d.response)")
        // Topic answers are mostly 30 to 120 words long.
        let topical = world.demonstrations.filter { $0.prompt.family != .arithmetic }
        let inBand = topical.filter { (30...120).contains(TextAnalysis.words($0.response).count) }.count
        XCTAssertGreaterThan(Double(inBand) / Double(topical.count), 0.6)
    }

    func testExcellentDemonstrationsOutscoreTheRest() {
        let judge = GoldJudge()
        var byQuality: [Demonstration.Quality: [Double]] = [:]
        for d in world.demonstrations { byQuality[d.quality, default: []].append(judge.score(d.prompt, response: d.response).total) }
        func mean(_ q: Demonstration.Quality) -> Double { byQuality[q]!.reduce(0, +) / Double(byQuality[q]!.count) }
        XCTAssertGreaterThan(mean(.excellent), mean(.dry) + 1)
        XCTAssertGreaterThan(mean(.dry), mean(.technical))
        XCTAssertGreaterThan(mean(.dry), mean(.slip) + 2)
        XCTAssertGreaterThan(mean(.dry), mean(.long))
    }

    /// Every arithmetic demonstration, of every kind, writes the problem's two numbers out
    /// before its result; all but the slips give the exact result last.
    /// Every open-ended demonstration longer than one sentence begins (after a pleasantry)
    /// by saying back what was asked: the first sentence names every topic asked, or the
    /// story asked for.
    func testOpenEndedDemonstrationsSayTheQuestionBack() {
        let open = world.demonstrations.filter { $0.prompt.arithmetic == nil && $0.quality != .terse }
        XCTAssertGreaterThan(open.count, 3000)
        for d in open {
            var text = d.response
            if let opener = ResponseWriter.openers.first(where: { !$0.isEmpty && text.hasPrefix($0 + " ") }) {
                text = String(text.dropFirst(opener.count + 1))
            }
            let first = text.components(separatedBy: ". ")[0]
            let topics = d.prompt.topicNames.compactMap(Knowledge.topic(named:))
            if d.prompt.family == .story {
                XCTAssertTrue(first.contains(topics[0].storyIdea), d.response)
            } else if d.prompt.family == .howTo {
                XCTAssertTrue(first.hasPrefix("Here is how"), d.response)
            } else {
                for t in topics { XCTAssertTrue(first.contains(t.name), "\(d.prompt.text) / \(d.response)") }
            }
        }
    }

    /// Saying a question back, worked by hand for each form of question.
    func testSayingBackUsesTheQuestionsWords() {
        var rng = RandomGenerator(seed: 1)
        let tides = Knowledge.topic(named: "tides")!, comets = Knowledge.topic(named: "comets")!
        XCTAssertEqual(Phrasing.howToSaidBack("How can I keep my teeth healthy?"), "Here is how you can keep your teeth healthy.")
        XCTAssertEqual(Phrasing.howToSaidBack("How can my family recycle more?"), "Here is how your family can recycle more.")
        XCTAssertNil(Phrasing.howToSaidBack("Why is the sky blue?"))
        XCTAssertEqual(Phrasing.saidBack("What is the difference between tides and comets?", topics: [tides, comets], rng: &rng),
                       "Here is the difference between tides and comets.")
        XCTAssertEqual(Phrasing.saidBack("How are tides and comets different?", topics: [tides, comets], rng: &rng),
                       "Here is how tides and comets are different.")
        XCTAssertEqual(Phrasing.saidBack("Compare tides and comets.", topics: [tides, comets], rng: &rng), "Let us compare tides and comets.")
        XCTAssertEqual(Phrasing.saidBack("Write a bedtime story about \(tides.storyIdea)", topics: [tides], rng: &rng),
                       "Here is a bedtime story about \(tides.storyIdea).")
        XCTAssertEqual(Phrasing.saidBack("Give me a fun fact about tides.", topics: [tides], rng: &rng), "You asked about tides.")
        for _ in 0..<20 {
            let said = Phrasing.saidBack("Explain tides to a child", topics: [tides], rng: &rng)
            XCTAssertTrue(said.hasSuffix(" tides."), said)
        }
    }

    func testArithmeticDemonstrationsRestateTheProblem() {
        let arithmetic = world.demonstrations.filter { $0.prompt.arithmetic != nil }
        XCTAssertGreaterThan(arithmetic.count, 400)
        for d in arithmetic {
            let problem = d.prompt.arithmetic!
            XCTAssertTrue(d.response.hasPrefix(problem.expression + " = "), d.response)
            XCTAssertTrue(problem.isRestated(in: d.response), d.response)
            XCTAssertEqual(problem.answerGiven(in: d.response) == problem.answer, d.quality != .slip, d.response)
        }
    }

    /// A slip gives a wrong result, never a negative one (graders read numbers without their
    /// sign, so "-5" would read as 5, and could be right): in the training and held-out
    /// demonstrations of several seeds.
    func testArithmeticSlipsArePositiveAndWrong() {
        for seed: UInt64 in [0, 1, 2, 3, 4, 5] {
            let world = SyntheticWorld(seed: seed)
            for d in world.demonstrations + world.heldOutDemonstrations where d.prompt.arithmetic != nil && d.quality == .slip {
                XCTAssertFalse(d.response.contains("= -"), "seed \(seed): \(d.response)")
                XCTAssertNotEqual(d.prompt.arithmetic!.answerGiven(in: d.response), d.prompt.arithmetic!.answer, "seed \(seed): \(d.response)")
            }
        }
    }

    func testArithmeticPromptsAnswerCorrectly() {
        for p in world.trainPrompts where p.family == .arithmetic {
            let problem = p.arithmetic!
            XCTAssertTrue(p.text.contains(String(problem.left)) && p.text.contains(String(problem.right)), p.text)
            XCTAssertLessThan(problem.left, 100)
            XCTAssertLessThan(problem.right, 100)
            XCTAssertGreaterThan(problem.answer, 0)
        }
    }
}
