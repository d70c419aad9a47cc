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
        XCTAssertEqual(judge.score(c.prompt, response: drift)[.onTopic], -1.5)
    }

    func testArithmeticGradingIsExact() {
        let problem = ArithmeticProblem(37, .plus, 45)
        let prompt = Prompt(text: "What is 37 + 45?", family: .arithmetic, arithmetic: problem)
        XCTAssertEqual(problem.answer, 82)
        XCTAssertEqual(judge.score(prompt, response: "37 + 45 = 82.")[.rightNumber], 7)
        XCTAssertEqual(judge.score(prompt, response: "The answer is 82.")[.rightNumber], 7)
        XCTAssertEqual(judge.score(prompt, response: "82")[.rightNumber], 7)
        XCTAssertEqual(judge.score(prompt, response: "37 + 45 = 81.")[.rightNumber], 0)
        XCTAssertEqual(judge.score(prompt, response: "37 + 45 = 83. No wait, 82.")[.rightNumber], 0)
        XCTAssertEqual(judge.score(prompt, response: "It is a big number.")[.rightNumber], 0)
        XCTAssertEqual(judge.score(prompt, response: "37 + 45 = 82.").total, 10, accuracy: 1e-9)
        XCTAssertLessThan(judge.score(prompt, response: "37 + 45 = 92.").total, 3.01)
        // The answer can equal one of the numbers of the question.
        let minus = Prompt(text: "What is 40 - 20?", family: .arithmetic, arithmetic: ArithmeticProblem(40, .minus, 20))
        XCTAssertEqual(judge.score(minus, response: "40 - 20 = 20.")[.rightNumber], 7)
        XCTAssertEqual(judge.score(minus, response: "40 - 20 = 60.")[.rightNumber], 0)
    }

    func testMisconceptionInACorrectionIsNotPenalized() {
        let prompt = cases[1].prompt
        let corrected = "Some people think plants get their food from the soil, but that is not true. Plants make their own food from sunlight in their leaves."
        XCTAssertEqual(judge.score(prompt, response: corrected)[.noMisconception], 1)
        XCTAssertEqual(judge.score(prompt, response: cases[1].wrong)[.noMisconception], -2)
    }
}
