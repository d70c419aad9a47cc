import XCTest
@testable import Notebook

final class MetricsAndRunRecordTests: XCTestCase {
    /// Splits one CSV line into fields, honouring RFC 4180 quotes ("" inside quotes is one quote).
    private func fields(_ line: Substring) -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        var characters = Array(line)[...]
        while let character = characters.popFirst() {
            if quoted && character == "\"" {
                if characters.first == "\"" {
                    current.append("\"")
                    characters.removeFirst()
                } else {
                    quoted = false
                }
            } else if character == "\"" && current.isEmpty {
                quoted = true
            } else if character == "," && !quoted {
                result.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        result.append(current)
        return result
    }

    func testMetricsAreWrittenAsParseableCSV() throws {
        let directory = try temporaryDirectory()
        let log = MetricsLog(url: directory.appendingPathComponent("runs/01-x/metrics.csv"))
        try log.log(series: "pretraining", step: 1, name: "loss", value: 5.5)
        try log.log(series: "table, with comma", step: 2, name: "say \"hi\"", value: -0.25)
        try log.log(series: "result", step: 0, name: "kl", value: .nan)
        try log.flush()
        let text = try String(contentsOf: log.url, encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(lines[0], "series,step,name,value,seconds")
        let rows = lines.dropFirst().map(fields)
        XCTAssertEqual(rows.map { $0.count }, [5, 5, 5])
        XCTAssertEqual(Array(rows[0][0..<4]), ["pretraining", "1", "loss", "5.5"])
        XCTAssertEqual(Array(rows[1][0..<4]), ["table, with comma", "2", "say \"hi\"", "-0.25"])
        XCTAssertEqual(rows[2][3], "nan")
        for row in rows {
            XCTAssertNotNil(Int(row[1]))
            XCTAssertNotNil(Double(row[3]))
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(Double(row[4])), 0)
        }
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: log.url.deletingLastPathComponent().path)
            .contains { $0.contains(".tmp") }, "no temporary file is left behind")
    }

    func testMetricsAreFlushedOnlyWhenTheIntervalHasPassed() throws {
        let directory = try temporaryDirectory()
        let log = MetricsLog(url: directory.appendingPathComponent("metrics.csv"), flushInterval: 3600)
        try log.log(series: "s", step: 1, name: "x", value: 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: log.url.path))
        try log.flush()
        XCTAssertTrue(FileManager.default.fileExists(atPath: log.url.path))
        let eager = MetricsLog(url: directory.appendingPathComponent("eager.csv"), flushInterval: 0)
        try eager.log(series: "s", step: 1, name: "x", value: 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: eager.url.path))
    }

    func testRunRecordHoldsOptionsSeedTimesAndSettings() throws {
        var options = try ChapterOptions.parse(["--quick", "--seed", "7"])
        options.steps = nil
        var record = RunRecord(chapter: "02-supervised-fine-tuning", title: "SFT", arguments: ["--quick", "--seed", "7"],
                               options: options, started: Date(timeIntervalSince1970: 0))
        record.settings["lora_rank"] = .integer(16)
        record.settings["learning_rate"] = .number(0.001)
        record.settings["target"] = .text("q,v")
        record.finished = Date(timeIntervalSince1970: 12.5)
        let url = try temporaryDirectory().appendingPathComponent("run.json")
        try record.write(to: url)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        XCTAssertEqual(object["chapter"] as? String, "02-supervised-fine-tuning")
        XCTAssertEqual(object["started"] as? String, "1970-01-01T00:00:00Z")
        XCTAssertEqual(object["seconds"] as? Double, 12.5)
        let savedOptions = try XCTUnwrap(object["options"] as? [String: Any])
        XCTAssertEqual(savedOptions["quick"] as? Bool, true)
        XCTAssertEqual(savedOptions["seed"] as? Int, 7)
        XCTAssertTrue(savedOptions["steps"] is NSNull)
        let settings = try XCTUnwrap(object["settings"] as? [String: Any])
        XCTAssertEqual(settings["lora_rank"] as? Int, 16)
        XCTAssertEqual(settings["learning_rate"] as? Double, 0.001)
        XCTAssertEqual(settings["target"] as? String, "q,v")
    }
}
