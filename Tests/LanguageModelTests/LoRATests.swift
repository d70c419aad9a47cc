import XCTest
import TensorCore
@testable import LanguageModel

final class LoRATests: XCTestCase {
    let rows = ModelFixtures.randomRows(lengths: [7, 4], vocabulary: 37, seed: 31)

    private func logits(_ model: GPT) -> [Float] {
        Autograd.withoutGradients { model.forward(TokenBatch(rows: rows, padding: .left)).data }
    }

    /// An adapter with B no longer zero, as after some training.
    private func trainedAdapter(for model: GPT, targets: [LoRATarget] = [.query, .value], seed: UInt64 = 4) -> LoRAAdapter {
        var rng = RandomGenerator(seed: seed)
        let adapter = LoRAAdapter(config: LoRAConfig(rank: 4, alpha: 8, targets: targets), for: model.config, rng: &rng)
        for p in adapter.parameters where p.name.contains("lora_B") {
            for i in 0..<p.count { p.data[i] = Float(rng.normal()) * 0.2 }
        }
        return adapter
    }

    func testAFreshAdapterLeavesLogitsUnchanged() {
        let model = ModelFixtures.model(ModelFixtures.little)
        let base = logits(model)
        var rng = RandomGenerator(seed: 1)
        model.adapter = LoRAAdapter(for: model.config, rng: &rng)
        XCTAssertEqual(model.adapter!.config.rank, 16)
        XCTAssertEqual(model.adapter!.config.scale, 2)
        XCTAssertEqual(logits(model), base)
    }

    func testMergedEqualsUnmergedAndUnmergeRestoresTheBaseExactly() {
        let model = ModelFixtures.model(ModelFixtures.little)
        let base = logits(model)
        let baseWeights = model.parameters.map(\.data)
        let adapter = trainedAdapter(for: model, targets: LoRATarget.allCases)
        model.adapter = adapter
        let unmerged = logits(model)
        XCTAssertGreaterThan(zip(unmerged, base).map { Swift.abs($0 - $1) }.max()!, 1e-2)
        adapter.merge(into: model)
        ModelFixtures.assertClose(logits(model), unmerged, tolerance: 1e-4, "merged")
        // Disabled while merged: the base again.
        XCTAssertEqual(model.withAdapterDisabled { logits(model) }, base)
        adapter.unmerge(from: model)
        XCTAssertEqual(model.parameters.map(\.data), baseWeights)
        XCTAssertEqual(logits(model), unmerged)
    }

    func testAdapterDisabledIsTheBaseModel() {
        let model = ModelFixtures.model(ModelFixtures.little)
        let base = logits(model)
        model.adapter = trainedAdapter(for: model)
        XCTAssertNotEqual(logits(model), base)
        XCTAssertEqual(model.withAdapterDisabled { logits(model) }, base)
        XCTAssertNotEqual(logits(model), base)
    }

    func testGradientFlowsOnlyIntoTheAdapter() {
        let model = ModelFixtures.model(ModelFixtures.little)
        let adapter = trainedAdapter(for: model, targets: [.query, .key, .value, .mlpOutput])
        model.adapter = adapter
        XCTAssertTrue(model.trainableParameters.elementsEqual(adapter.parameters, by: ===))
        let ids = rows[0]
        model.loss(ids: ids, targets: Array(ids.dropFirst()) + [-100], batch: 1, time: ids.count).backward()
        for p in model.parameters { XCTAssertTrue(p.grad.isEmpty, "\(p.name) got a gradient") }
        for p in adapter.parameters { XCTAssertTrue(p.grad.contains { $0 != 0 }, "\(p.name) got no gradient") }
    }

    /// The adapter's gradients match finite differences (q, k, v share one fused product).
    func testAdapterGradientsMatchFiniteDifferences() {
        let model = ModelFixtures.model(ModelFixtures.tiny)
        let adapter = trainedAdapter(for: model, targets: LoRATarget.allCases)
        model.adapter = adapter
        let batch = TokenBatch(rows: ModelFixtures.randomRows(lengths: [5, 3], vocabulary: 11, seed: 5), padding: .left)
        let weights: [Float] = (0..<110).map { (i: Int) -> Float in Float((i * 37) % 11) / 11 - 0.5 }
        func loss() -> Double {
            let out = Autograd.withoutGradients { model.forward(batch) }
            return zip(out.data, weights).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        model.forward(batch).backward(seed: weights)
        for p in adapter.parameters {
            for i in stride(from: 0, to: p.count, by: 3) {
                let original = p.data[i]
                p.data[i] = original + 1e-2; let plus = loss()
                p.data[i] = original - 1e-2; let minus = loss()
                p.data[i] = original
                let numeric = (plus - minus) / 2e-2
                XCTAssertEqual(Double(p.grad[i]), numeric, accuracy: 2e-2 * max(1, abs(numeric)), "\(p.name)[\(i)]")
            }
        }
    }

    func testDropoutOnlyInTraining() {
        let model = ModelFixtures.model(ModelFixtures.little)
        let adapter = trainedAdapter(for: model)
        model.adapter = adapter
        let evaluation = logits(model)
        XCTAssertEqual(logits(model), evaluation)
        adapter.isTraining = true
        XCTAssertNotEqual(logits(model), evaluation)
    }

    func testGenerationUsesTheAdapter() {
        let model = ModelFixtures.model(ModelFixtures.little)
        model.adapter = trainedAdapter(for: model)
        let decoder = IncrementalDecoder(model: model, batch: 2, capacity: 7)
        let cached = decoder.prefill(prompts: rows)
        let full = logits(model)
        let V = 37
        ModelFixtures.assertClose(cached, Array(full[(6 * V)..<(7 * V)]) + Array(full[(13 * V)..<(14 * V)]), tolerance: 1e-4, "cached")
    }

    func testSaveAndLoadTheAdapterAlone() throws {
        let model = ModelFixtures.model(ModelFixtures.little)
        let adapter = trainedAdapter(for: model, targets: [.query, .value, .mlpInput])
        let url = ModelFixtures.temporaryDirectory("lora").appendingPathComponent("adapter.safetensors")
        try adapter.save(to: url)
        let loaded = try LoRAAdapter.load(from: url, for: model.config)
        XCTAssertEqual(loaded.config, adapter.config)
        XCTAssertEqual(loaded.parameters.map(\.name), adapter.parameters.map(\.name))
        XCTAssertEqual(loaded.parameters.map(\.data), adapter.parameters.map(\.data))
        XCTAssertTrue(adapter.parameters.map(\.name).contains("transformer.h.1.attn.c_attn.lora_A.q"))
        XCTAssertTrue(adapter.parameters.map(\.name).contains("transformer.h.0.mlp.c_fc.lora_B"))
        // An adapter for another width is refused with the file named.
        let other = GPTConfig(vocabularySize: 37, contextLength: 24, layerCount: 2, headCount: 4, modelWidth: 32)
        XCTAssertThrowsError(try LoRAAdapter.load(from: url, for: other)) { error in
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
        }
    }

    /// Saves a trained adapter, rewrites its lora_config metadata through `edit`, and returns
    /// the error message of loading it (or "" if it loads).
    private func loadWithEditedConfig(_ edit: (String) -> String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let model = ModelFixtures.model(ModelFixtures.little)
        let url = ModelFixtures.temporaryDirectory("lora-config").appendingPathComponent("adapter.safetensors")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try trainedAdapter(for: model).save(to: url)
        let contents = try SafeTensors.read(from: url)
        var metadata = contents.metadata
        metadata["lora_config"] = edit(metadata["lora_config"]!)
        try SafeTensors.write(Array(contents.tensors.values), metadata: metadata, to: url)
        do {
            _ = try LoRAAdapter.load(from: url, for: model.config)
            return ""
        } catch {
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix(url.path + ": "), message, file: file, line: line)
            XCTAssertFalse(message.contains("\n"), message, file: file, line: line)
            return String(message.dropFirst(url.path.count + 2))
        }
    }

    /// The file's config gets the checks `LoRAConfig(...)` makes, and a repeated or unknown
    /// target is refused rather than silently merged or dropped.
    func testTheFilesConfigIsCheckedLikeTheInitializers() throws {
        XCTAssertEqual(try loadWithEditedConfig { $0 }, "")
        let prefix = #"header entry "__metadata__" has an invalid lora_config: "#
        XCTAssertEqual(try loadWithEditedConfig { $0.replacingOccurrences(of: #""dropout":0.05"#, with: #""dropout":1"#) },
                       prefix + "dropout is 1.0, must be in [0, 1)")
        XCTAssertEqual(try loadWithEditedConfig { $0.replacingOccurrences(of: #""dropout":0.05"#, with: #""dropout":-0.5"#) },
                       prefix + "dropout is -0.5, must be in [0, 1)")
        XCTAssertEqual(try loadWithEditedConfig { $0.replacingOccurrences(of: #"["q","v"]"#, with: #"["q","q","v"]"#) },
                       prefix + #"target "q" is listed twice"#)
        XCTAssertEqual(try loadWithEditedConfig { $0.replacingOccurrences(of: #"["q","v"]"#, with: #"["q","o"]"#) },
                       prefix + #"target "o" is not one of "q", "k", "v", "attn.c_proj", "mlp.c_fc", "mlp.c_proj""#)
        XCTAssertEqual(try loadWithEditedConfig { $0.replacingOccurrences(of: #""alpha":8"#, with: #""alpha":1e39"#) },
                       prefix + "alpha is inf, must be a positive number")
        XCTAssertEqual(try loadWithEditedConfig { $0.replacingOccurrences(of: #""rank":4"#, with: #""rank":2147483648"#) },
                       prefix + "rank is 2147483648, must be in 1...16384")
        XCTAssertEqual(try loadWithEditedConfig { $0.replacingOccurrences(of: "}", with: ",}") },
                       prefix + "not valid JSON (line 1, column 56: trailing comma before })")
        // Within the limits but not what the tensors hold: refused before the adapter is built.
        XCTAssertEqual(try loadWithEditedConfig { $0.replacingOccurrences(of: #""rank":4"#, with: #""rank":16384"#) },
                       "tensor transformer.h.0.attn.c_attn.lora_A.q has shape [16, 4], but its lora_config (rank 16384 on q, v) calls for [16, 16384]")
    }

    func testNonFiniteAdapterWeightsAreRefused() throws {
        let model = ModelFixtures.model(ModelFixtures.little)
        let adapter = trainedAdapter(for: model)
        adapter.parameters[1].data[2] = .infinity
        let url = ModelFixtures.temporaryDirectory("lora-nan").appendingPathComponent("adapter.safetensors")
        try adapter.save(to: url)
        XCTAssertThrowsError(try LoRAAdapter.load(from: url, for: model.config)) { error in
            XCTAssertEqual("\(error)", "\(url.path): tensor transformer.h.0.attn.c_attn.lora_B.q holds inf at element 2 (weights must be finite numbers)")
        }
    }

    /// The model shape the file records must be the model's: the message says so plainly.
    func testAnAdapterForAnotherModelSaysSo() throws {
        let model = ModelFixtures.model(ModelFixtures.little)
        let url = ModelFixtures.temporaryDirectory("lora-other").appendingPathComponent("adapter.safetensors")
        try trainedAdapter(for: model).save(to: url)
        let wider = GPTConfig(vocabularySize: 37, contextLength: 24, layerCount: 2, headCount: 4, modelWidth: 32)
        XCTAssertThrowsError(try LoRAAdapter.load(from: url, for: wider)) { error in
            XCTAssertEqual("\(error)", #"\#(url.path): header entry "__metadata__" says n_embd "16", but the model has n_embd 32: the adapter was made for another model"#)
        }
    }

    /// The same adapter saved twice gives the same bytes, and its config's JSON has sorted
    /// keys (without them the order followed per-process hashing, so two runs of chapter 02
    /// with one seed wrote different files).
    func testSavesAreByteIdenticalWithSortedConfigKeys() throws {
        let model = ModelFixtures.model(ModelFixtures.little)
        let adapter = trainedAdapter(for: model, targets: [.query, .value, .mlpInput])
        let directory = ModelFixtures.temporaryDirectory("lora-bytes")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("1.safetensors"), second = directory.appendingPathComponent("2.safetensors")
        try adapter.save(to: first)
        try adapter.save(to: second)
        XCTAssertEqual(try Data(contentsOf: first), try Data(contentsOf: second))
        XCTAssertEqual(try SafeTensors.read(from: first).metadata["lora_config"],
                       #"{"alpha":8,"dropout":0.05,"rank":4,"targets":["q","v","mlp.c_fc"]}"#)
    }
}
