import XCTest
import Notebook
import TensorCore
@testable import Course
@testable import RLHF

/// The chapters' per-iteration records: TRL's names, and a round trip through metrics.csv.
final class TrainingRecordTests: XCTestCase {
    /// A record whose fields all hold different values (k-th field: k + 0.1, an inexact Double).
    private func filled<R: MetricRecord>(_ type: R.Type) -> R {
        var record = R()
        for (k, entry) in R.fields.enumerated() { record[keyPath: entry.field] = Double(k) + 0.1 }
        for (k, entry) in R.optionalFields.enumerated() { record[keyPath: entry.field] = -Double(k) - 0.3 }
        return record
    }

    private func roundTrip<R: MetricRecord & Equatable>(_ record: R) throws -> R? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let log = MetricsLog(url: url)
        for (name, value) in record.metrics { try log.log(series: "run", step: 1, name: name, value: value) }
        try log.flush()
        return try MetricsLog.records(R.self, series: "run", in: url).first
    }

    func testEachRecordComesBackFromMetricsCSVUnchanged() throws {
        XCTAssertEqual(try roundTrip(filled(PPOIteration.self)), filled(PPOIteration.self))
        XCTAssertEqual(try roundTrip(filled(GRPOStep.self)), filled(GRPOStep.self))
        XCTAssertEqual(try roundTrip(filled(DPOStep.self)), filled(DPOStep.self))
        var sparse = filled(GRPOStep.self)
        sparse.heldOutAccuracy = nil
        XCTAssertEqual(try roundTrip(sparse), sparse, "a step without a held-out measurement stays without one")
    }

    func testTheRecordsLogTRLsNames() {
        XCTAssertEqual(Set(PPOIteration.fields.map(\.name)), [
            "objective/scores", "objective/non_score_reward", "objective/rlhf_reward", "objective/kl", "objective/entropy",
            "entropy per token", "tokens per answer", "reference entropy per token",
            "val/num_eos_tokens", "gold", "gold std", "val/var_explained", "explained variance of the return", "policy/approxkl_avg", "policy/clipfrac_avg",
            "loss/policy_avg", "loss/value_avg", "val/clipfrac_avg", "val/ratio", "val/ratio_var",
        ])
        XCTAssertEqual(PPOIteration.name(of: \.kl), "objective/kl")
        XCTAssertEqual(GRPOStep.name(of: \.zeroSpreadShare), "frac_reward_zero_std")
        XCTAssertEqual(DPOStep.name(of: \.margin), "rewards/margins")
        for names in [PPOIteration.fields.map(\.name), GRPOStep.fields.map(\.name) + GRPOStep.optionalFields.map(\.name),
                      DPOStep.fields.map(\.name)] {
            XCTAssertEqual(Set(names).count, names.count, "a name logged twice: \(names)")
        }
    }

    /// Two minibatches: approx KL 0.1 and 0.3 → mean 0.2; clip fractions 0 and 0.5 → 0.25.
    func testPPOMinibatchFieldsAreMeansOverTheMinibatches() {
        func minibatch(_ kl: Float, _ clip: Float) -> PPOIteration.Minibatch {
            .init(policy: ClippedPolicyLoss(loss: Tensor(shape: [], data: [1]), clipFraction: clip, approximateKL: kl,
                                            meanRatio: 1, ratioVariance: 0),
                  value: (Tensor(shape: [], data: [2]), 0.5))
        }
        var it = PPOIteration()
        it.setMeans(of: [minibatch(0.1, 0), minibatch(0.3, 0.5)])
        XCTAssertEqual(it.approximateKL, (Double(Float(0.1)) + Double(Float(0.3))) / 2)
        XCTAssertEqual(it.clipFraction, 0.25)
        XCTAssertEqual(it.policyLoss, 1)
        XCTAssertEqual(it.valueLoss, 2)
        XCTAssertEqual(it.valueClipFraction, 0.5)
        XCTAssertEqual(it.ratio, 1)
    }
}
