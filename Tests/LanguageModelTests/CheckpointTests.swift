import XCTest
import TensorCore
@testable import LanguageModel

final class CheckpointTests: XCTestCase {
    func testSaveThenLoadIsBitExact() throws {
        let model = ModelFixtures.model(ModelFixtures.little)
        let directory = ModelFixtures.temporaryDirectory("checkpoint")
        try model.save(to: directory)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.safetensors").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("config.json").path))
        let loaded = try GPT.load(from: directory)
        XCTAssertEqual(loaded.config, model.config)
        XCTAssertEqual(loaded.parameters.map(\.name), model.parameters.map(\.name))
        for (a, b) in zip(loaded.parameters, model.parameters) {
            XCTAssertEqual(a.data.map(\.bitPattern), b.data.map(\.bitPattern), a.name)
        }
        // The file uses GPT-2's names and Conv1D layout, with no LM head (tied).
        let contents = try SafeTensors.read(from: directory.appendingPathComponent("model.safetensors"))
        XCTAssertEqual(contents.tensors["transformer.h.1.attn.c_attn.weight"]?.shape, [16, 48])
        XCTAssertEqual(contents.tensors["transformer.h.0.mlp.c_proj.weight"]?.shape, [64, 16])
        XCTAssertNil(contents.tensors["lm_head.weight"])
        XCTAssertEqual(contents.metadata["format"], "pt")
    }

    /// A rotary model saves no position table and says so in its config, which GPT-2's
    /// loaders refuse (model_type "gpt2-rotary"); the course loads it back bit-exactly.
    func testARotaryModelRoundTripsWithoutAPositionTable() throws {
        var config = ModelFixtures.little
        config.positionEncoding = .rotary
        let model = ModelFixtures.model(config)
        let directory = ModelFixtures.temporaryDirectory("rotary")
        try model.save(to: directory)
        let contents = try SafeTensors.read(from: directory.appendingPathComponent("model.safetensors"))
        XCTAssertNil(contents.tensors["transformer.wpe.weight"])
        let json = try String(contentsOf: directory.appendingPathComponent("config.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("\"model_type\" : \"gpt2-rotary\""), json)
        let loaded = try GPT.load(from: directory)
        XCTAssertEqual(loaded.config.positionEncoding, .rotary)
        XCTAssertEqual(loaded.parameters.map(\.name), model.parameters.map(\.name))
        for (a, b) in zip(loaded.parameters, model.parameters) {
            XCTAssertEqual(a.data.map(\.bitPattern), b.data.map(\.bitPattern), a.name)
        }
        XCTAssertEqual(loaded.parameters.map(\.count).reduce(0, +), config.parameterCount)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Rewrites the saved weights through `edit`, then expects loading to fail with an
    /// error that names the file and contains `expected`.
    private func expectLoadFailure(containing expected: String, _ edit: (inout [NamedTensor]) -> Void) throws {
        let model = ModelFixtures.model(ModelFixtures.tiny)
        let directory = ModelFixtures.temporaryDirectory("bad")
        try model.save(to: directory)
        let url = directory.appendingPathComponent("model.safetensors")
        var tensors = Array(try SafeTensors.read(from: url).tensors.values)
        edit(&tensors)
        try SafeTensors.write(tensors, to: url)
        XCTAssertThrowsError(try GPT.load(from: directory)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(url.path), message)
            XCTAssertTrue(message.contains(expected), message)
            XCTAssertFalse(message.contains("\n"), message)
        }
    }

    func testAMissingTensorIsNamed() throws {
        try expectLoadFailure(containing: "transformer.h.0.ln_2.bias") { tensors in
            tensors.removeAll { $0.name == "transformer.h.0.ln_2.bias" }
        }
    }

    func testAShapeMismatchIsNamed() throws {
        try expectLoadFailure(containing: "transformer.wpe.weight") { tensors in
            let i = tensors.firstIndex { $0.name == "transformer.wpe.weight" }!
            tensors[i] = NamedTensor(name: tensors[i].name, shape: [4, 8], values: Array(tensors[i].values.prefix(32)))
        }
    }

    func testAnUnexpectedTensorIsNamed() throws {
        try expectLoadFailure(containing: "transformer.h.1.ln_1.weight") { tensors in
            tensors.append(NamedTensor(name: "transformer.h.1.ln_1.weight", shape: [8], values: [Float](repeating: 1, count: 8)))
        }
    }

    func testANonFiniteWeightIsNamed() throws {
        try expectLoadFailure(containing: "tensor transformer.h.0.attn.c_proj.bias holds nan at element 3") { tensors in
            let i = tensors.firstIndex { $0.name == "transformer.h.0.attn.c_proj.bias" }!
            tensors[i].values[3] = .nan
        }
    }

    /// Rewrites config.json of a saved tiny model with `key` set to `value`, and expects
    /// loading to fail quickly with one line that contains `expected`.
    private func expectConfigFailure(_ key: String, _ value: Int, containing expected: String, naming file: String,
                                     line: UInt = #line) throws {
        let directory = ModelFixtures.temporaryDirectory("config")
        defer { try? FileManager.default.removeItem(at: directory) }
        try ModelFixtures.model(ModelFixtures.tiny).save(to: directory)
        let url = directory.appendingPathComponent("config.json")
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        json[key] = value
        if key == "n_positions" { json["n_ctx"] = value }  // the alias must agree
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        let start = Date()
        XCTAssertThrowsError(try GPT.load(from: directory), line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix(directory.appendingPathComponent(file).path + ": "), message, line: line)
            XCTAssertTrue(message.contains(expected), message, line: line)
            XCTAssertFalse(message.contains("\n"), message, line: line)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "refused before anything big is built", line: line)
    }

    /// Sizes that used to abort ("failed to allocate"), trap (overflow) or run for minutes
    /// are refused at once: beyond the limits by config.json's check, within them by the
    /// check against the weights file, both before the model is built.
    func testImpossibleConfigSizesAreRefusedBeforeAllocating() throws {
        try expectConfigFailure("vocab_size", 1 << 31, containing: "vocab_size is 2147483648, more than", naming: "config.json")
        try expectConfigFailure("n_positions", 1 << 62, containing: "n_positions is 4611686018427387904, more than", naming: "config.json")
        try expectConfigFailure("n_embd", 1_000_000, containing: "n_embd is 1000000, more than", naming: "config.json")
        try expectConfigFailure("n_layer", 100_000, containing: "n_layer is 100000, more than", naming: "config.json")
        // Within the limits, but not what the weights hold: named by both files.
        try expectConfigFailure("n_layer", 1000, containing: "missing tensor transformer.h.1.ln_1.weight, which config.json calls for",
                                naming: "model.safetensors")
        try expectConfigFailure("n_embd", 16_384, containing: "tensor transformer.wte.weight has shape [11, 8], but config.json calls for [11, 16384]",
                                naming: "model.safetensors")
    }

    func testADirectoryWhereAFileShouldBe() throws {
        let directory = ModelFixtures.temporaryDirectory("dir")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("config.json"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try GPT.load(from: directory)) { error in
            XCTAssertEqual("\(error)", "\(directory.path)/config.json: cannot read (it is a directory, not a file)")
        }
    }

    /// A tokenizer and a tiny model that fits it, saved as one directory.
    private func savedLLM() throws -> (PretrainedLLM, URL) {
        let texts = (0..<30).map { "The cat sat on the mat number \($0). Dogs run fast!\n" }
        let tokenizer = BytePairTokenizer.train(texts: texts, vocabularySize: 300)
        let config = GPTConfig(vocabularySize: tokenizer.vocabularySize, contextLength: 16, layerCount: 1, headCount: 2,
                               modelWidth: 8, endOfTextTokenId: tokenizer.endOfText)
        var rng = RandomGenerator(seed: 3)
        let llm = PretrainedLLM(tokenizer: tokenizer, model: GPT(config: config, rng: &rng))
        let directory = ModelFixtures.temporaryDirectory("llm")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try llm.save(to: directory)
        return (llm, directory)
    }

    /// config.json and vocab.json must agree on the vocabulary and on <|endoftext|>; the
    /// message names config.json and vocab.json, not only the folder.
    func testTokenizerAndConfigMustAgree() throws {
        let (llm, directory) = try savedLLM()
        var config = llm.model.config
        config.vocabularySize = llm.tokenizer.vocabularySize + 1
        var rng = RandomGenerator(seed: 1)
        try GPT(config: config, rng: &rng).save(to: directory)
        let configPath = directory.appendingPathComponent("config.json").path
        XCTAssertThrowsError(try PretrainedLLM.load(from: directory)) { error in
            XCTAssertEqual("\(error)", "\(configPath): vocab_size is \(config.vocabularySize), but vocab.json beside it has \(llm.tokenizer.vocabularySize) tokens")
        }
        config = llm.model.config
        config.endOfTextTokenId = 5
        try GPT(config: config, rng: &rng).save(to: directory)
        XCTAssertThrowsError(try PretrainedLLM.load(from: directory)) { error in
            XCTAssertEqual("\(error)", "\(configPath): eos_token_id is 5, but vocab.json beside it gives <|endoftext|> id \(llm.tokenizer.endOfText)")
        }
        XCTAssertThrowsError(try PretrainedLLM.load(from: directory.appendingPathComponent("vocab.json"))) { error in
            XCTAssertEqual("\(error)", "\(directory.path)/vocab.json: is a file, not a model directory")
        }
    }

    /// Every file of a saved model directory comes out byte for byte the same twice: what
    /// makes two runs with one seed write identical artifacts.
    func testTwoSavesOfADirectoryAreByteIdentical() throws {
        let (llm, first) = try savedLLM()
        var rng = RandomGenerator(seed: 4)
        llm.adapter = LoRAAdapter(config: LoRAConfig(rank: 2, alpha: 4, targets: [.query, .value, .mlpOutput]),
                                  for: llm.model.config, rng: &rng)
        try llm.save(to: first)
        let second = ModelFixtures.temporaryDirectory("llm-again")
        defer { try? FileManager.default.removeItem(at: second) }
        try llm.save(to: second)
        let names = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        XCTAssertTrue(Set(names).isSuperset(of: ["adapter.safetensors", "config.json", "merges.txt", "model.safetensors", "vocab.json"]),
                      "\(names)")
        for name in names {
            XCTAssertEqual(try Data(contentsOf: first.appendingPathComponent(name)),
                           try Data(contentsOf: second.appendingPathComponent(name)), name)
        }
    }

    func testAMissingDirectoryGivesOneClearError() {
        let directory = ModelFixtures.temporaryDirectory("empty")
        XCTAssertThrowsError(try GPT.load(from: directory)) { error in
            XCTAssertTrue("\(error)".contains("config.json"), "\(error)")
        }
    }

    /// A tokenizer, a model and an adapter saved as one directory come back the same and
    /// generate the same text.
    func testPretrainedLLMRoundTripWithAdapter() throws {
        let texts = (0..<30).map { "The cat sat on the mat number \($0). Dogs run fast!\n" }
        let tokenizer = BytePairTokenizer.train(texts: texts, vocabularySize: 300)
        let config = GPTConfig(vocabularySize: tokenizer.vocabularySize, contextLength: 32, layerCount: 1, headCount: 2,
                               modelWidth: 16, endOfTextTokenId: tokenizer.endOfText)
        var rng = RandomGenerator(seed: 3)
        let llm = PretrainedLLM(tokenizer: tokenizer, model: GPT(config: config, rng: &rng))
        llm.adapter = LoRAAdapter(config: LoRAConfig(rank: 2, alpha: 4), for: config, rng: &rng)
        for p in llm.adapter!.parameters { for i in 0..<p.count { p.data[i] = Float(rng.normal()) } }
        let directory = ModelFixtures.temporaryDirectory("llm")
        try llm.save(to: directory)
        let loaded = try PretrainedLLM.load(from: directory)
        XCTAssertEqual(loaded.tokenizer, tokenizer)
        XCTAssertNotNil(loaded.adapter)
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
        let before = llm.generate(prompt: "The cat", maxNewTokens: 10, temperature: 0.8, topP: 0.95, rng: &a)
        let after = loaded.generate(prompt: "The cat", maxNewTokens: 10, temperature: 0.8, topP: 0.95, rng: &b)
        XCTAssertEqual(before, after)
        let batch = loaded.generate(prompts: ["The", "Dogs run"], maxNewTokens: 5, rng: &a)
        XCTAssertEqual(batch.count, 2)
    }
}
