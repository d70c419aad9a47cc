import XCTest
@testable import World

final class VerifiableRewardTests: XCTestCase {
    let prompt = Prompt(text: "What is 37 + 45?", family: .arithmetic, arithmetic: ArithmeticProblem(37, .plus, 45))

    /// The answer given is the last number once the question's own numbers are set aside.
    func testTheLastNumberIsTheAnswer() {
        XCTAssertEqual(VerifiableReward.reward(prompt, response: "37 + 45 = 82."), 1, "right")
        XCTAssertEqual(VerifiableReward.reward(prompt, response: "The answer is 82"), 1, "right, no operands")
        XCTAssertEqual(VerifiableReward.reward(prompt, response: "37 + 45 = 81."), 0, "wrong")
        XCTAssertEqual(VerifiableReward.reward(prompt, response: "Let me think about it!"), 0, "missing")
        XCTAssertEqual(VerifiableReward.reward(prompt, response: "It is 82. No wait, 83."), 0, "doubled: the last one counts")
        XCTAssertEqual(VerifiableReward.reward(prompt, response: "Maybe 81, or 82"), 1, "doubled, right last")
        XCTAssertEqual(VerifiableReward.reward(prompt, response: "82 apples, then 7 more"), 0, "a number after the answer")
        XCTAssertEqual(VerifiableReward.reward(prompt, response: "37 + 45"), 0, "the question said back")
        let minus = Prompt(text: "What is 8 - 4?", family: .arithmetic, arithmetic: ArithmeticProblem(8, .minus, 4))
        XCTAssertEqual(VerifiableReward.reward(minus, response: "8 - 4"), 0, "4 is the question's own number, not an answer")
        XCTAssertEqual(VerifiableReward.reward(minus, response: "8 - 4 = 4."), 1, "the second 4 is the answer")
        XCTAssertEqual(VerifiableReward.reward(minus, response: "4"), 1, "an answer alone")
        XCTAssertNil(ArithmeticProblem(37, .plus, 45).answerGiven(in: "no numbers"))
        XCTAssertNil(ArithmeticProblem(37, .plus, 45).answerGiven(in: "45 and 37"))
        XCTAssertNil(VerifiableReward.reward(Prompt(text: "Define gravity.", family: .define, topic: "gravity"), response: "82"))
    }
}

final class ArithmeticRangeTests: XCTestCase {
    func testSmallRangeProblemsAreSplitOnceAndForAll() {
        let world = SyntheticWorld(seed: 0)
        let (train, held) = world.arithmeticPrompts(maxOperand: 9)
        // 81 sums and 36 differences with a positive result; a fifth held out, at least.
        XCTAssertEqual(train.count + held.count, 117)
        XCTAssertGreaterThanOrEqual(held.count, 23)
        let worldHeldOut = Set(world.heldOutPrompts.compactMap(\.arithmetic))
        XCTAssertTrue(train.allSatisfy { !worldHeldOut.contains($0.arithmetic!) }, "no problem of the course's evaluation")
        XCTAssertTrue(Set(train.map(\.text)).isDisjoint(with: Set(held.map(\.text))))
        XCTAssertTrue((train + held).allSatisfy { ($0.arithmeticAnswer ?? 0) > 0 && $0.family == .arithmetic })
        let again = SyntheticWorld(seed: 4).arithmeticPrompts(maxOperand: 9)
        XCTAssertEqual(again.heldOut, held, "the split is part of the world, not of a run")
    }
}
