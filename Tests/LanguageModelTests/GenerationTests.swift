import XCTest
import TensorCore
@testable import LanguageModel

/// Cached decoding must compute exactly what the full forward pass computes.
final class GenerationTests: XCTestCase {
    let model = ModelFixtures.model(ModelFixtures.little)

    /// Logits of the full forward pass on left-padded rows, for the column `t` of each row.
    private func fullForwardLogits(rows: [[Int]], column t: Int) -> [Float] {
        let batch = TokenBatch(rows: rows, padding: .left)
        let logits = Autograd.withoutGradients { model.forward(batch) }
        let V = model.config.vocabularySize
        var result: [Float] = []
        for b in 0..<rows.count {
            let start = (b * batch.time + t) * V
            result += logits.data[start..<(start + V)]
        }
        return result
    }

    /// Prefill, then six steps; at each, the cached logits of every row equal the full
    /// forward pass's on the left-padded rows so far. Three rows decode with the
    /// weight-streaming kernel, six with GEMM.
    func testCachedLogitsEqualFullForwardForPromptsOfUnequalLength() {
        for lengths in [[4, 9, 1], [4, 9, 1, 6, 2, 9]] {
            let prompts = ModelFixtures.randomRows(lengths: lengths, vocabulary: 37, seed: 21)
            let continuation = ModelFixtures.randomRows(lengths: lengths.map { _ in 6 }, vocabulary: 37, seed: 22)
            let decoder = IncrementalDecoder(model: model, batch: lengths.count, capacity: 15)
            var logits = decoder.prefill(prompts: prompts)
            var rows = prompts
            for step in 0...6 {
                let expected = fullForwardLogits(rows: rows, column: 8 + step)
                ModelFixtures.assertClose(logits, expected, tolerance: 1e-4, "batch \(lengths.count) step \(step)")
                if step == 6 { break }
                let next = continuation.map { $0[step] }
                for b in 0..<rows.count { rows[b].append(next[b]) }
                logits = decoder.step(tokens: next)
            }
            XCTAssertEqual(decoder.length, 15)
            XCTAssertEqual(decoder.nextPosition(ofRow: 2), 7)
        }
    }

    /// With rotary positions the cache turns each new query and key by its row's own
    /// position (left padding included), as the full forward pass does.
    func testCachedLogitsEqualFullForwardWithRotaryPositions() {
        var config = ModelFixtures.little
        config.positionEncoding = .rotary
        let rotaryModel = ModelFixtures.model(config)
        let lengths = [4, 9, 1, 6, 2, 9]
        let prompts = ModelFixtures.randomRows(lengths: lengths, vocabulary: 37, seed: 23)
        let continuation = ModelFixtures.randomRows(lengths: lengths.map { _ in 4 }, vocabulary: 37, seed: 24)
        for rowCount in [3, 6] {
            let decoder = IncrementalDecoder(model: rotaryModel, batch: rowCount, capacity: 13)
            var rows = Array(prompts.prefix(rowCount))
            var logits = decoder.prefill(prompts: rows)
            for step in 0...4 {
                let batch = TokenBatch(rows: rows, padding: .left)
                let full = Autograd.withoutGradients { rotaryModel.forward(batch) }.data
                let (V, T) = (config.vocabularySize, batch.time)
                var expected: [Float] = []
                for b in 0..<rowCount {
                    let last: Int = (b * T + T - 1) * V
                    expected += full[last..<(last + V)]
                }
                ModelFixtures.assertClose(logits, expected, tolerance: 1e-4, "rows \(rowCount) step \(step)")
                if step == 4 { break }
                let next = continuation.prefix(rowCount).map { $0[step] }
                for b in 0..<rows.count { rows[b].append(next[b]) }
                logits = decoder.step(tokens: next)
            }
        }
    }

    /// Rows that have stopped leave the batch: stepping only rows 0 and 2 gives those rows
    /// the logits of the full forward pass, and row 1, skipped, is never touched.
    func testSteppingASubsetOfRowsEqualsTheFullForwardOfThoseRows() {
        let prompts = ModelFixtures.randomRows(lengths: [4, 7, 2], vocabulary: 37, seed: 31)
        let decoder = IncrementalDecoder(model: model, batch: 3, capacity: 12)
        decoder.prefill(prompts: prompts)
        var rows = prompts
        for step in 0..<3 {
            let next = [5 + step, 9 + step]
            rows[0].append(next[0])
            rows[2].append(next[1])
            let logits = decoder.step(tokens: next, rows: [0, 2])
            let full = [rows[0], rows[2]].map { row -> [Float] in
                let out = Autograd.withoutGradients { model.forward(TokenBatch(rows: [row])) }.data
                let V = model.config.vocabularySize
                return Array(out[((row.count - 1) * V)..<(row.count * V)])
            }
            ModelFixtures.assertClose(logits, full[0] + full[1], tolerance: 1e-4, "step \(step)")
        }
    }

    /// Greedy decoding of a batch whose rows stop at different steps gives each row what it
    /// gives alone.
    func testABatchWithEarlyStopsGivesEachRowWhatItGivesAlone() {
        let prompts = ModelFixtures.randomRows(lengths: [3, 5, 2, 6], vocabulary: 37, seed: 32)
        var rng = RandomGenerator(seed: 1)
        let free = model.generate(prompts: prompts, settings: GenerationSettings(maxNewTokens: 8, sampling: .greedy, stopToken: -1),
                                  rng: &rng)
        let stop = free[0].tokens[2]
        let settings = GenerationSettings(maxNewTokens: 8, sampling: .greedy, stopToken: stop)
        let together = model.generate(prompts: prompts, settings: settings, rng: &rng)
        XCTAssertTrue(together[0].endedWithStopToken)
        for (b, prompt) in prompts.enumerated() {
            XCTAssertEqual(together[b], model.generate(prompt: prompt, settings: settings, rng: &rng), "row \(b)")
        }
    }

    func testGreedyGenerationFollowsTheArgmaxAndReportsModelLogProbs() {
        let prompts = ModelFixtures.randomRows(lengths: [2, 5], vocabulary: 37, seed: 23)
        var rng = RandomGenerator(seed: 1)
        let settings = GenerationSettings(maxNewTokens: 8, sampling: .greedy, stopToken: -1)
        let generated = model.generate(prompts: prompts, settings: settings, rng: &rng)
        for (b, sequence) in generated.enumerated() {
            XCTAssertEqual(sequence.tokens.count, 8)
            XCTAssertFalse(sequence.endedWithStopToken)
            // Re-score the whole row with one forward pass.
            let row = prompts[b] + sequence.tokens
            let logits = Autograd.withoutGradients { model.forward(TokenBatch(rows: [row])) }
            let V = model.config.vocabularySize
            for (i, token) in sequence.tokens.enumerated() {
                let t = prompts[b].count - 1 + i
                let slice = logits.data[(t * V)..<((t + 1) * V)]
                XCTAssertEqual(token, slice.indices.max { slice[$0] < slice[$1] }! - t * V)
                XCTAssertEqual(Double(sequence.logProbs[i]), ModelFixtures.logSoftmax(slice)[token], accuracy: 1e-4)
                XCTAssertEqual(sequence.samplingLogProbs[i], 0)
            }
        }
    }

    func testSamplingIsDeterministicPerSeedAndStopsAtTheStopToken() {
        let prompts = ModelFixtures.randomRows(lengths: [3, 1, 6], vocabulary: 37, seed: 24)
        let settings = GenerationSettings(maxNewTokens: 12, sampling: SamplingSettings(temperature: 1.3, topK: 10, topP: 0.9), stopToken: 3)
        var a = RandomGenerator(seed: 7), b = RandomGenerator(seed: 7)
        let first = model.generate(prompts: prompts, settings: settings, rng: &a)
        let second = model.generate(prompts: prompts, settings: settings, rng: &b)
        XCTAssertEqual(first, second)
        for sequence in first {
            XCTAssertEqual(sequence.tokens.filter { $0 == 3 }.count, sequence.endedWithStopToken ? 1 : 0)
            if sequence.endedWithStopToken { XCTAssertEqual(sequence.tokens.last, 3) } else { XCTAssertEqual(sequence.tokens.count, 12) }
            XCTAssertEqual(sequence.logProbs.count, sequence.tokens.count)
            XCTAssertEqual(sequence.responseMask.count, sequence.tokens.count)
            // Truncation to the top tokens only raises the probability of what was drawn
            // relative to sampling at τ = 1.3; both are log-probabilities.
            XCTAssertTrue(sequence.logProbs.allSatisfy { $0 <= 0 })
            XCTAssertTrue(sequence.samplingLogProbs.allSatisfy { $0 <= 1e-6 })
        }
        // Some row stops early with these settings (seeded, so this is fixed).
        XCTAssertTrue(first.contains { $0.endedWithStopToken } || first.allSatisfy { $0.tokens.count == 12 })
    }

    func testTopKOfOneIsGreedy() {
        let prompts = ModelFixtures.randomRows(lengths: [4], vocabulary: 37, seed: 25)
        var rng = RandomGenerator(seed: 3)
        let greedy = model.generate(prompts: prompts, settings: GenerationSettings(maxNewTokens: 6, sampling: .greedy, stopToken: -1), rng: &rng)
        let topOne = model.generate(prompts: prompts, settings: GenerationSettings(maxNewTokens: 6, sampling: SamplingSettings(temperature: 0.7, topK: 1), stopToken: -1), rng: &rng)
        XCTAssertEqual(greedy[0].tokens, topOne[0].tokens)
        XCTAssertTrue(topOne[0].samplingLogProbs.allSatisfy { $0 == 0 })
    }

    /// Sampling at τ = 1 with no truncation draws each token with the model's probability:
    /// the two log-probs coincide, and the frequency of the first token matches softmax.
    func testPlainSamplingMatchesTheModelDistribution() {
        let prompt = [5, 9]
        var rng = RandomGenerator(seed: 11)
        let settings = GenerationSettings(maxNewTokens: 1, stopToken: -1)
        var counts = [Int](repeating: 0, count: 37)
        let draws = 4000
        for _ in 0..<draws {
            let s = model.generate(prompt: prompt, settings: settings, rng: &rng)
            XCTAssertEqual(s.logProbs[0], s.samplingLogProbs[0], accuracy: 1e-5)
            counts[s.tokens[0]] += 1
        }
        let logits = Autograd.withoutGradients { model.forward(TokenBatch(rows: [prompt])) }
        let p = ModelFixtures.logSoftmax(logits.data[37..<74]).map { Foundation.exp($0) }
        for j in 0..<37 {
            let expected = p[j] * Double(draws)
            XCTAssertEqual(Double(counts[j]), expected, accuracy: 4 * (expected + 1).squareRoot() + 2, "token \(j)")
        }
    }

    func testGenerationStopsAtTheContextLength() {
        var rng = RandomGenerator(seed: 2)
        let prompt = ModelFixtures.randomRows(lengths: [20], vocabulary: 37, seed: 26)[0]
        let s = model.generate(prompt: prompt, settings: GenerationSettings(maxNewTokens: 50, stopToken: -1), rng: &rng)
        XCTAssertEqual(s.tokens.count, 4)   // context 24 - prompt 20
    }
}
