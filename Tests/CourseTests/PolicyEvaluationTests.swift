import XCTest
@testable import Course
import World

final class PolicyEvaluationTests: XCTestCase {
    static func answer(_ prompt: String, gold: Double, family: String = "explain", unseen: Bool = false,
                       reward: Double? = nil, kl: Double? = nil, panel: Double? = nil, tokens: Int = 10,
                       ended: Bool = true) -> PolicyEvaluation.Answer {
        PolicyEvaluation.Answer(prompt: prompt, family: family, unseenTopic: unseen, response: "r", tokens: tokens, words: tokens,
                                endedWithEndOfText: ended, gold: gold, criteria: ["analogy": gold / 10],
                                reward: reward, klSampled: kl, klExact: kl.map { $0 / 2 }, panelWin: panel)
    }

    static func evaluation(_ name: String, _ answers: [PolicyEvaluation.Answer],
                           kl: PolicyEvaluation.KLSource = .measured) -> PolicyEvaluation {
        PolicyEvaluation(policy: name, chapter: "06-ppo",
                         sampling: .init(temperature: 1, topP: 1, maxNewTokens: 160, selection: nil),
                         answers: answers, klSource: kl)
    }

    func testThePairedGainWinRateAndMeansAgainstHandValues() {
        let sft = Self.evaluation("SFT", [Self.answer("a", gold: 4), Self.answer("b", gold: 5),
                                          Self.answer("c", gold: 6), Self.answer("d", gold: 3)], kl: .reference)
        let ppo = Self.evaluation("PPO", [
            Self.answer("a", gold: 6, family: "explain", reward: 1, kl: 2, panel: 0.8, tokens: 10),
            Self.answer("b", gold: 5, family: "arithmetic", unseen: true, reward: 0, kl: 4, panel: 0.5, tokens: 20),
            Self.answer("c", gold: 7, family: "explain", reward: 2, kl: 0, panel: 0.6, tokens: 30, ended: false),
            Self.answer("d", gold: 2, family: "explain", reward: -1, kl: 2, panel: 0.1, tokens: 40),
        ])
        let s = ppo.summary(against: sft)
        XCTAssertEqual(s.prompts, 4)
        XCTAssertEqual(s.gold, 5, accuracy: 1e-12)
        // Differences 2, 0, 1, -1: mean 0.5, sample std sqrt(5/3), s.e. sqrt(5/3)/2.
        XCTAssertEqual(s.goldGain!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(s.goldGainStandardError!, (5.0 / 3).squareRoot() / 2, accuracy: 1e-12)
        // Wins 1, tie 0.5, win 1, loss 0.
        XCTAssertEqual(s.winRate!, 2.5 / 4, accuracy: 1e-12)
        XCTAssertEqual(s.panelWinRate!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(s.reward!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(s.klSampled!, 2, accuracy: 1e-12)
        XCTAssertEqual(s.klExact!, 1, accuracy: 1e-12)
        XCTAssertEqual(s.endedWithEndOfText, 0.75, accuracy: 1e-12)
        XCTAssertEqual(s.meanTokens, 25, accuracy: 1e-12)
        XCTAssertEqual(s.families["explain"]!, 5, accuracy: 1e-12)
        XCTAssertEqual(s.families["arithmetic"]!, 5, accuracy: 1e-12)
        XCTAssertEqual(s.unseenTopics!, 5, accuracy: 1e-12)
        XCTAssertEqual(s.criteria["analogy"]!, 0.5, accuracy: 1e-12)
        // SFT against itself: no gain, every prompt a tie, KL 0 by construction.
        let own = sft.summary(against: sft)
        XCTAssertEqual(own.goldGain, 0)
        XCTAssertEqual(own.winRate, 0.5)
        XCTAssertEqual(own.klExact, 0)
        XCTAssertNil(own.reward, "no reward model scored these answers")
    }

    /// The answering shares against hand-counted values: open-ended answers on topic (split
    /// by whether a demonstration covers the topic), made-up words pooled over all words,
    /// arithmetic right and restating.
    func testAnsweringSharesAgainstHandValues() {
        func open(_ verdict: GoldJudge.TopicVerdict, unseen: Bool, words: Int, madeUp: Int) -> PolicyEvaluation.Answer {
            var a = Self.answer("p\(verdict)\(unseen)\(words)", gold: 1, unseen: unseen, tokens: words)
            a.topicVerdict = verdict.rawValue
            a.madeUpWords = madeUp
            return a
        }
        func sum(right: Bool, restates: Bool) -> PolicyEvaluation.Answer {
            var a = Self.answer("s\(right)\(restates)", gold: 1, family: "arithmetic", tokens: 5)
            a.madeUpWords = 0
            a.arithmeticRight = right
            a.restatesNumbers = restates
            return a
        }
        let e = Self.evaluation("x", [
            open(.onTopic, unseen: false, words: 10, madeUp: 1), open(.missing, unseen: false, words: 20, madeUp: 0),
            open(.onTopic, unseen: false, words: 30, madeUp: 3), open(.drifted, unseen: true, words: 20, madeUp: 0),
            open(.onTopic, unseen: true, words: 10, madeUp: 6),
            sum(right: true, restates: true), sum(right: false, restates: true), sum(right: false, restates: false),
            sum(right: false, restates: true),
        ])
        let a = e.summary().answering
        XCTAssertEqual(a.onTopic!, 3.0 / 5, accuracy: 1e-12)
        XCTAssertEqual(a.onTopicDemonstrated!, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(a.onTopicUnseen!, 1.0 / 2, accuracy: 1e-12)
        // 10 made up of 90 open-ended words and 20 arithmetic ones.
        XCTAssertEqual(a.madeUpWords!, 10.0 / 110, accuracy: 1e-12)
        XCTAssertEqual(a.arithmeticRight!, 1.0 / 4, accuracy: 1e-12)
        XCTAssertEqual(a.restatesNumbers!, 3.0 / 4, accuracy: 1e-12)
        // An evaluation without such records has no shares.
        let old = Self.evaluation("y", [Self.answer("a", gold: 1)]).summary().answering
        XCTAssertNil(old.onTopic)
        XCTAssertNil(old.madeUpWords)
        XCTAssertNil(old.arithmeticRight)
    }

    func testAMissingValueOnOneAnswerGivesNoMean() {
        let e = Self.evaluation("x", [Self.answer("a", gold: 1, reward: 1), Self.answer("b", gold: 2)])
        XCTAssertNil(e.summary().reward)
    }

    func testABoundStandsInForTheKL() {
        var e = Self.evaluation("best-of-4", [Self.answer("a", gold: 1)], kl: .bound)
        e.klBound = log(4.0) - 0.75
        XCTAssertEqual(e.summary().klExact!, log(4.0) - 0.75, accuracy: 1e-12)
    }

    func testFilesRoundTripWithTheSameBytes() throws {
        let e = Self.evaluation("PPO (kl 0.05)", [Self.answer("a", gold: 6, reward: 1, kl: 2, panel: 0.8)])
        let data = try e.json()
        XCTAssertEqual(data, try e.json())
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("evaluation-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try data.write(to: url)
        XCTAssertEqual(try PolicyEvaluation.read(from: url), e)
        try Data("{\"policy\": 3}".utf8).write(to: url)
        XCTAssertThrowsError(try PolicyEvaluation.read(from: url)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains(url.lastPathComponent) && text.contains("is not a policy evaluation"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }

    func testFileNames() {
        XCTAssertEqual(PolicyEvaluation.fileName(), "evaluation.json")
        XCTAssertEqual(PolicyEvaluation.fileName("SFT"), "evaluation-sft.json")
        XCTAssertEqual(PolicyEvaluation.fileName("kl_coef 0.05"), "evaluation-kl-coef-0-05.json")
        XCTAssertEqual(PolicyEvaluation.fileName("best-of-16"), "evaluation-best-of-16.json")
    }
}

final class MatchedKLTests: XCTestCase {
    typealias E = PolicyEvaluationTests

    /// A policy at KL 1.5 (answers' exact KLs 1 and 2) against a frontier of SFT (KL 0), A
    /// (KL 1, gold 5 and 5) and B (KL 3, gold 7 and 3): t = (1.5 − 1)/(3 − 1) = 0.25, the
    /// frontier per prompt 0.75·5 + 0.25·7 = 5.5 and 0.75·5 + 0.25·3 = 4.5; the policy's gold
    /// 6 and 4 gives differences +0.5 and −0.5: mean 0, s.e. sd/√2 = 0.7071/1.4142 = 0.5.
    func testInterpolationBetweenTheBracketingRunsAgainstHandValues() {
        // `answer(kl:)` stores klExact = kl / 2.
        let sft = E.evaluation("SFT", [E.answer("p", gold: 4), E.answer("q", gold: 4)], kl: .reference)
        let a = E.evaluation("A", [E.answer("p", gold: 5, kl: 2), E.answer("q", gold: 5, kl: 2)])
        let b = E.evaluation("B", [E.answer("p", gold: 7, kl: 6), E.answer("q", gold: 3, kl: 6)])
        let policy = E.evaluation("DPO", [E.answer("p", gold: 6, kl: 2), E.answer("q", gold: 4, kl: 4)])
        let c = policy.atMatchedKL(on: [b, sft, a])!
        XCTAssertEqual(c.kl, 1.5, accuracy: 1e-12)
        XCTAssertEqual(c.lower, "A")
        XCTAssertEqual(c.upper, "B")
        XCTAssertEqual(c.weight, 0.25, accuracy: 1e-12)
        XCTAssertEqual(c.frontierGold, 5, accuracy: 1e-12)
        XCTAssertEqual(c.gold, 5, accuracy: 1e-12)
        XCTAssertEqual(c.gain, 0, accuracy: 1e-12)
        XCTAssertEqual(c.standardError, 0.5, accuracy: 1e-12)
        XCTAssertEqual(c.prompts, 2)
        // Between SFT (KL 0, gold 4) and A: KL 0.5 is t = 0.5, frontier 4.5 on both prompts.
        let near = E.evaluation("near", [E.answer("p", gold: 5, kl: 1), E.answer("q", gold: 5, kl: 1)])
        let n = near.atMatchedKL(on: [sft, a, b])!
        XCTAssertEqual(n.lower, "SFT")
        XCTAssertEqual(n.frontierGold, 4.5, accuracy: 1e-12)
        XCTAssertEqual(n.gain, 0.5, accuracy: 1e-12)
        XCTAssertEqual(n.standardError, 0, accuracy: 1e-12)
        // Only shared prompts count: a policy that also answered "r" is compared on p and q.
        let more = E.evaluation("more", [E.answer("p", gold: 6, kl: 2), E.answer("q", gold: 4, kl: 4), E.answer("r", gold: 9, kl: 3)])
        XCTAssertEqual(more.atMatchedKL(on: [sft, a, b])!.prompts, 2)
    }

    /// Beyond the frontier's largest KL there is nothing to compare with; at a run's own KL
    /// the comparison is with that run alone.
    func testNoExtrapolationAndExactMatches() {
        let a = E.evaluation("A", [E.answer("p", gold: 5, kl: 2)])
        let b = E.evaluation("B", [E.answer("p", gold: 7, kl: 6)])
        XCTAssertNil(E.evaluation("far", [E.answer("p", gold: 6, kl: 8)]).atMatchedKL(on: [a, b]))
        XCTAssertNil(E.evaluation("close", [E.answer("p", gold: 6, kl: 1)]).atMatchedKL(on: [a, b]), "below the smallest KL")
        let exact = E.evaluation("at B", [E.answer("p", gold: 6, kl: 6)]).atMatchedKL(on: [a, b])!
        XCTAssertEqual(exact.frontierGold, 7, accuracy: 1e-12)
        XCTAssertEqual(exact.gain, -1, accuracy: 1e-12)
    }
}
