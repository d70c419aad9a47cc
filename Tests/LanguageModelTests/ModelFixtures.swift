import Foundation
import XCTest
import TensorCore
@testable import LanguageModel

/// Small models and helpers shared by the model tests.
enum ModelFixtures {
    /// V 11, T 5, one block, d 8, two heads: small enough to check every gradient.
    static let tiny = GPTConfig(vocabularySize: 11, contextLength: 5, layerCount: 1, headCount: 2, modelWidth: 8)
    /// V 37, T 24, two blocks, d 16, four heads: for cache, padding and LoRA tests.
    static let little = GPTConfig(vocabularySize: 37, contextLength: 24, layerCount: 2, headCount: 4, modelWidth: 16)

    /// A model whose weights are far from GPT-2's tiny initialization (σ 0.3, gains near 1,
    /// nonzero biases), so that attention patterns and LayerNorm are not nearly uniform
    /// and mistakes show up as large differences.
    static func model(_ config: GPTConfig, seed: UInt64 = 1) -> GPT {
        var rng = RandomGenerator(seed: seed)
        let model = GPT(config: config, rng: &rng)
        for p in model.parameters {
            let isGain = p.name.hasSuffix("ln_1.weight") || p.name.hasSuffix("ln_2.weight") || p.name.hasSuffix("ln_f.weight")
            for i in 0..<p.count {
                p.data[i] = (isGain ? 1 : 0) + Float(rng.normal()) * (isGain ? 0.1 : 0.3)
            }
        }
        return model
    }

    static func randomRows(lengths: [Int], vocabulary: Int, seed: UInt64) -> [[Int]] {
        var rng = RandomGenerator(seed: seed)
        return lengths.map { n in (0..<n).map { _ in rng.int(below: vocabulary) } }
    }

    /// log-softmax of one row of logits, in Double.
    static func logSoftmax(_ row: ArraySlice<Float>) -> [Double] {
        let m = Double(row.max()!)
        let lse = m + Foundation.log(row.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) })
        return row.map { Double($0) - lse }
    }

    static func assertClose(_ a: [Float], _ b: [Float], tolerance: Float, _ message: String = "",
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, "\(message): sizes differ", file: file, line: line)
        var worst: Float = 0, at = 0
        for i in 0..<min(a.count, b.count) where Swift.abs(a[i] - b[i]) > worst { worst = Swift.abs(a[i] - b[i]); at = i }
        XCTAssertLessThanOrEqual(worst, tolerance, "\(message): element \(at): \(a.isEmpty ? 0 : a[at]) vs \(b.isEmpty ? 0 : b[at])",
                                 file: file, line: line)
    }

    static func temporaryDirectory(_ label: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gpt-tests-\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
