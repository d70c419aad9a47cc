import XCTest
import TensorCore
@testable import LanguageModel

/// Padding must not change what the model computes for the real tokens.
final class SequenceLogProbTests: XCTestCase {
    let model = ModelFixtures.model(ModelFixtures.little)
    let prompts = ModelFixtures.randomRows(lengths: [3, 6, 1], vocabulary: 37, seed: 11)
    let responses = ModelFixtures.randomRows(lengths: [5, 2, 7], vocabulary: 37, seed: 12)

    /// Row b alone, no padding: log p of each response token, from the full log-softmax.
    private func unbatched(_ b: Int) -> [Float] {
        let row = prompts[b] + responses[b]
        let logits = Autograd.withoutGradients { model.forward(TokenBatch(rows: [row])) }
        let V = model.config.vocabularySize
        return (prompts[b].count..<row.count).map { t in
            Float(ModelFixtures.logSoftmax(logits.data[((t - 1) * V)..<(t * V)])[row[t]])
        }
    }

    func testLeftAndRightPaddingGiveTheUnbatchedLogProbs() {
        let left = Autograd.withoutGradients { model.sequenceLogProbs(prompts: prompts, responses: responses, padding: .left) }
        let right = Autograd.withoutGradients { model.sequenceLogProbs(prompts: prompts, responses: responses, padding: .right) }
        for b in 0..<prompts.count {
            let alone = unbatched(b)
            XCTAssertEqual(alone.count, responses[b].count)
            ModelFixtures.assertClose(left.responseValues(ofRow: b), alone, tolerance: 1e-4, "left row \(b)")
            ModelFixtures.assertClose(right.responseValues(ofRow: b), alone, tolerance: 1e-4, "right row \(b)")
        }
        // The per-sequence sums agree too.
        ModelFixtures.assertClose(left.sequenceSums.data, right.sequenceSums.data, tolerance: 1e-4, "sums")
        XCTAssertEqual(left.logProbs.shape, [3, 7])   // every row has 8 tokens
    }

    func testLogProbsAreDifferentiable() {
        let result = model.sequenceLogProbs(prompts: prompts, responses: responses, padding: .left)
        sum(result.sequenceSums).backward()
        XCTAssertFalse(model.tokenEmbedding.grad.isEmpty)
        XCTAssertTrue(model.tokenEmbedding.grad.contains { $0 != 0 })
        for p in model.parameters { p.zeroGrad() }
    }

    func testLeftPaddedPositionsCountRealTokens() {
        let batch = TokenBatch(rows: [[5, 6, 7], [8]], padding: .left, padTokenId: 0)
        XCTAssertEqual(batch.ids, [5, 6, 7, 0, 0, 8])
        XCTAssertEqual(batch.attentionMask, [1, 1, 1, 0, 0, 1])
        XCTAssertEqual(batch.positionIds, [0, 1, 2, 0, 0, 0])
        XCTAssertEqual(batch.lastRealIndex(ofRow: 1), 2)
        let right = TokenBatch(rows: [[5, 6, 7], [8]], padding: .right)
        XCTAssertEqual(right.lastRealIndex(ofRow: 1), 0)
        XCTAssertNil(right.positionIds)
    }

    /// The scalar head reads the last real token: the value of a right-padded row equals
    /// that of the row alone, and the per-position values at that column agree.
    func testScalarHeadReadsTheLastRealToken() {
        var rng = RandomGenerator(seed: 8)
        let scorer = ScalarModel(body: model, rng: &rng)
        let rows = zip(prompts, responses).map { $0 + $1 }
        for padding in [TokenBatch.Padding.left, .right] {
            let batch = TokenBatch(rows: rows, padding: padding)
            let batched = Autograd.withoutGradients { scorer.lastTokenValues(batch) }
            XCTAssertEqual(batched.shape, [3])
            for (b, row) in rows.enumerated() {
                let alone = Autograd.withoutGradients { scorer.lastTokenValues(TokenBatch(rows: [row])) }
                XCTAssertEqual(batched.data[b], alone.data[0], accuracy: 1e-4, "\(padding) row \(b)")
            }
        }
        let values = Autograd.withoutGradients { scorer.values(TokenBatch(rows: rows)) }
        XCTAssertEqual(values.shape, [3, 8])
    }
}
