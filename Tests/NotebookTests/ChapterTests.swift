import XCTest
@testable import Notebook

/// A whole chapter run into a temporary directory, its text captured.
final class ChapterTests: XCTestCase {
    func testAChapterPrintsLogsAndRecordsItsRun() throws {
        let root = try temporaryDirectory()
        var text = ""
        let console = Console(width: 40, isTerminal: false) { text += $0 }
        let options = try ChapterOptions.parse(["--quick", "--seed", "3"])
        let chapter = Chapter("03-rl-basics", title: "RL basics", options: options, root: root, console: console, gnuplot: nil)
        chapter.section("Rewards")
        chapter.prose("A policy gradient pushes up the log-probability of actions in proportion to their reward.")
        chapter.result("mean reward", 0.5, unit: "points")
        chapter.table("baselines", columns: ["method", "variance"], rows: [["REINFORCE", 2.5], ["with baseline", 0.75]])
        chapter.sample(prompt: "Add 1 and 2.", response: "3", note: "policy")
        chapter.setting("learning_rate", 0.01)
        chapter.figure(.lines("reward", title: "Reward", x: PlotAxis("step"), y: PlotAxis("reward"),
                              series: [PlotSeries("policy", y: [0, 1])]))
        chapter.figure(.lines("again", title: "Again", x: PlotAxis("step"), y: PlotAxis("reward"),
                              series: [PlotSeries("policy", y: [0, 1])]))
        chapter.finish()

        XCTAssertTrue(text.hasPrefix("Chapter 03: RL basics\n=====================\nseed 3, quick run"), text)
        XCTAssertTrue(text.contains("A policy gradient pushes up the\nlog-probability of actions in proportion\nto their reward.\n"), text)
        XCTAssertTrue(text.contains("  → mean reward: 0.5 points\n"))
        XCTAssertTrue(text.contains("  with baseline      0.75\n"), text)
        XCTAssertTrue(text.contains("│ Assistant: 3\n"))
        XCTAssertEqual(text.components(separatedBy: "make figures").count - 1, 1, "the render hint is printed once")

        // A quick run with another seed keeps to a folder of its own, figures included.
        let runs = root.appendingPathComponent("runs/quick-seed-3/03-rl-basics")
        let csv = try String(contentsOf: runs.appendingPathComponent("metrics.csv"), encoding: .utf8)
        XCTAssertTrue(csv.contains("\nresult,0,mean reward,0.5,"))
        XCTAssertTrue(csv.contains("\nbaselines,2,with baseline/variance,0.75,"))
        let run = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: runs.appendingPathComponent("run.json"))) as? [String: Any])
        XCTAssertEqual((run["settings"] as? [String: Any])?["learning_rate"] as? Double, 0.01)
        XCTAssertNotNil(run["seconds"] as? Double)
        XCTAssertTrue(FileManager.default.fileExists(atPath: runs.appendingPathComponent("figures/reward.gp").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("Figures").path),
                       "only a default run writes into Figures/")
        XCTAssertTrue(FileManager.default.fileExists(atPath: runs.appendingPathComponent(".complete").path))
        XCTAssertTrue(text.contains("writes to runs/quick-seed-3/03-rl-basics/, not over the default run"), text)
    }

    func testADefaultRunWritesFiguresIntoTheCommittedFolderAndStampsItsEnd() throws {
        let root = try temporaryDirectory()
        let chapter = Chapter("05-trpo", title: "TRPO", options: try ChapterOptions.parse([]), root: root,
                              console: Console { _ in }, gnuplot: nil)
        let stamp = root.appendingPathComponent("runs/05-trpo/.complete")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stamp.path), "no stamp before the run ends")
        chapter.figure(.lines("kl", title: "KL", x: PlotAxis("step"), y: PlotAxis("KL"), series: [PlotSeries("a", y: [1, 2])]))
        chapter.finish()
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("Figures/05-trpo/kl.gp").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: stamp.path))
        _ = Chapter("05-trpo", title: "TRPO", options: try ChapterOptions.parse([]), root: root,
                    console: Console { _ in }, gnuplot: nil)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stamp.path), "a new run takes the old stamp away")
    }

    func testNoProseSkipsExplanationsButKeepsResults() throws {
        var text = ""
        let console = Console(width: 60, isTerminal: false) { text += $0 }
        let chapter = Chapter("08-dpo", title: "DPO", options: try ChapterOptions.parse(["--no-prose"]),
                              root: try temporaryDirectory(), console: console, gnuplot: nil)
        chapter.prose("This explanation is not printed.")
        chapter.result("accuracy", 0.75)
        chapter.table(columns: ["beta", "KL (nats)"], rows: [[0.1, 2.0]])
        chapter.finish()
        XCTAssertFalse(text.contains("explanation"))
        XCTAssertTrue(text.contains("accuracy: 0.75"))
        XCTAssertTrue(text.contains("KL (nats)"))
    }

    func testSeedsGiveReproducibleStreamsPerLabel() throws {
        let options = try ChapterOptions.parse(["--seed", "5"])
        let make = { try Chapter("01-a", title: "A", options: options, root: self.temporaryDirectory(),
                                 console: Console { _ in }, gnuplot: nil) }
        var first = try make().random("init")
        var second = try make().random("init")
        var other = try make().random("data")
        let a = first.next()
        XCTAssertEqual(a, second.next())
        XCTAssertNotEqual(a, other.next())
    }

    func testDivergenceIsReportedOnlyForNonFiniteNumbers() {
        XCTAssertNil(Chapter.divergence("pretraining", step: 3, loss: 2.5, gradientNorm: 40))
        let nanGradient = Chapter.divergence("pretraining", step: 402, loss: 0.75, gradientNorm: .nan)
        XCTAssertEqual(nanGradient?.hasPrefix("pretraining diverged at step 402 (loss 0.75, gradient norm nan)"), true, nanGradient ?? "nil")
        XCTAssertNotNil(Chapter.divergence("SFT", step: 1, loss: .infinity, gradientNorm: 1))
        XCTAssertNotNil(Chapter.divergence("SFT", step: 1, loss: -.nan, gradientNorm: 1))
    }
}
