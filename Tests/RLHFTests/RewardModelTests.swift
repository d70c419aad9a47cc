import Foundation
import XCTest
import LanguageModel
import TensorCore
@testable import RLHF

final class RewardModelTests: XCTestCase {
    /// A byte-level tokenizer (256 bytes + <|endoftext|>) and a tiny GPT that fits it.
    func makeModel(seed: UInt64 = 7, context: Int = 64) -> RewardModel {
        var rng = RandomGenerator(seed: seed)
        let tokenizer = BytePairTokenizer(merges: [], specialTokens: ["<|endoftext|>"])
        let config = GPTConfig(vocabularySize: tokenizer.vocabularySize, contextLength: context, layerCount: 2,
                               headCount: 2, modelWidth: 16)
        return RewardModel(backbone: GPT(config: config, rng: &rng), tokenizer: tokenizer, rng: &rng)
    }

    func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-rm-\(UUID().uuidString)-\(name)")
    }

    /// Every scored sequence is the chat format with <|endoftext|> last, appended when a
    /// rollout lacks it, and a response too long for the context is cut before it.
    func testTokensEndWithEndOfTextAndFitTheContext() {
        let model = makeModel(context: 40)
        let eot = model.tokenizer.endOfText
        let prompt = ChatFormat.promptTokens("hi", tokenizer: model.tokenizer)
        let text = model.tokens(prompt: "hi", response: "yes")
        XCTAssertEqual(text, prompt + model.tokenizer.encode(" yes") + [eot])
        XCTAssertEqual(model.tokens(promptTokens: [1, 2], responseTokens: [3, 4]), [1, 2, 3, 4, eot])
        XCTAssertEqual(model.tokens(promptTokens: [1, 2], responseTokens: [3, 4, eot]), [1, 2, 3, 4, eot])
        let long = model.tokens(prompt: "hi", response: String(repeating: "a", count: 100))
        XCTAssertEqual(long.count, 40)
        XCTAssertEqual(long.last, eot)
        XCTAssertEqual(Array(long.prefix(prompt.count)), prompt)
    }

    /// Scoring sorts rows by length and pads them; every reward must still equal the
    /// reward of its row scored alone, in the caller's order.
    func testBatchedScoresEqualScoresAlone() {
        let model = makeModel()
        let prompts = ["a", "bb", "a longer prompt", "c", "dd"]
        let responses = ["x", "a much longer response here", "y", "zz z", ""]
        let batched = model.score(prompts: prompts, responses: responses, batchSize: 2)
        for i in prompts.indices {
            let alone = model.score(prompts: [prompts[i]], responses: [responses[i]])[0]
            XCTAssertEqual(batched[i], alone, accuracy: 1e-5, "row \(i)")
        }
        let graph = model.rewards(zip(prompts, responses).map { model.tokens(prompt: $0, response: $1) })
        for (a, b) in zip(graph.data, batched) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    /// With w = 0 every reward is the bias b = 0.5, so r_c − r_r = 0:
    /// margin 0: loss = −log σ(0) = ln 2 = 0.6931472; margin 1: −log σ(−1) = ln(1 + e) = 1.3132617;
    /// centering c = 0.1 adds 0.1 · (0.5 + 0.5)² = 0.1. Accuracy 0 (no pair strictly right).
    func testPairLossByHand() {
        let model = makeModel()
        model.head.weight.data = [Float](repeating: 0, count: model.head.weight.count)
        model.head.bias.data = [0.5]
        let a = model.tokens(prompt: "p", response: "good"), b = model.tokens(prompt: "p", response: "bad")
        let plain = model.pairLoss([.init(chosen: a, rejected: b, margin: 0), .init(chosen: b, rejected: a, margin: 0)])
        XCTAssertEqual(plain.loss.item, 0.6931472, accuracy: 1e-6)
        XCTAssertEqual(plain.accuracy, 0)
        XCTAssertEqual(plain.margin, 0)
        XCTAssertEqual(plain.meanReward, 0.5, accuracy: 1e-6)
        let margin = model.pairLoss([.init(chosen: a, rejected: b, margin: 1)])
        XCTAssertEqual(margin.loss.item, 1.3132617, accuracy: 1e-6)
        let centered = model.pairLoss([.init(chosen: a, rejected: b, margin: 1)], centeringCoefficient: 0.1)
        XCTAssertEqual(centered.loss.item, 1.4132617, accuracy: 1e-6)
    }

    /// Three responses and all three comparisons among them: the batch reads each response
    /// once, and the loss is still the mean of −log σ(r_c − r_r − m) over the three pairs,
    /// with the centering term over the pairs as well.
    func testSharedResponsesAreReadOnceAndCountedPerPair() {
        let model = makeModel()
        let texts = ["first answer", "second", "a third answer"]
        let rows = texts.map { model.tokens(prompt: "p", response: $0) }
        let r = model.score(tokenRows: rows).map(Double.init)
        let pairs: [(Int, Int, Float)] = [(0, 1, 1), (0, 2, 0.25), (2, 1, 0)]
        let tokenized = pairs.map { RewardModel.TokenizedPair(chosen: rows[$0.0], rejected: rows[$0.1], margin: $0.2) }
        let result = model.pairLoss(tokenized, centeringCoefficient: 0.5)
        let expected = pairs.map { c, j, m in Foundation.log(1 + Foundation.exp(-(r[c] - r[j] - Double(m)))) }.reduce(0, +) / 3
            + 0.5 * pairs.map { c, j, _ in (r[c] + r[j]) * (r[c] + r[j]) }.reduce(0, +) / 3
        XCTAssertEqual(Double(result.loss.item), expected, accuracy: 1e-5)
        XCTAssertEqual(Double(result.margin), pairs.map { r[$0.0] - r[$0.1] }.reduce(0, +) / 3, accuracy: 1e-5)
        XCTAssertEqual(result.accuracy, Float(pairs.filter { r[$0.0] > r[$0.1] }.count) / 3)
    }

    /// A few AdamW steps on a consistent preference ("yes" over "no") make the model rank
    /// held-out pairs of the same kind correctly, and the loss fall.
    func testTrainingLearnsAConsistentPreference() {
        let model = makeModel()
        let prompts = ["is it", "can we", "will you", "do they", "shall I", "may we"]
        let pairs = prompts.map {
            model.tokenized(PreferencePair(prompt: $0, chosen: "yes", rejected: "no", strength: .slight, annotator: "t"))
        }
        let optimizer = AdamW(parameters: model.parameters, learningRate: 3e-3, weightDecay: 0)
        var losses: [Float] = []
        for _ in 0..<40 {
            optimizer.zeroGrad()
            let step = model.pairLoss(Array(pairs.prefix(4)))
            step.loss.backward()
            optimizer.update()
            losses.append(step.loss.item)
        }
        XCTAssertLessThan(losses.last!, 0.1 * losses.first!)
        let heldOut = Autograd.withoutGradients { model.pairLoss(Array(pairs.suffix(2))) }
        XCTAssertEqual(heldOut.accuracy, 1)
    }

    /// After centering, the mean reward over the reference rows is 0 and the returned
    /// mean and standard deviation are those of the rewards before.
    func testCenteringShiftsTheMeanToZero() {
        let model = makeModel()
        let rows = ["a", "bcd", "hello there", "x y z"].map { model.tokens(prompt: "q", response: $0) }
        let before = model.score(tokenRows: rows).map(Double.init)
        let mean = before.reduce(0, +) / 4
        let std = (before.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        let stats = model.center(on: rows)
        XCTAssertEqual(Double(stats.mean), mean, accuracy: 1e-5)
        XCTAssertEqual(Double(stats.standardDeviation), std, accuracy: 1e-5)
        XCTAssertEqual(model.referenceStandardDeviation, stats.standardDeviation)
        let after = model.score(tokenRows: rows)
        XCTAssertEqual(Double(after.reduce(0, +)) / 4, 0, accuracy: 1e-5)
    }

    /// Save then load gives the same rewards and scale; the file holds GPT-2 names plus the head.
    func testSaveAndLoadRoundTrip() throws {
        let model = makeModel()
        model.center(on: [model.tokens(prompt: "q", response: "a"), model.tokens(prompt: "q", response: "bb")])
        let url = temporaryFile(RewardModel.fileName)
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let contents = try SafeTensors.read(from: url)
        XCTAssertNotNil(contents.tensors["transformer.h.1.attn.c_attn.weight"])
        XCTAssertEqual(contents.tensors["score.weight"]?.shape, [16, 1])
        XCTAssertEqual(contents.tensors["score.bias"]?.shape, [1])
        let loaded = try RewardModel.load(from: url, tokenizer: model.tokenizer)
        XCTAssertEqual(loaded.referenceStandardDeviation, model.referenceStandardDeviation)
        let prompts = ["why", "how so"], responses = ["because", "like a ball"]
        XCTAssertEqual(loaded.score(prompts: prompts, responses: responses), model.score(prompts: prompts, responses: responses))
    }

    /// A LoRA-adapted backbone is saved with the adapter folded in, and stays unmerged.
    func testSavingFoldsAnAttachedAdapter() throws {
        let model = makeModel()
        var rng = RandomGenerator(seed: 9)
        let adapter = LoRAAdapter(config: LoRAConfig(rank: 2, alpha: 4, dropout: 0), for: model.body.config, rng: &rng)
        for p in adapter.parameters { p.data = p.data.map { _ in Float(rng.normal()) * 0.3 } }
        model.body.adapter = adapter
        let url = temporaryFile(RewardModel.fileName)
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        XCTAssertFalse(adapter.isMerged)
        let loaded = try RewardModel.load(from: url, tokenizer: model.tokenizer)
        let expected = model.score(prompts: ["p"], responses: ["r s t"])[0]
        XCTAssertEqual(loaded.score(prompts: ["p"], responses: ["r s t"])[0], expected, accuracy: 1e-4)
    }

    /// A truncated file, a file without the config, or one for another tokenizer each give
    /// one line naming the file.
    func testBadFilesGiveOneLineNamingTheFile() throws {
        let model = makeModel()
        let url = temporaryFile(RewardModel.fileName)
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        XCTAssertThrowsError(try RewardModel.load(from: url, tokenizer: model.tokenizer)) { error in
            XCTAssertTrue("\(error)".hasPrefix(url.path + ":"), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        try SafeTensors.write(model.head.parameters.map { NamedTensor(name: $0.name, shape: $0.shape, values: $0.data) }, to: url)
        XCTAssertThrowsError(try RewardModel.load(from: url, tokenizer: model.tokenizer)) { error in
            XCTAssertEqual("\(error)", "\(url.path): header entry \"__metadata__\" has no valid gpt_config (the GPT config of the backbone)")
        }
        try model.save(to: url)
        let otherTokenizer = BytePairTokenizer(merges: [], specialTokens: ["<|endoftext|>", "<|pad|>"])
        XCTAssertThrowsError(try RewardModel.load(from: url, tokenizer: otherTokenizer)) { error in
            XCTAssertEqual("\(error)", "\(url.path): header entry \"__metadata__\" says vocab_size 257 but the tokenizer has 258 tokens")
        }
    }

    /// An all-NaN head (or any non-finite weight) is refused, naming the tensor.
    func testNonFiniteWeightsAreRefused() throws {
        let model = makeModel()
        model.head.weight.data = model.head.weight.data.map { _ in .nan }
        let url = temporaryFile(RewardModel.fileName)
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        XCTAssertThrowsError(try RewardModel.load(from: url, tokenizer: model.tokenizer)) { error in
            XCTAssertEqual("\(error)", "\(url.path): tensor score.weight holds nan at element 0 (weights must be finite numbers)")
        }
    }

    /// The GPT config inside the file is bounded and checked against the tensors before
    /// anything is built: sizes that used to abort or run for minutes are refused at once.
    func testImpossibleEmbeddedConfigSizesAreRefusedBeforeAllocating() throws {
        let model = makeModel()
        let url = temporaryFile(RewardModel.fileName)
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let contents = try SafeTensors.read(from: url)
        func loadWithConfig(_ edit: (String) -> String) throws -> String {
            var metadata = contents.metadata
            metadata["gpt_config"] = edit(metadata["gpt_config"]!)
            try SafeTensors.write(Array(contents.tensors.values), metadata: metadata, to: url)
            let start = Date()
            defer { XCTAssertLessThan(Date().timeIntervalSince(start), 1) }
            do { _ = try RewardModel.load(from: url, tokenizer: model.tokenizer); return "" } catch { return "\(error)" }
        }
        let prefix = "\(url.path): header entry \"__metadata__\" has an invalid gpt_config: "
        XCTAssertEqual(try loadWithConfig { $0.replacingOccurrences(of: #""n_layer":2"#, with: #""n_layer":100000"#) },
                       prefix + "n_layer is 100000, more than the 1024 this course accepts")
        XCTAssertEqual(try loadWithConfig { $0.replacingOccurrences(of: #""n_embd":16"#, with: #""n_embd":4611686018427387904"#) },
                       prefix + "n_embd is 4611686018427387904, more than the 16384 this course accepts")
        XCTAssertEqual(try loadWithConfig { $0.replacingOccurrences(of: #""n_layer":2"#, with: #""n_layer":1000"#) },
                       "\(url.path): missing tensor transformer.h.2.ln_1.weight, which its gpt_config calls for")
        XCTAssertEqual(try loadWithConfig { $0 }, "")
    }

    /// The same model saved twice gives the same bytes; the GPT config's keys are sorted.
    func testSavesAreByteIdenticalWithSortedConfigKeys() throws {
        let model = makeModel()
        let first = temporaryFile("1.safetensors"), second = temporaryFile("2.safetensors")
        defer { for url in [first, second] { try? FileManager.default.removeItem(at: url) } }
        try model.save(to: first)
        try model.save(to: second)
        XCTAssertEqual(try Data(contentsOf: first), try Data(contentsOf: second))
        let json = try XCTUnwrap(SafeTensors.read(from: first).metadata["gpt_config"])
        let keys = json.split(separator: ",").compactMap { $0.split(separator: ":").first.map { $0.trimmingCharacters(in: ["{", "\""]) } }
        XCTAssertEqual(keys, keys.sorted(), json)
        XCTAssertTrue(json.hasPrefix(#"{"activation_function":"gelu_new","architectures":["GPT2LMHeadModel"],"#), json)
    }
}
