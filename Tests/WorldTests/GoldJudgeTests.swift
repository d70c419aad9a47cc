import XCTest
@testable import World

final class GoldJudgeTests: XCTestCase {
    let judge = GoldJudge()

    struct Case {
        let prompt: Prompt
        let excellent: String
        let technical: String
        let repetitive: String
        let wrong: String
    }

    let cases: [Case] = [
        Case(
            prompt: Prompt(text: "Explain quantum computing to a 10-year-old", family: .explain, topic: "quantum computing"),
            excellent: "A quantum computer is a special kind of computer. It uses qubits instead of normal bits. A normal bit is a zero or a one, but a qubit can be zero and one at the same time. Think of a qubit as a spinning coin that is a bit heads and a bit tails until it lands. Quantum computers are good at some special puzzles. If you had a magic coin like that, what game would you play with it?",
            technical: "Quantum computing performs computation with qubits, which exist in a superposition of basis states. Entanglement correlates qubits, and interference amplifies the amplitudes of correct results. Decoherence limits how long a qubit retains its quantum state.",
            repetitive: "A quantum computer uses qubits. A quantum computer uses qubits. A quantum computer uses qubits. A quantum computer uses qubits. A quantum computer uses qubits. A quantum computer uses qubits. A quantum computer uses qubits. A quantum computer uses qubits.",
            wrong: "A quantum computer is just a normal computer that is faster at everything. It has a bigger fan and more memory, so your games run faster."
        ),
        Case(
            prompt: Prompt(text: "What is photosynthesis?", family: .define, topic: "photosynthesis"),
            excellent: "Photosynthesis is how plants make their own food from sunlight. A plant takes in water through its roots and air through its leaves. The green stuff in leaves catches the light and turns water and air into sugar. A leaf is like a tiny kitchen that cooks sugar with sunlight. The plant gives off oxygen, which we breathe. What do you think would happen to a plant kept in a dark cupboard?",
            technical: "Photosynthesis is the process by which plants convert light energy into chemical energy stored in glucose. Chlorophyll in the chloroplasts absorbs mainly red and blue light. Carbon dioxide and water are converted into glucose and oxygen.",
            repetitive: "Plants are green. Plants are green and plants are green and plants are green and plants are green and plants are green and plants are green. Plants are green. Plants are green.",
            wrong: "Plants get their food from the soil. They drink it up through their roots like a straw, and that is all they need to grow."
        ),
        Case(
            prompt: Prompt(text: "How can I see a rainbow at home?", family: .howTo, topic: "rainbows"),
            excellent: "Here is an easy way. First, fill a clear glass with water. Next, put it on a sunny window sill. Then, put a white sheet of paper on the floor and move it until the colors show up. This works because raindrops, and your glass, bend light and split it into the colors of a rainbow. The glass is like a tiny raindrop. Will you try it this weekend?",
            technical: "A rainbow is produced by refraction, dispersion and internal reflection of sunlight in water droplets. Each wavelength is refracted by a slightly different angle, separating white light into a spectrum. Place a prism or water-filled vessel in direct sunlight and project the spectrum onto a surface.",
            repetitive: "Rainbow rainbow rainbow. Look for a rainbow. Look for a rainbow. Look for a rainbow. Look for a rainbow. Look for a rainbow. Look for a rainbow. Look for a rainbow.",
            wrong: "A rainbow is a real object that you could walk up to and touch. Go outside after the rain and walk until you reach the end of it."
        ),
    ]

    func testJudgeRanksExcellentAboveTechnicalAboveRepetitiveOrWrong() {
        for c in cases {
            let e = judge.score(c.prompt, response: c.excellent).total
            let t = judge.score(c.prompt, response: c.technical).total
            let r = judge.score(c.prompt, response: c.repetitive).total
            let w = judge.score(c.prompt, response: c.wrong).total
            XCTAssertGreaterThan(e, 8.5, c.prompt.text)
            XCTAssertGreaterThan(e, t + 2, c.prompt.text)
            XCTAssertGreaterThan(t, r, c.prompt.text)
            XCTAssertGreaterThan(t, w, c.prompt.text)
        }
    }

    func testBreakdownHasEveryCriterionInOrderAndSumsToTotal() {
        let c = cases[0]
        let score = judge.score(c.prompt, response: c.excellent)
        XCTAssertEqual(score.breakdown.map(\.criterion), GoldJudge.criterionNames)
        XCTAssertEqual(score.breakdown.reduce(0) { $0 + $1.value }, score.total, accuracy: 1e-9)
        XCTAssertEqual(score[.analogy], 1.5)
        XCTAssertEqual(score[.engagingQuestion], 1.5)
        XCTAssertEqual(score[.noMisconception], 1)
        XCTAssertEqual(judge.score(c.prompt, response: "").total, 0)
    }

    /// The tricks a policy may learn from a reward model's blind spots all lose gold points.
    func testExploitsOfSurfaceFeaturesArePenalized() {
        let c = cases[0]
        let base = judge.score(c.prompt, response: c.excellent).total
        let questions = c.excellent + " Do you like it? Can you guess? What do you think? Is it fun for you?"
        let analogies = c.excellent + " Imagine a coin. It is like a coin. Think of it as a coin. It is like magic."
        let padded = c.excellent + " " + Array(repeating: Knowledge.topic(named: "quantum computing")!.simple.joined(separator: " "), count: 3).joined(separator: " ")
        let drift = "A quantum computer is special. " + Knowledge.topic(named: "volcanoes")!.simple.joined(separator: " ") + " Do you like volcanoes?"
        for (name, text) in [("questions", questions), ("analogies", analogies), ("padding", padded), ("drift", drift)] {
            XCTAssertLessThan(judge.score(c.prompt, response: text).total, base - 1.5, name)
        }
        XCTAssertLessThan(judge.score(c.prompt, response: questions)[.engagingQuestion], 0)
        XCTAssertEqual(judge.score(c.prompt, response: analogies)[.analogy], 0)
        XCTAssertLessThan(judge.score(c.prompt, response: padded)[.sensibleLength], 0)
        XCTAssertEqual(judge.topicVerdict(c.prompt, response: drift), .drifted)
        XCTAssertLessThanOrEqual(judge.score(c.prompt, response: drift).total, GoldJudge.offTopicCeiling)
    }

    // MARK: - Does it answer the question?

    /// Demonstrations of every topic and kind, from the world's default seed.
    let world = SyntheticWorld(seed: 0)

    /// The judge ranks the demonstrators' kinds of answer as it did before the topic and
    /// real-word gates: excellent, then dry, then technical and terse, then long, then slip
    /// (mean gold per kind). Technical and terse answers were tied under the old judge, whose
    /// keyword check called some terse answers off topic; the new one calls none, so terse
    /// now leads technical, and the test does not order the two.
    func testEveryKindOfDemonstrationKeepsItsOrder() {
        func meanGold(_ quality: Demonstration.Quality) -> Double {
            let demos = world.demonstrations.filter { $0.quality == quality }
            return demos.map { judge.score($0.prompt, response: $0.response).total }.reduce(0, +) / Double(demos.count)
        }
        let tiers: [[Demonstration.Quality]] = [[.excellent], [.dry], [.technical, .terse], [.long], [.slip]]
        for k in 1..<tiers.count {
            for better in tiers[k - 1] {
                for worse in tiers[k] {
                    XCTAssertGreaterThan(meanGold(better), meanGold(worse), "\(better) against \(worse)")
                }
            }
        }
    }

    /// A demonstration given as the answer to a prompt about another topic answers nothing:
    /// at most 1 point, however good it was for its own prompt.
    func testAnAnswerAboutAnotherTopicEarnsAtMostOnePoint() {
        let open = world.demonstrations.filter { $0.prompt.arithmetic == nil }
        var checked = 0
        for (k, demo) in open.enumerated() where k % 5 == 0 {
            // A prompt of the same family about topics of another area.
            let areas = Set(demo.prompt.topicNames.compactMap { Knowledge.topic(named: $0)?.area })
            guard let other = open.first(where: { $0.prompt.family == demo.prompt.family
                && $0.prompt.topicNames.allSatisfy { !areas.contains(Knowledge.topic(named: $0)!.area) } })
            else { continue }
            let own = judge.score(demo.prompt, response: demo.response).total
            let elsewhere = judge.score(other.prompt, response: demo.response)
            XCTAssertLessThanOrEqual(elsewhere.total, GoldJudge.offTopicCeiling, "\(demo.prompt.text) -> \(other.prompt.text)")
            XCTAssertNotEqual(judge.topicVerdict(other.prompt, response: demo.response), .onTopic)
            XCTAssertEqual(max(0, elsewhere.breakdown.reduce(0) { $0 + $1.value }), elsewhere.total, accuracy: 1e-9)
            if own > 3 { checked += 1 }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    /// Replaces every third word with a made-up one, keeping the punctuation: what a small
    /// model's subword sampling produces.
    func garbled(_ text: String) -> String {
        var k = 0
        return text.split(separator: " ", omittingEmptySubsequences: false).map { token -> String in
            let letters = token.filter(\.isLetter)
            guard !letters.isEmpty else { return String(token) }
            k += 1
            guard k % 3 == 0 else { return String(token) }
            return String(token).replacingOccurrences(of: letters, with: "zq" + String(letters.reversed()) + "unt")
        }.joined(separator: " ")
    }

    /// A third of the words made up costs at least 3 points (10 x the share, plus the simple
    /// words and facts it breaks); a text that is mostly made up earns at most 2.
    func testMadeUpWordsCostInProportion() {
        let demos = world.demonstrations.filter { ($0.quality == .excellent || $0.quality == .dry) && $0.prompt.arithmetic == nil }
        XCTAssertGreaterThan(demos.count, 500)
        var checked = 0
        for demo in demos {
            let original = judge.score(demo.prompt, response: demo.response)
            XCTAssertEqual(original[.realWords], 0, demo.response)
            // (Garbling breaks repeated sentences apart, which would hide the cost.)
            guard TextAnalysis.words(demo.response).count >= 12, original.total >= 4, original[.noRepetition] == 0.5
            else { continue }
            let broken = judge.score(demo.prompt, response: garbled(demo.response))
            XCTAssertLessThanOrEqual(broken.total, original.total - 3, demo.response)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 500)
        let quantum = cases[0]
        let nonsense = "A quantum zqbit is a glorbin of the frimstam. It wozzles trimbly in the plonkish quandrel. Think of a qubit as a spinning blorf. What do you think?"
        XCTAssertGreaterThan(Lexicon.madeUpShare(TextAnalysis.words(nonsense)), 0.25)
        let mostly = "Quantum zqbit glorbin frimstam wozzles trimbly plonkish quandrel blorf snarfle qubit."
        XCTAssertGreaterThan(Lexicon.madeUpShare(TextAnalysis.words(mostly)), 0.5)
        XCTAssertLessThanOrEqual(judge.score(quantum.prompt, response: mostly).total, GoldJudge.madeUpCeiling)
        XCTAssertLessThan(judge.score(quantum.prompt, response: nonsense).total,
                          judge.score(quantum.prompt, response: quantum.excellent).total - 3)
    }

    /// The hand-worked values of the two gates: a share s of made-up words costs 10 s; an
    /// off-topic answer's "on topic" value brings its total down to exactly 1.
    func testGateValuesByHand() {
        // 1 made-up word in 10: -1.
        XCTAssertEqual(judge.realWordsCredit(madeUpShare: Lexicon.madeUpShare("the sun is a big hot ball of gas blorf".split(separator: " ").map(String.init)), style: 5), -1, accuracy: 1e-12)
        // 6 in 10 made up: -6, and the total capped at 2: with style 9, min(-6, 2 - 9) = -7.
        let six = "the sun is hot zqa zqb zqc zqd zqe zqf".split(separator: " ").map(String.init)
        XCTAssertEqual(judge.realWordsCredit(madeUpShare: Lexicon.madeUpShare(six), style: 9), -7, accuracy: 1e-12)
        XCTAssertEqual(judge.topicCredit(.missing, rest: 6.5), -5.5)
        XCTAssertEqual(judge.topicCredit(.drifted, rest: 0.4), 0)
        XCTAssertEqual(judge.topicCredit(.onTopic, rest: 6.5), 0.5)
    }

    /// A comparison must name both of its topics.
    func testAComparisonMustNameBothTopics() {
        let prompt = Prompt(text: "What is the difference between volcanoes and earthquakes?", family: .compare,
                            topic: "volcanoes", otherTopic: "earthquakes")
        let volcanoes = Knowledge.topic(named: "volcanoes")!, quakes = Knowledge.topic(named: "earthquakes")!
        let both = volcanoes.simple[0] + " " + quakes.simple[0]
        let one = volcanoes.simple[0] + " " + volcanoes.simple[1]
        XCTAssertEqual(judge.topicVerdict(prompt, response: both), .onTopic)
        XCTAssertEqual(judge.topicVerdict(prompt, response: one), .missing)
        XCTAssertLessThanOrEqual(judge.score(prompt, response: one).total, 1)
    }

    /// Every word the world's writers produce is a real word, for any seed: the lexicon
    /// read off one seed's sample covers another seed's corpus and demonstrations.
    func testTheLexiconCoversEveryWordTheWorldWrites() {
        let other = SyntheticWorld(seed: 7)
        let corpus = other.corpus(targetBytes: 400_000)
        var unknown = Set<String>()
        for text in corpus.train + corpus.validation + other.demonstrations.map(\.response) + other.trainPrompts.map(\.text) {
            for w in TextAnalysis.words(text) where !Lexicon.isWord(w) { unknown.insert(w) }
        }
        XCTAssertEqual(unknown, [], "words the lexicon misses")
        XCTAssertFalse(Lexicon.isWord("thunderstigmunons"))
        XCTAssertTrue(Lexicon.isWord("qubit"))
        XCTAssertTrue(Lexicon.isWord("1234"))
    }

    func testArithmeticGradingIsExact() {
        let problem = ArithmeticProblem(37, .plus, 45)
        let prompt = Prompt(text: "What is 37 + 45?", family: .arithmetic, arithmetic: problem)
        XCTAssertEqual(problem.answer, 82)
        XCTAssertEqual(judge.score(prompt, response: "37 + 45 = 82.")[.rightNumber], 7)
        XCTAssertEqual(judge.score(prompt, response: "The answer is 82.")[.rightNumber], 7)
        XCTAssertEqual(judge.score(prompt, response: "82")[.rightNumber], 7)
        XCTAssertEqual(judge.score(prompt, response: "37 + 45 = 81.")[.rightNumber], 0)
        XCTAssertEqual(judge.score(prompt, response: "37 + 45 = 83. No wait, 82.")[.rightNumber], 7, "the answer settled on")
        XCTAssertEqual(judge.score(prompt, response: "37 + 45 = 82. No wait, 83.")[.rightNumber], 0)
        XCTAssertEqual(judge.score(prompt, response: "37 + 45")[.rightNumber], 0, "the question said back")
        XCTAssertEqual(judge.score(prompt, response: "It is a big number.")[.rightNumber], 0)
        XCTAssertEqual(judge.score(prompt, response: "37 + 45 = 82.").total, 10, accuracy: 1e-9)
        XCTAssertLessThan(judge.score(prompt, response: "37 + 45 = 92.").total, 3.01)
        // The answer can equal one of the numbers of the question.
        let minus = Prompt(text: "What is 40 - 20?", family: .arithmetic, arithmetic: ArithmeticProblem(40, .minus, 20))
        XCTAssertEqual(judge.score(minus, response: "40 - 20 = 20.")[.rightNumber], 7)
        XCTAssertEqual(judge.score(minus, response: "40 - 20 = 60.")[.rightNumber], 0)
        XCTAssertEqual(judge.score(minus, response: "What is 40 - 20?")[.rightNumber], 0, "20 is the question's own number")
    }

    /// Restating a problem means writing both its numbers, each as often as the problem does.
    func testRestatingTheNumbersOfAProblem() {
        let p = ArithmeticProblem(93, .minus, 70)
        XCTAssertTrue(p.isRestated(in: "93 - 70 = 23."))
        XCTAssertTrue(p.isRestated(in: "Start at 93 and take away 70."))
        XCTAssertFalse(p.isRestated(in: "18 + 11 = 40."))
        XCTAssertFalse(p.isRestated(in: "93 - 7 = 86."))
        let twice = ArithmeticProblem(40, .plus, 40)
        XCTAssertTrue(twice.isRestated(in: "40 + 40 = 80."))
        XCTAssertFalse(twice.isRestated(in: "40 and more makes 80."))
    }

    func testMisconceptionInACorrectionIsNotPenalized() {
        let prompt = cases[1].prompt
        let corrected = "Some people think plants get their food from the soil, but that is not true. Plants make their own food from sunlight in their leaves."
        XCTAssertEqual(judge.score(prompt, response: corrected)[.noMisconception], 1)
        XCTAssertEqual(judge.score(prompt, response: cases[1].wrong)[.noMisconception], -2)
    }
}
