import XCTest
import LanguageModel
@testable import RLHF

final class SupervisedBatchTests: XCTestCase {
    /// 450 tokens in windows of 200: starts 0, 200, 400 (400 < 450 - 16), the last window 50
    /// tokens; each window's first token is its prompt. 410 tokens: the window at 400 would
    /// hold 10 tokens and is dropped. 5 tokens: one window, the first always kept.
    func testTextWindowsCutPlainTextWithTheFirstTokenAsPrompt() {
        let windows = ChatExample.textWindows(Array(0..<450), width: 200)
        XCTAssertEqual(windows.map(\.prompt), [[0], [200], [400]])
        XCTAssertEqual(windows.map(\.response.count), [199, 199, 49])
        XCTAssertEqual(windows[1].response.last, 399)
        XCTAssertEqual(ChatExample.textWindows(Array(0..<410), width: 200).count, 2)
        XCTAssertEqual(ChatExample.textWindows(Array(0..<5), width: 200), [ChatExample(prompt: [0], response: [1, 2, 3, 4])])
        XCTAssertEqual(ChatExample.textWindows([], width: 200), [])
    }

    /// Example 1: prompt (1, 2), response (3, 9) with 9 = end of text: tokens 1 2 3 9,
    /// inputs 1 2 3, targets 2 3 9. Response-only counts the predictions of 3 and 9:
    /// (-100, 3, 9). Example 2: prompt (4), response (5, 9): inputs 4 5 (+ pad), targets
    /// (5, 9, -100).
    func testResponseOnlyMaskCountsResponseAndEndOfText() {
        let examples = [ChatExample(prompt: [1, 2], response: [3, 9]), ChatExample(prompt: [4], response: [5, 9])]
        let (batch, targets) = supervisedBatch(examples, mask: .responseOnly, endOfText: 9, contextLength: 16)
        XCTAssertEqual(batch.batch, 2)
        XCTAssertEqual(batch.time, 3)
        XCTAssertEqual(batch.ids, [1, 2, 3, 4, 5, 9])
        XCTAssertEqual(batch.attentionMask, [1, 1, 1, 1, 1, 0])
        XCTAssertEqual(targets, [-100, 3, 9, 5, 9, -100])
    }

    /// The notebook's variant trains on the prompt too and drops every end-of-text target.
    func testEverythingButEndOfTextDropsTheStopSignal() {
        let examples = [ChatExample(prompt: [1, 2], response: [3, 9]), ChatExample(prompt: [4], response: [5, 9])]
        let (_, targets) = supervisedBatch(examples, mask: .everythingButEndOfText, endOfText: 9, contextLength: 16)
        XCTAssertEqual(targets, [2, 3, -100, 5, -100, -100])
    }

    /// The content loss counts the response's own tokens and not its end-of-text: (-100, 3, -100, 5, -100, -100).
    func testResponseWithoutEndOfTextCountsOnlyTheAnswersWords() {
        let examples = [ChatExample(prompt: [1, 2], response: [3, 9]), ChatExample(prompt: [4], response: [5, 9])]
        let (_, targets) = supervisedBatch(examples, mask: .responseWithoutEndOfText, endOfText: 9, contextLength: 16)
        XCTAssertEqual(targets, [-100, 3, -100, 5, -100, -100])
        let (_, stops) = supervisedBatch(examples, mask: .endOfTextOnly, endOfText: 9, contextLength: 16)
        XCTAssertEqual(stops, [-100, -100, 9, -100, 9, -100])
    }

    /// Long examples are cut to the context: 6 tokens with context 3 give inputs 1 2 3.
    func testTruncatesToContext() {
        let (batch, targets) = supervisedBatch([ChatExample(prompt: [1], response: [2, 3, 4, 5, 9])],
                                               mask: .responseOnly, endOfText: 9, contextLength: 3)
        XCTAssertEqual(batch.ids, [1, 2, 3])
        XCTAssertEqual(targets, [2, 3, 4])
    }
}
