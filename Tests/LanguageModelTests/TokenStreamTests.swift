import XCTest
import TensorCore
@testable import LanguageModel

final class TokenStreamTests: XCTestCase {
    /// Training 0 1 0 1 over a vocabulary of 3, validation 0 1.
    /// Unigram, add-one: counts (3, 3, 1) of 7, so the one validation prediction (token 1)
    /// costs -ln(3/7) = 0.8472979.
    /// Bigram: after 0 the training stream always has 1 (2 of 2), so
    /// p = 0.9 · 1 + 0.1 · 3/7 = 0.9428571 and the loss is -ln 0.9428571 = 0.0588405.
    func testNGramBaselinesMatchHandValues() {
        let baselines = NGramBaselines(training: [0, 1, 0, 1], validation: [0, 1], vocabularySize: 3)
        XCTAssertEqual(baselines.unigram, 0.8472979, accuracy: 1e-6)
        XCTAssertEqual(baselines.bigram, 0.0588405, accuracy: 1e-6)
    }

    /// Every window's targets are its inputs shifted by one, taken from the stream.
    func testRandomBatchesAreShiftedWindows() {
        let stream = TokenStream(tokens: Array(0..<50))
        var rng = RandomGenerator(seed: 3)
        let (inputs, targets) = stream.randomBatch(batch: 4, context: 8, using: &rng)
        XCTAssertEqual(inputs.count, 32)
        for i in 0..<32 { XCTAssertEqual(targets[i], inputs[i] + 1) }
        for row in 0..<4 {
            for t in 1..<8 { XCTAssertEqual(inputs[row * 8 + t], inputs[row * 8 + t - 1] + 1) }
        }
    }

    /// Evaluation windows are consecutive and stop when the stream runs out.
    func testEvaluationBatchesAreFixed() {
        let stream = TokenStream(tokens: Array(0..<20))
        let batches = stream.evaluationBatches(batch: 2, context: 4, maximumBatches: 5)
        XCTAssertEqual(batches.count, 2)   // 4 windows of 4 fit in 20 tokens (+1 for the last target)
        XCTAssertEqual(batches[0].inputs, [0, 1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(batches[1].targets, [9, 10, 11, 12, 13, 14, 15, 16])
    }

    /// Documents are joined with the end-of-text token after each.
    func testDocumentsEndWithEndOfText() {
        let tokenizer = BytePairTokenizer.train(texts: ["ab ab ab"], vocabularySize: 260)
        let stream = TokenStream(documents: ["ab", "ab ab"], tokenizer: tokenizer)
        XCTAssertEqual(stream.tokens.filter { $0 == tokenizer.endOfText }.count, 2)
        XCTAssertEqual(stream.tokens.last, tokenizer.endOfText)
    }
}
