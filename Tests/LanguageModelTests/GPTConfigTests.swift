import Foundation
import XCTest
import TensorCore
@testable import LanguageModel

final class GPTConfigTests: XCTestCase {
    func testParameterCountOfSmall() {
        // V = 512, T = 128, d = 128, L = 4.
        //   wte 512*128 = 65,536        wpe 128*128 = 16,384        ln_f 2*128 = 256
        //   per block: 12 d^2 + 13 d = 12*16,384 + 13*128 = 196,608 + 1,664 = 198,272
        //   4 blocks: 793,088
        //   total: 65,536 + 16,384 + 793,088 + 256 = 875,264  (0.88M)
        XCTAssertEqual(GPTConfig.small.parameterCount, 875_264)
        XCTAssertEqual(GPTConfig.small.headWidth, 32)
    }

    func testParameterCountOfMedium() {
        // V = 2048, T = 256, d = 384, L = 6.
        //   wte 2048*384 = 786,432      wpe 256*384 = 98,304        ln_f 2*384 = 768
        //   per block: 12*147,456 + 13*384 = 1,769,472 + 4,992 = 1,774,464
        //   6 blocks: 10,646,784
        //   total: 786,432 + 98,304 + 10,646,784 + 768 = 11,532,288  (11.5M)
        XCTAssertEqual(GPTConfig.medium.parameterCount, 11_532_288)
        XCTAssertEqual(GPTConfig.medium.headWidth, 64)
    }

    func testParameterCountSumsTheGPT2Tensors() {
        // The closed form against the list of GPT-2's tensors, for an odd little config.
        let c = GPTConfig(vocabularySize: 11, contextLength: 5, layerCount: 2, headCount: 2, modelWidth: 6)
        let d = 6
        let block = [2 * d, d * 3 * d + 3 * d, d * d + d, 2 * d, d * 4 * d + 4 * d, 4 * d * d + d].reduce(0, +)
        XCTAssertEqual(c.parameterCount, 11 * d + 5 * d + 2 * block + 2 * d)
    }

    func testValidation() {
        XCTAssertNoThrow(try GPTConfig.small.validate())
        XCTAssertNoThrow(try GPTConfig.medium.validate())
        func message(_ config: GPTConfig) -> String {
            do { try config.validate(); return "" } catch { return "\(error)" }
        }
        var c = GPTConfig.small
        c.headCount = 3
        XCTAssertEqual(message(c), "invalid GPT config: n_embd 128 is not divisible by n_head 3")
        c = .small
        c.layerCount = 0
        XCTAssertEqual(message(c), "invalid GPT config: n_layer is 0, must be positive")
        c = .small
        c.endOfTextTokenId = 512
        XCTAssertEqual(message(c), "invalid GPT config: eos_token_id 512 is outside the vocabulary 0..<512")
    }

    func testJSONUsesHuggingFaceKeys() throws {
        let data = try JSONEncoder().encode(GPTConfig.medium)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["architectures"] as? [String], ["GPT2LMHeadModel"])
        XCTAssertEqual(object["model_type"] as? String, "gpt2")
        XCTAssertEqual(object["vocab_size"] as? Int, 2048)
        XCTAssertEqual(object["n_positions"] as? Int, 256)
        XCTAssertEqual(object["n_ctx"] as? Int, 256)
        XCTAssertEqual(object["n_embd"] as? Int, 384)
        XCTAssertEqual(object["n_layer"] as? Int, 6)
        XCTAssertEqual(object["n_head"] as? Int, 6)
        XCTAssertTrue(object["n_inner"] is NSNull)
        XCTAssertEqual(object["activation_function"] as? String, "gelu_new")
        XCTAssertEqual(object["layer_norm_epsilon"] as? Double, 1e-5)
        XCTAssertEqual(object["initializer_range"] as? Double, 0.02)
        XCTAssertEqual(object["resid_pdrop"] as? Double, 0)
        XCTAssertEqual(object["bos_token_id"] as? Int, 2047)
        XCTAssertEqual(object["eos_token_id"] as? Int, 2047)
        XCTAssertEqual(object["tie_word_embeddings"] as? Bool, true)
    }

    func testSaveLoadRoundTrip() throws {
        let url = try temporaryDirectory().appendingPathComponent("config.json")
        let config = GPTConfig(vocabularySize: 1000, contextLength: 64, layerCount: 3, headCount: 4, modelWidth: 96,
                               layerNormEpsilon: 1e-6, initializerRange: 0.01, endOfTextTokenId: 999)
        try config.save(to: url)
        XCTAssertEqual(try GPTConfig.load(from: url), config)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains("\"layer_norm_epsilon\" : 1e-06"), text)
    }

    func testLoadsAMinimalHuggingFaceConfig() throws {
        let url = try temporaryDirectory().appendingPathComponent("config.json")
        try Data(#"{"vocab_size": 50257, "n_positions": 1024, "n_embd": 768, "n_layer": 12, "n_head": 12, "eos_token_id": 50256}"#.utf8)
            .write(to: url)
        let config = try GPTConfig.load(from: url)
        XCTAssertEqual(config.parameterCount, 124_439_808, "GPT-2 small, the famous 124M")
        XCTAssertEqual(config.layerNormEpsilon, 1e-5)
    }

    func testBadFilesNameTheFileAndProblem() throws {
        let directory = try temporaryDirectory()
        let url = directory.appendingPathComponent("config.json")
        func expectError(_ json: String, _ fragment: String, line: UInt = #line) throws {
            try Data(json.utf8).write(to: url)
            XCTAssertThrowsError(try GPTConfig.load(from: url), line: line) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix(url.path + ": "), message, line: line)
                XCTAssertTrue(message.contains(fragment), "\(message) should say \(fragment)", line: line)
            }
        }
        try expectError("{", "not valid JSON")
        try expectError(#"{"vocab_size": 10}"#, "missing key \"n_embd\"")
        try expectError(#"{"vocab_size": 10, "n_positions": 8, "n_embd": "wide", "n_layer": 1, "n_head": 1}"#,
                        "\"n_embd\" is \"wide\", not an integer")
        try expectError(#"{"vocab_size": 10, "n_positions": 8, "n_embd": 10, "n_layer": 1, "n_head": 3}"#,
                        "n_embd 10 is not divisible by n_head 3")
        try expectError(#"{"vocab_size": 10, "n_positions": 8, "n_embd": 12, "n_layer": 1, "n_head": 3, "activation_function": "relu"}"#,
                        "activation_function is \"relu\"")
        try expectError(#"{"model_type": "llama"}"#, "model_type is \"llama\"")
        try FileManager.default.removeItem(at: url)
        XCTAssertThrowsError(try GPTConfig.load(from: url)) { error in
            XCTAssertTrue("\(error)".contains("config.json: cannot read"), "\(error)")
        }
        var invalid = GPTConfig.small
        invalid.headCount = 5
        XCTAssertThrowsError(try invalid.save(to: url)) { error in
            XCTAssertTrue("\(error)".contains("not written: n_embd 128 is not divisible by n_head 5"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }

    /// Sizes beyond the limits are refused by config.json's own check, before any model is
    /// built: 2^31 (which made allocation fail), 2^62 (which overflowed element counts),
    /// 10^5 layers and 10^6 widths (which took minutes), and 2^63 (not an Int at all).
    func testImpossibleSizesAreRefusedNamingConfigJSON() throws {
        let url = try temporaryDirectory().appendingPathComponent("config.json")
        /// A valid little config with `key` set to `value`, as written in the file.
        func config(_ key: String, _ value: String) -> String {
            var fields = ["vocab_size": "300", "n_positions": "16", "n_embd": "8", "n_layer": "1", "n_head": "2"]
            fields[key] = value
            return "{" + fields.keys.sorted().map { "\"\($0)\": \(fields[$0]!)" }.joined(separator: ", ") + "}"
        }
        let cases: [(String, String, String)] = [
            ("vocab_size", "2147483648", "vocab_size is 2147483648, more than the 1048576 this course accepts"),
            ("n_positions", "2147483648", "n_positions is 2147483648, more than the 1048576 this course accepts"),
            ("n_embd", "2147483648", "n_embd is 2147483648, more than the 16384 this course accepts"),
            ("n_layer", "2147483648", "n_layer is 2147483648, more than the 1024 this course accepts"),
            ("n_layer", "100000", "n_layer is 100000, more than the 1024 this course accepts"),
            ("n_embd", "1000000", "n_embd is 1000000, more than the 16384 this course accepts"),
            ("n_embd", "4611686018427387904", "n_embd is 4611686018427387904, more than the 16384 this course accepts"),
            ("vocab_size", "9223372036854775808", "\"vocab_size\" is 9.223372036854776e+18, not an integer"),
            ("n_head", "-1", "n_head is -1, must be positive"),
        ]
        for (key, value, expected) in cases {
            try Data(config(key, value).utf8).write(to: url)
            XCTAssertThrowsError(try GPTConfig.load(from: url)) { error in
                XCTAssertEqual("\(error)", "\(url.path): \(expected)")
            }
        }
        // Fields only transformers uses are checked too.
        for (key, value, expected) in [("resid_pdrop", "1.5", "resid_pdrop is 1.5, must be in [0, 1]"),
                                       ("n_ctx", "17", "n_ctx is 17 but n_positions is 16; the two must agree"),
                                       ("bos_token_id", "300", "bos_token_id 300 is outside the vocabulary 0..<300")] {
            try Data(config(key, value).utf8).write(to: url)
            XCTAssertThrowsError(try GPTConfig.load(from: url)) { error in
                XCTAssertEqual("\(error)", "\(url.path): \(expected)")
            }
        }
        try Data(config("n_layer", "1024").utf8).write(to: url)
        XCTAssertEqual(try GPTConfig.load(from: url).layerCount, 1024, "the limits themselves are allowed")
    }

    /// Foundation's JSON readers accept a trailing comma and a repeated key; config.json may not.
    func testConfigJSONMustBeStrictJSON() throws {
        let url = try temporaryDirectory().appendingPathComponent("config.json")
        try Data("{\n  \"vocab_size\": 300,\n  \"n_positions\": 16,\n  \"n_embd\": 8,\n  \"n_layer\": 1,\n  \"n_head\": 2,\n}\n".utf8).write(to: url)
        XCTAssertThrowsError(try GPTConfig.load(from: url)) { error in
            XCTAssertEqual("\(error)", "\(url.path): not valid JSON (line 7, column 1: trailing comma before })")
        }
        try Data(#"{"vocab_size": 300, "n_positions": 16, "n_embd": 8, "n_layer": 1, "n_head": 2, "n_embd": 16}"#.utf8).write(to: url)
        XCTAssertThrowsError(try GPTConfig.load(from: url)) { error in
            XCTAssertTrue("\(error)".hasSuffix("the key \"n_embd\" appears twice in one object)"), "\(error)")
        }
        // CRLF line ends are JSON whitespace.
        try Data("{\r\n\"vocab_size\": 300, \"n_positions\": 16,\r\n\"n_embd\": 8, \"n_layer\": 1, \"n_head\": 2}\r\n".utf8).write(to: url)
        XCTAssertEqual(try GPTConfig.load(from: url).modelWidth, 8)
    }

    /// A LayerNorm epsilon that a Float cannot hold (it becomes 0 or infinity) is refused.
    func testFloatsMustFitAFloat() {
        var config = GPTConfig.small
        config.layerNormEpsilon = 1e-50
        XCTAssertThrowsError(try config.validate())
        config.layerNormEpsilon = 1e39
        XCTAssertThrowsError(try config.validate())
        config.layerNormEpsilon = 1e-5
        XCTAssertNoThrow(try config.validate())
    }

    /// The list of weights a config calls for is exactly what the model builds.
    func testWeightShapesAreTheModelsParameters() {
        for config in [GPTConfig(vocabularySize: 11, contextLength: 5, layerCount: 3, headCount: 2, modelWidth: 6), GPTConfig.small] {
            var rng = RandomGenerator(seed: 1)
            let model = GPT(config: config, rng: &rng)
            XCTAssertEqual(config.weightShapes, model.parameters.map { SafeTensors.TensorSpec($0.name, $0.shape) })
            XCTAssertEqual(config.weightShapes.map { $0.shape.reduce(1, *) }.reduce(0, +), config.parameterCount)
        }
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gptconfig-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
