import Foundation
import XCTest
import LanguageModel
import TensorCore
@testable import RLHF

/// Seeded corruptions of small real files of every kind the chapters write, as a learner's
/// files get them: cut short by a full disk, bits flipped, sizes edited to huge or negative
/// values, weights turned NaN, line ends turned CRLF, fields emptied. Every case must load
/// or fail with one line that names the damaged file; some must do one of the two (CRLF
/// loads, NaN is refused). A crash or a hang fails the whole test run, which is the point.
final class CorruptionTests: XCTestCase {
    enum Outcome: String { case loads, refused, either }

    /// One corrupted version of a file: what was done to it, and what loading must give.
    struct Mutation {
        let family: String
        let expected: Outcome
        let bytes: Data
    }

    /// A file the course reads, the loader that reads it, and the corruptions to try.
    struct Kind {
        let url: URL
        let load: () throws -> Void
        let mutations: (Data, inout RandomGenerator) -> [Mutation]
    }

    /// Loaded and refused counts per kind and family, for the table printed at the end.
    private var tally: [String: [String: (loaded: Int, refused: Int)]] = [:]
    private var violations: [String] = []

    func testEveryCorruptionLoadsOrFailsWithOneLineNamingTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("corruption-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let kinds = try makeFiles(in: directory)
        let rng = RandomGenerator(seed: 2024)
        let start = Date()
        var slowest = 0.0, cases = 0
        for kind in kinds {
            let original = try Data(contentsOf: kind.url)
            XCTAssertNoThrow(try kind.load(), "the unmutated \(kind.url.lastPathComponent) loads")
            var kindRNG = rng.derived(kind.url.lastPathComponent)
            for mutation in kind.mutations(original, &kindRNG) {
                try mutation.bytes.write(to: kind.url)
                let caseStart = Date()
                check(kind, mutation, directory: directory)
                slowest = max(slowest, Date().timeIntervalSince(caseStart))
                cases += 1
            }
            try original.write(to: kind.url)
        }
        let seconds = Date().timeIntervalSince(start)
        printTally(cases: cases, seconds: seconds, slowest: slowest)
        XCTAssertTrue(violations.isEmpty, "\(violations.count) violations:\n" + violations.prefix(30).joined(separator: "\n"))
        XCTAssertGreaterThan(cases, 1500)
        XCTAssertLessThan(slowest, 1, "no single file takes long to refuse")
    }

    /// Loads the mutated file and records what happened, and any broken promise.
    private func check(_ kind: Kind, _ mutation: Mutation, directory: URL) {
        let name = kind.url.lastPathComponent
        let loaded: Bool
        do {
            try kind.load()
            loaded = true
        } catch {
            loaded = false
            let message = "\(error)"
            if message.contains("\n") || message.contains("\r") {
                violations.append("\(name) \(mutation.family): message is not one line: \(message.debugDescription)")
            }
            if !message.hasPrefix(directory.path) || !message.contains(name) {
                violations.append("\(name) \(mutation.family): message does not name \(name): \(message)")
            }
        }
        if (mutation.expected == .loads && !loaded) || (mutation.expected == .refused && loaded) {
            violations.append("\(name) \(mutation.family): expected to be \(mutation.expected.rawValue == "loads" ? "loaded" : "refused"), was not")
        }
        var counts = tally[name, default: [:]][mutation.family, default: (0, 0)]
        if loaded { counts.loaded += 1 } else { counts.refused += 1 }
        tally[name, default: [:]][mutation.family] = counts
    }

    private func printTally(cases: Int, seconds: Double, slowest: Double) {
        print("corruption cases: \(cases) in \(String(format: "%.1f", seconds)) s (slowest \(String(format: "%.3f", slowest)) s)")
        for file in tally.keys.sorted() {
            let families = tally[file]!
            let total = families.values.reduce((0, 0)) { ($0.0 + $1.loaded, $0.1 + $1.refused) }
            print("  \(file): \(total.0 + total.1) cases, \(total.0) loaded, \(total.1) refused")
            for family in families.keys.sorted() {
                let counts = families[family]!
                print("    \(family): \(counts.loaded + counts.refused) cases, \(counts.loaded) loaded, \(counts.refused) refused")
            }
        }
    }

    // MARK: - The files

    /// A tiny pretrained model directory with an adapter, a reward model and a preference
    /// file, written by the library's own save functions; and how each is read.
    private func makeFiles(in directory: URL) throws -> [Kind] {
        let texts = (0..<20).map { "The cat sat on mat \($0). Dogs run fast, and café owls fly!\n" }
        let tokenizer = BytePairTokenizer.train(texts: texts, vocabularySize: 300)
        let config = GPTConfig(vocabularySize: tokenizer.vocabularySize, contextLength: 16, layerCount: 1, headCount: 2,
                               modelWidth: 8, endOfTextTokenId: tokenizer.endOfText)
        var rng = RandomGenerator(seed: 7)
        let llm = PretrainedLLM(tokenizer: tokenizer, model: GPT(config: config, rng: &rng))
        llm.adapter = LoRAAdapter(config: LoRAConfig(rank: 2, alpha: 4, targets: [.query, .value]), for: config, rng: &rng)
        for p in llm.adapter!.parameters { p.data = p.data.map { _ in Float(rng.normal()) * 0.1 } }
        let modelDirectory = directory.appendingPathComponent("model")
        try llm.save(to: modelDirectory)

        let rewardModel = RewardModel(backbone: GPT(config: config, rng: &rng), tokenizer: tokenizer, rng: &rng)
        let rewardURL = directory.appendingPathComponent(RewardModel.fileName)
        try rewardModel.save(to: rewardURL)

        let pairs = (0..<6).map { i in
            PreferencePair(prompt: "Explain topic \(i) to a child", chosen: "It is like a \"ball\".\nFun!", rejected: "Rayleigh — \(i)",
                           strength: i % 2 == 0 ? .slight : .significant, margin: i % 2 == 0 ? 0.5 : 1, annotator: "Ada",
                           split: i < 4 ? .train : .heldOut, chosenGold: 6.25, rejectedGold: 3.5)
        }
        let preferencesURL = directory.appendingPathComponent(PreferenceData.fileName)
        try PreferenceData.save(pairs, to: preferencesURL)

        let loadModel = { _ = try PretrainedLLM.load(from: modelDirectory) }
        func file(_ name: String) -> URL { modelDirectory.appendingPathComponent(name) }
        return [
            Kind(url: file("model.safetensors"), load: loadModel, mutations: Self.safetensorsMutations),
            Kind(url: file("adapter.safetensors"), load: loadModel, mutations: Self.safetensorsMutations),
            Kind(url: rewardURL, load: { _ = try RewardModel.load(from: rewardURL, tokenizer: tokenizer) },
                 mutations: Self.safetensorsMutations),
            Kind(url: file("config.json"), load: loadModel, mutations: { Self.jsonMutations($0, &$1, sizesAlwaysMatter: false) }),
            Kind(url: file("vocab.json"), load: loadModel, mutations: { Self.jsonMutations($0, &$1, sizesAlwaysMatter: true) }),
            Kind(url: file("merges.txt"), load: loadModel, mutations: Self.mergesMutations),
            Kind(url: preferencesURL, load: { _ = try PreferenceData.read(from: preferencesURL) }, mutations: Self.preferenceMutations),
        ]
    }

    // MARK: - Mutations every file gets

    /// Cut at a random length (a full disk, a killed run).
    static func truncations(_ data: Data, _ count: Int, _ rng: inout RandomGenerator, expected: Outcome) -> [Mutation] {
        (0..<count).map { _ in Mutation(family: "truncated", expected: expected, bytes: data.prefix(rng.int(below: data.count))) }
    }

    /// One to three bits flipped at random places (a bad disk, a bad copy).
    static func bitFlips(_ data: Data, _ count: Int, _ rng: inout RandomGenerator) -> [Mutation] {
        (0..<count).map { _ in
            var bytes = [UInt8](data)
            for _ in 0..<rng.int(in: 1...3) { bytes[rng.int(below: bytes.count)] ^= UInt8(1) << UInt8(rng.int(below: 8)) }
            return Mutation(family: "bit flips", expected: .either, bytes: Data(bytes))
        }
    }

    /// Values a damaged or hand-edited size field may hold.
    static let hugeOrNegative = ["0", "-1", "-4611686018427387904", "2147483648", "4611686018427387904", "9223372036854775808",
                                 "100000", "1000000", "1e308", "1.5"]

    /// A random run of digits (a size, an id, an offset, a digit of a float) replaced by a
    /// huge, negative or fractional value.
    static func numberEdits(_ text: String, _ count: Int, _ rng: inout RandomGenerator, expected: Outcome) -> [Mutation] {
        let runs = digitRuns(text)
        return (0..<count).map { _ in
            let run = rng.pick(runs)
            let edited = text.replacingCharacters(in: run, with: rng.pick(hugeOrNegative))
            return Mutation(family: "number set to huge/negative", expected: expected, bytes: Data(edited.utf8))
        }
    }

    static func digitRuns(_ text: String) -> [Range<String.Index>] {
        var runs: [Range<String.Index>] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index].isASCII, text[index].isNumber else {
                index = text.index(after: index)
                continue
            }
            let start = index
            while index < text.endIndex, text[index].isASCII, text[index].isNumber { index = text.index(after: index) }
            runs.append(start..<index)
        }
        return runs
    }

    static func crlf(_ text: String, expected: Outcome = .loads) -> Mutation {
        Mutation(family: "CRLF line ends", expected: expected, bytes: Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    static let emptyFile = Mutation(family: "empty file", expected: .refused, bytes: Data())

    // MARK: - safetensors (model, adapter, reward model)

    static func safetensorsMutations(_ data: Data, _ rng: inout RandomGenerator) -> [Mutation] {
        let headerLength = Int(data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let header = String(decoding: data[8..<(8 + headerLength)], as: UTF8.self)
        let body = data[(8 + headerLength)...]
        /// The file with another header (its length field rewritten to match).
        func withHeader(_ text: String) -> Data {
            var bytes = Data()
            withUnsafeBytes(of: UInt64(text.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            return bytes + Data(text.utf8) + body
        }
        var result = truncations(data, 50, &rng, expected: .refused) + bitFlips(data, 80, &rng) + [emptyFile]
        // The 8-byte header length set to values that do not fit the file.
        for length: UInt64 in [0, 7, UInt64(headerLength - 1), UInt64(headerLength + 8), UInt64(data.count), 1 << 62, 1 << 63, .max] {
            var bytes = data
            withUnsafeBytes(of: length.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            result.append(Mutation(family: "header length set to huge/wrong", expected: .refused, bytes: bytes))
        }
        // A size, offset or config field in the header set to a huge or negative value.
        result += numberEdits(header, 70, &rng, expected: .either).map { mutation in
            Mutation(family: mutation.family, expected: .either, bytes: withHeader(String(decoding: mutation.bytes, as: UTF8.self)))
        }
        // NaN and infinite weights anywhere in the data.
        let floatCount = body.count / 4
        for _ in 0..<40 {
            var bytes = [UInt8](data)
            let offset = 8 + headerLength + 4 * rng.int(below: floatCount)
            let bits = rng.pick([Float.nan.bitPattern, Float.infinity.bitPattern, (-Float.infinity).bitPattern, 0x7FC0_1234])
            withUnsafeBytes(of: bits.littleEndian) { bytes.replaceSubrange(offset..<(offset + 4), with: $0) }
            result.append(Mutation(family: "NaN/inf weight", expected: .refused, bytes: Data(bytes)))
        }
        // Header entries ("name":{"dtype":...,"data_offsets":[b,e]}), to repeat or rename.
        var entries: [Substring] = []
        var searchStart = header.startIndex
        while let dtype = header.range(of: "\":{\"dtype\"", range: searchStart..<header.endIndex) {
            let nameStart = header[..<dtype.lowerBound].lastIndex(of: "\"")!
            let end = header.range(of: "]}", range: dtype.upperBound..<header.endIndex)!.upperBound
            entries.append(header[nameStart..<end])
            searchStart = end
        }
        let afterBrace = header.index(after: header.startIndex)
        func inserting(_ entry: String) -> String {
            var edited = header
            edited.insert(contentsOf: entry + ",", at: afterBrace)
            return edited
        }
        // A second entry for a tensor under its name with an (escaped) line break: the
        // message names it, and must stay on one line.
        for _ in 0..<10 {
            let copy = rng.pick(entries).replacingOccurrences(of: "\":{\"dtype\"", with: "\\nx\\r\":{\"dtype\"")
            result.append(Mutation(family: "line break in a tensor name", expected: .refused, bytes: withHeader(inserting(copy))))
        }
        // Header JSON that Foundation would accept: a trailing comma, a repeated entry.
        let end = header.range(of: "}", options: .backwards)!.lowerBound
        var comma = header
        comma.insert(",", at: end)
        result.append(Mutation(family: "header trailing comma", expected: .refused, bytes: withHeader(comma)))
        result.append(Mutation(family: "header repeated entry", expected: .refused, bytes: withHeader(inserting(String(entries[0])))))
        return result
    }

    // MARK: - JSON text (config.json, vocab.json)

    /// `sizesAlwaysMatter`: every number and string of the file is load-bearing (vocab.json),
    /// so editing one must be refused; in config.json some fields are informational.
    static func jsonMutations(_ data: Data, _ rng: inout RandomGenerator, sizesAlwaysMatter: Bool) -> [Mutation] {
        let text = String(decoding: data, as: UTF8.self)
        let editOutcome: Outcome = sizesAlwaysMatter ? .refused : .either
        var result = truncations(data, 40, &rng, expected: .either) + bitFlips(data, 60, &rng) + [emptyFile, crlf(text)]
        result += numberEdits(text, 70, &rng, expected: editOutcome)
        // A string emptied: a key, a model type, a token's spelling.
        let strings = stringLiterals(text)
        for _ in 0..<30 {
            let edited = text.replacingCharacters(in: rng.pick(strings), with: "\"\"")
            result.append(Mutation(family: "string emptied", expected: editOutcome, bytes: Data(edited.utf8)))
        }
        // What Foundation accepts on Linux but JSON does not.
        let end = text.range(of: "}", options: .backwards)!.lowerBound
        var comma = text
        comma.insert(",", at: end)
        result.append(Mutation(family: "trailing comma", expected: .refused, bytes: Data(comma.utf8)))
        let open = text.index(after: text.firstIndex(of: "{")!)
        let firstMember = text[open...text.firstIndex(of: ",")!]
        var twice = text
        twice.insert(contentsOf: firstMember, at: open)
        result.append(Mutation(family: "repeated key", expected: .refused, bytes: Data(twice.utf8)))
        return result
    }

    /// The ranges of the string literals of JSON text, quotes included.
    static func stringLiterals(_ text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var index = text.startIndex
        while let open = text[index...].firstIndex(of: "\"") {
            var close = text.index(after: open)
            while text[close] != "\"" { close = text.index(after: text[close] == "\\" ? text.index(after: close) : close) }
            ranges.append(open..<text.index(after: close))
            index = text.index(after: close)
        }
        return ranges
    }

    // MARK: - merges.txt

    static func mergesMutations(_ data: Data, _ rng: inout RandomGenerator) -> [Mutation] {
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        func joined(_ lines: [String]) -> Data { Data((lines.joined(separator: "\n") + "\n").utf8) }
        var result = truncations(data, 40, &rng, expected: .either) + bitFlips(data, 60, &rng) + [emptyFile, crlf(text)]
        // Cut at a line boundary: the vocabulary then has merged tokens no merge makes.
        for _ in 0..<30 {
            result.append(Mutation(family: "cut at a line end", expected: .refused, bytes: joined(Array(lines.prefix(rng.int(in: 1...(lines.count - 1)))))))
        }
        for _ in 0..<30 {
            var edited = lines
            edited.remove(at: rng.int(in: 1...(lines.count - 1)))
            result.append(Mutation(family: "line deleted", expected: .refused, bytes: joined(edited)))
        }
        for _ in 0..<30 {
            var edited = lines
            let i = rng.int(in: 1...(lines.count - 2))
            edited.swapAt(i, i + 1)
            result.append(Mutation(family: "lines swapped", expected: .refused, bytes: joined(edited)))
        }
        for _ in 0..<20 {
            var edited = lines
            let i = rng.int(in: 1...(lines.count - 1))
            edited.insert(lines[i], at: i)
            result.append(Mutation(family: "line repeated", expected: .refused, bytes: joined(edited)))
        }
        var blank = lines
        blank.insert("", at: lines.count / 2)
        result.append(Mutation(family: "blank line", expected: .loads, bytes: joined(blank)))
        return result
    }

    // MARK: - preferences.jsonl

    static func preferenceMutations(_ data: Data, _ rng: inout RandomGenerator) -> [Mutation] {
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        func joined(_ lines: [String]) -> Data { Data((lines.joined(separator: "\n") + "\n").utf8) }
        /// The file with line `i` changed by `edit`.
        func editing(_ edit: (String) -> String, line i: Int) -> Data {
            var edited = lines
            edited[i] = edit(lines[i])
            return joined(edited)
        }
        var result = truncations(data, 40, &rng, expected: .either) + bitFlips(data, 60, &rng) + [emptyFile, crlf(text)]
        for _ in 0..<20 {
            result.append(Mutation(family: "cut at a line end", expected: .loads, bytes: joined(Array(lines.prefix(rng.int(in: 1...lines.count))))))
        }
        // A field emptied: a pair with no prompt or annotator is refused; an empty response
        // can be a real sample, so it loads (with a warning).
        for _ in 0..<40 {
            let key = rng.pick(["prompt", "chosen", "rejected", "annotator"])
            let bytes = editing({ line in
                let start = line.range(of: "\"\(key)\":\"")!.upperBound
                let end = line[start...].range(of: "\",\"")!.lowerBound
                return line.replacingCharacters(in: start..<end, with: "")
            }, line: rng.int(below: lines.count))
            result.append(Mutation(family: "field emptied", expected: key == "prompt" || key == "annotator" ? .refused : .loads, bytes: bytes))
        }
        for _ in 0..<10 {
            let bytes = editing({ line in
                let chosen = line.range(of: #""chosen":"#)!.upperBound..<line.range(of: #","rejected":"#)!.lowerBound
                let rejected = line.range(of: #""rejected":"#)!.upperBound..<line.range(of: #","label":"#)!.lowerBound
                return line.replacingCharacters(in: rejected, with: line[chosen])
            }, line: rng.int(below: lines.count))
            result.append(Mutation(family: "chosen == rejected", expected: .loads, bytes: bytes))
        }
        // Margins: finite as a Double but not as a Float, negative, not a number; or fine.
        for _ in 0..<40 {
            let (value, outcome) = rng.pick([("1e39", Outcome.refused), ("-1", .refused), ("1e400", .refused), ("\"big\"", .refused),
                                             ("null", .refused), ("true", .refused), ("0", .loads), ("3.25", .loads)])
            let bytes = editing({ line in
                let start = line.range(of: #""margin":"#)!.upperBound
                let end = line[start...].firstIndex(of: ",")!
                return line.replacingCharacters(in: start..<end, with: value)
            }, line: rng.int(below: lines.count))
            result.append(Mutation(family: "margin edited", expected: outcome, bytes: bytes))
        }
        result += numberEdits(text, 30, &rng, expected: .either)
        for _ in 0..<10 {
            let bytes = editing({ $0.replacingOccurrences(of: "}", with: ",}") }, line: rng.int(below: lines.count))
            result.append(Mutation(family: "trailing comma", expected: .refused, bytes: bytes))
        }
        for _ in 0..<10 {
            let bytes = editing({ $0.replacingOccurrences(of: #""split":"#, with: #""split":"train","split":"#) }, line: rng.int(below: lines.count))
            result.append(Mutation(family: "repeated key", expected: .refused, bytes: bytes))
        }
        for _ in 0..<10 {
            let key = rng.pick(["prompt", "chosen", "rejected", "label", "margin", "annotator", "split"])
            let bytes = editing({ line in
                var object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
                object[key] = nil
                return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            }, line: rng.int(below: lines.count))
            result.append(Mutation(family: "key deleted", expected: .refused, bytes: bytes))
        }
        var blank = lines
        blank.insert("   ", at: 2)
        result.append(Mutation(family: "blank line", expected: .loads, bytes: joined(blank)))
        return result
    }
}
