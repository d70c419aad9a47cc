import XCTest
@testable import Notebook

final class ProgressFormatTests: XCTestCase {
    func testDurationsReadAsSecondsMinutesAndHours() {
        XCTAssertEqual(ProgressFormat.duration(0.42), "0.4s")
        XCTAssertEqual(ProgressFormat.duration(9.94), "9.9s")
        XCTAssertEqual(ProgressFormat.duration(42.4), "42s")
        XCTAssertEqual(ProgressFormat.duration(59.4), "59s")
        XCTAssertEqual(ProgressFormat.duration(65), "1m05s")
        XCTAssertEqual(ProgressFormat.duration(3599), "59m59s")
        XCTAssertEqual(ProgressFormat.duration(7380), "2h03m")
    }

    func testDurationOfNonsenseIsDashes() {
        XCTAssertEqual(ProgressFormat.duration(-1), "--")
        XCTAssertEqual(ProgressFormat.duration(.infinity), "--")
        XCTAssertEqual(ProgressFormat.duration(.nan), "--")
    }

    func testRatesUseMetricPrefixesWithThreeSignificantDigits() {
        XCTAssertEqual(ProgressFormat.rate(850, unit: "tok/s"), "850 tok/s")
        XCTAssertEqual(ProgressFormat.rate(12.34, unit: "tok/s"), "12.3 tok/s")
        XCTAssertEqual(ProgressFormat.rate(1.5, unit: "samples/s"), "1.50 samples/s")
        XCTAssertEqual(ProgressFormat.rate(12_345, unit: "tok/s"), "12.3k tok/s")
        XCTAssertEqual(ProgressFormat.rate(999_900, unit: "tok/s"), "1.00M tok/s")
        XCTAssertEqual(ProgressFormat.rate(2_500_000, unit: "tok/s"), "2.50M tok/s")
        XCTAssertEqual(ProgressFormat.rate(-3, unit: "tok/s"), "-- tok/s")
    }

    func testScalarsKeepFourSignificantDigits() {
        XCTAssertEqual(ProgressFormat.scalar(2.34567), "2.346")
        XCTAssertEqual(ProgressFormat.scalar(0.012345), "0.01235")
        XCTAssertEqual(ProgressFormat.scalar(0.5), "0.5")
        XCTAssertEqual(ProgressFormat.scalar(-1.25), "-1.25")
        XCTAssertEqual(ProgressFormat.scalar(123.456), "123.5")
        XCTAssertEqual(ProgressFormat.scalar(3), "3")
        XCTAssertEqual(ProgressFormat.scalar(1.234e-5), "1.23e-05")
        XCTAssertEqual(ProgressFormat.scalar(.nan), "nan")
    }

    func testEtaAssumesTheMeanStepTime() throws {
        // 10 s for 20 of 100 steps: 0.5 s per step, 80 steps left.
        XCTAssertEqual(try XCTUnwrap(Progress.eta(elapsed: 10, step: 20, total: 100)), 40, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(Progress.eta(elapsed: 10, step: 100, total: 100)), 0)
        XCTAssertNil(Progress.eta(elapsed: 0, step: 0, total: 100))
    }

    func testProgressLineShowsStepScalarsRateAndEta() {
        let line = Progress.line(name: "pretraining", step: 7, total: 200, scalars: [("loss", 3.41234), ("lr", 0.001)],
                                 rate: "12.3k tok/s", eta: 65)
        XCTAssertEqual(line, "pretraining  step   7/200  loss 3.412  lr 0.001  12.3k tok/s  ETA 1m05s")
    }

    func testPlainProgressPrintsEveryTenthOfTheRunWhenNotATerminal() throws {
        var text = ""
        let console = Console(width: 80, isTerminal: false) { text += $0 }
        let directory = try temporaryDirectory()
        let metrics = MetricsLog(url: directory.appendingPathComponent("metrics.csv"))
        let progress = Progress(name: "rl", total: 50, console: console, metrics: metrics)
        for step in 1...50 { progress.update(step: step, ["reward": Double(step)], tokens: 10) }
        progress.finish()
        let lines = text.split(separator: "\n")
        // Step 1, then steps 5, 10, ..., 50 (a tenth of 50 is 5), then the summary.
        XCTAssertEqual(lines.count, 1 + 10 + 1, text)
        XCTAssertTrue(lines[0].hasPrefix("rl  step  1/50  reward 1"))
        XCTAssertTrue(lines[1].hasPrefix("rl  step  5/50  reward 5"))
        XCTAssertTrue(lines[11].hasPrefix("rl  50/50 steps in "))
        XCTAssertFalse(text.contains("\r"))
        try metrics.flush()
        let csv = try String(contentsOf: metrics.url, encoding: .utf8)
        XCTAssertTrue(csv.contains("\nrl,50,reward,50.0,"))
        XCTAssertTrue(csv.contains("\nrl,50,tokens_per_second,"))
    }

    func testTerminalProgressRedrawsOneLineInPlace() {
        var text = ""
        let console = Console(width: 80, isTerminal: true) { text += $0 }
        let progress = Progress(name: "sft", total: 3, console: console, metrics: nil)
        progress.update(step: 1, ["loss": 2])
        progress.update(step: 3, ["loss": 1])
        progress.finish()
        XCTAssertTrue(text.hasPrefix("\r\u{1B}[2Ksft  step 1/3  loss 2"))
        XCTAssertTrue(text.contains("\r\u{1B}[2Ksft  step 3/3  loss 1"))
        XCTAssertTrue(text.hasSuffix("\r\u{1B}[2Ksft  3/3 steps in 0.0s  loss 1\n"), "the summary replaces the live line: \(text)")
    }
}

extension XCTestCase {
    /// A fresh directory under the system's temporary directory, removed when the test ends.
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
