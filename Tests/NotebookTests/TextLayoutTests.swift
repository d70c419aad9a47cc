import XCTest
@testable import Notebook

final class TextLayoutTests: XCTestCase {
    func testParagraphsAreRefilledToTheWidth() {
        let text = """
            The reward model reads a prompt and a response
            and returns one number.

            Higher is better.
            """
        XCTAssertEqual(TextWrapping.wrap(text, width: 30), """
            The reward model reads a
            prompt and a response and
            returns one number.

            Higher is better.
            """)
    }

    func testListItemsGetAHangingIndent() {
        let text = """
            Two kinds of steps:
            - a policy step that raises the reward of good answers
            - a value step
            12. numbered items too
            """
        XCTAssertEqual(TextWrapping.wrap(text, width: 24), """
            Two kinds of steps:
            - a policy step that
              raises the reward of
              good answers
            - a value step
            12. numbered items too
            """)
    }

    func testIndentedCodeAndMathLinesAreKeptAsTheyAre() {
        let text = """
            The loss is
                L = -log sigma(r(x, y_w) - r(x, y_l))   with a long tail of words here
            where sigma is the logistic function.
            """
        let wrapped = TextWrapping.wrap(text, width: 30)
        XCTAssertEqual(wrapped.split(separator: "\n").map(String.init), [
            "The loss is",
            "    L = -log sigma(r(x, y_w) - r(x, y_l))   with a long tail of words here",
            "where sigma is the logistic",
            "function.",
        ])
    }

    func testAWordLongerThanTheWidthStaysWhole() {
        XCTAssertEqual(TextWrapping.wrap("a supercalifragilistic b", width: 5), "a\nsupercalifragilistic\nb")
    }

    func testTablesAlignNumbersRightAndTextLeft() {
        let lines = TableLayout.render(columns: ["model", "loss (nats)", "n"],
                                       rows: [["pretrained", 3.41234, 10], ["SFT", 2.1, 200]])
        XCTAssertEqual(lines, [
            "model       loss (nats)    n",
            "----------  -----------  ---",
            "pretrained        3.412   10",
            "SFT                 2.1  200",
        ])
    }

    func testShortRowsArePadded() {
        let lines = TableLayout.render(columns: ["a", "b"], rows: [["x"]])
        XCTAssertEqual(lines, ["a  b", "-  -", "x"])
    }

    func testSampleBoxesWrapTheResponseInsideTheBox() {
        let lines = SampleBox.render(prompt: "Add 2 and 3.", response: "Two plus three makes five, as you can count on your fingers.",
                                     note: "SFT", width: 30)
        XCTAssertEqual(lines, [
            "┌─ SFT ───────────────────────",
            "│ User: Add 2 and 3.",
            "│",
            "│ Assistant: Two plus three",
            "│ makes five, as you can count",
            "│ on your fingers.",
            "└─────────────────────────────",
        ])
        XCTAssertTrue(lines.allSatisfy { $0.count <= 30 })
        XCTAssertEqual(lines[0].count, 30)
    }
}
