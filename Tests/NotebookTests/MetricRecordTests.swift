import XCTest
@testable import Notebook

/// A record with a field, a second field and an optional one, as the chapters' records have.
private struct Step: MetricRecord, Equatable {
    var loss = 0.0, reward = 0.0
    var accuracy: Double?
    static let fields: [(name: String, field: WritableKeyPath<Step, Double>)] = [("loss", \.loss), ("objective/reward", \.reward)]
    static let optionalFields: [(name: String, field: WritableKeyPath<Step, Double?>)] = [("held-out accuracy", \.accuracy)]
}

final class MetricRecordTests: XCTestCase {
    func testARecordIsLoggedUnderItsNamesInNameOrderAndReadBackTheSame() throws {
        let directory = try temporaryDirectory()
        let log = MetricsLog(url: directory.appendingPathComponent("metrics.csv"))
        let steps = [Step(loss: 0.5, reward: -1.25, accuracy: nil), Step(loss: 0.1 + 0.2, reward: .pi, accuracy: 0.75)]
        for (k, step) in steps.enumerated() {
            for (name, value) in step.metrics.sorted(by: { $0.name < $1.name }) {
                try log.log(series: "run, \"quoted\"", step: k + 1, name: name, value: value)
            }
        }
        try log.log(series: "another series", step: 1, name: "loss", value: 9)
        try log.flush()
        let rows = try MetricsLog.rows(in: log.url)
        XCTAssertEqual(rows.prefix(2).map(\.name), ["loss", "objective/reward"], "sorted by name; nil fields left out")
        XCTAssertEqual(rows[2].name, "held-out accuracy")
        XCTAssertEqual(try MetricsLog.records(Step.self, series: "run, \"quoted\"", in: log.url), steps,
                       "every Double comes back to the bit")
    }

    func testARowWithoutARequiredFieldIsNotARecord() {
        XCTAssertNil(Step(metrics: ["loss": 1]))
        XCTAssertEqual(Step(metrics: ["loss": 1, "objective/reward": 2]), Step(loss: 1, reward: 2, accuracy: nil))
    }

    func testAFieldsNameIsTheOneItIsLoggedUnder() {
        XCTAssertEqual(Step.name(of: \.reward), "objective/reward")
    }

    func testQuotedFieldsMayHoldCommasQuotesAndLineBreaks() {
        XCTAssertEqual(MetricsLog.csvRecords("a,\"b, \"\"c\"\"\nd\",e\nf,g\n"), [["a", "b, \"c\"\nd", "e"], ["f", "g"]])
    }
}
