import XCTest
@testable import Notebook

final class BookTests: XCTestCase {
    let entries: [TranscriptEntry] = [
        .heading("Chapter 06: PPO"), .line("seed 0"), .section("Rewards"),
        .prose("The penalty is\n\n    r_t = −β k_t\n\nper token.\n- one\n- two"),
        .result(label: "gain", value: "0.8 points"),
        .table(title: "runs", columns: ["β", "KL | nats"], rows: [["0.05", "4.2"]]),
        .sample(prompt: "Explain", response: "Imagine a coin.", note: "PPO · gold 7.1", chat: true),
        .figure(name: "reward", title: "Reward against step"), .headline("PPO +0.8 over SFT"),
        .line("Chapter 06 done in 5m02s; metrics in runs/06-ppo/, figures in Figures/06-ppo/."),
    ]

    func testTranscriptsRoundTripWithTheSameBytes() throws {
        let data = try TranscriptEntry.jsonLines(entries)
        XCTAssertEqual(try TranscriptEntry.read(data, file: "t.jsonl"), entries)
        XCTAssertEqual(data, try TranscriptEntry.jsonLines(entries))
        XCTAssertThrowsError(try TranscriptEntry.read(Data("{\"heading\":{}}\nnot json\n".utf8), file: "t.jsonl")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("t.jsonl:1: "), String(describing: error))
        }
    }

    func testAPageRendersEveryKindOfEntry() {
        let page = BookPage.markdown(entries, figurePath: "../Figures/06-ppo")
        XCTAssertTrue(page.hasPrefix("# Chapter 06: PPO\n\n`seed 0`\n\n## Rewards\n\n"), page)
        XCTAssertTrue(page.contains("The penalty is\n\n```text\nr_t = −β k_t\n```\n\nper token.\n- one\n- two"), page)
        XCTAssertTrue(page.contains("- **gain**: 0.8 points"))
        XCTAssertTrue(page.contains("| β | KL \\| nats |\n| --- | --- |\n| 0.05 | 4.2 |"), page)
        XCTAssertTrue(page.contains("**PPO · gold 7.1**\n\n```text\nUser: Explain\n\nAssistant: Imagine a coin.\n```"), page)
        XCTAssertTrue(page.contains("![Reward against step](../Figures/06-ppo/reward.png)"))
        let summary = BookPage.summary(entries)
        XCTAssertEqual(summary.title, "Chapter 06: PPO")
        XCTAssertEqual(summary.headline, "PPO +0.8 over SFT")
        XCTAssertEqual(summary.time, "5m02s")
    }
}
