import Foundation
import XCTest
import TensorCore
@testable import LanguageModel

final class TokenizerTests: XCTestCase {
    /// A small mixed corpus: English with contractions, numbers, punctuation, accents,
    /// CJK and emoji, repeated with variations so that merges have something to learn.
    static let corpus: [String] = (0..<40).map { i in
        "The cat's toy fell. It didn't break! \(i) + \(i * 7 % 100) = \(i + i * 7 % 100).\n"
            + "Café déjà vu, naïve résumé; 東京は大きい都市です。 Emoji: 🙂🚀 and 👩‍👩‍👧.\n"
            + "  Indented line\twith a tab, and   three spaces before this.\n"
    }

    static let trained = BytePairTokenizer.train(texts: corpus, vocabularySize: 350)

    func testHandWorkedMerges() {
        // "aaabdaaabac" is one chunk. Pair counts: aa 4, ab 2, others 1.
        //  1. a a   (4 times)          -> 256 "aa":    [256 a b d 256 a b a c]
        //  2. a b and 256 a tie at 2; the smaller pair (97, 98) wins -> 257 "ab":
        //                                               [256 257 d 256 257 a c]
        //  3. 256 257 (2 times)        -> 258 "aaab":   [258 d 258 a c]
        //  4. all pairs once; the smallest is (97, 99) "ac" -> 259: [258 d 258 259]
        //  5. smallest of (258,100) (100,258) (258,259) is (100, 258) -> 260 "daaab"
        let tokenizer = BytePairTokenizer.train(texts: ["aaabdaaabac"], vocabularySize: 256 + 5 + 1)
        let a = 97, b = 98, c = 99, d = 100
        XCTAssertEqual(tokenizer.merges, [
            .init(left: a, right: a), .init(left: a, right: b), .init(left: 256, right: 257),
            .init(left: a, right: c), .init(left: d, right: 258),
        ])
        XCTAssertEqual(tokenizer.vocabularySize, 262)
        XCTAssertEqual(tokenizer.endOfText, 261)
        XCTAssertEqual(tokenizer.encode("aaabdaaabac"), [258, 260, 259])
        XCTAssertEqual(tokenizer.token(260), Array("daaab".utf8))
        XCTAssertEqual(tokenizer.encode("aab"), [256, b])
    }

    func testMergesNeverCrossChunks() {
        // Chunks: "ab", " ab", " ab". Pair (b, space) never appears inside a chunk.
        let tokenizer = BytePairTokenizer.train(texts: ["ab ab ab"], vocabularySize: 256 + 10 + 1)
        XCTAssertEqual(tokenizer.merges, [.init(left: 97, right: 98), .init(left: 32, right: 256)])
        XCTAssertEqual(tokenizer.vocabularySize, 259, "training stops when no pairs are left")
        XCTAssertEqual(tokenizer.encode("ab ab"), [256, 257])
    }

    /// The chunks `forEachChunk` cuts `text` into.
    static func chunks(_ text: String) -> [String] {
        var pieces: [String] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            BytePairTokenizer.forEachChunk(in: buffer) { range in
                pieces.append(String(decoding: bytes[range], as: UTF8.self))
            }
        }
        return pieces
    }

    /// The matches of a regular expression, written with `\s` meaning Unicode White_Space
    /// (as in Hugging Face's Oniguruma; ICU's own `\s` leaves out U+000B and U+0085).
    static func regexChunks(_ text: String, pattern: String) -> [String] {
        let icu = pattern.replacingOccurrences(of: #"[^\s"#, with: #"[^\p{White_Space}"#)
            .replacingOccurrences(of: #"\S"#, with: #"\P{White_Space}"#)
            .replacingOccurrences(of: #"\s"#, with: #"\p{White_Space}"#)
        let regex = try! NSRegularExpression(pattern: icu)
        let string = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: string.length)).map { string.substring(with: $0.range) }
    }

    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    func testChunkRule() {
        let chunks = Self.chunks
        XCTAssertEqual(chunks("Hello, world! It's 42."),
                       ["Hello", ",", " world", "!", " It", "'s", " ", "4", "2", "."])
        XCTAssertEqual(chunks("a  b\n\nc"), ["a", " ", " b", "\n", "\n", "c"])
        XCTAssertEqual(chunks("User: hi\n\nAssistant:"), ["User", ":", " hi", "\n", "\n", "Assistant", ":"])
        XCTAssertEqual(chunks("a\r\nb"), ["a", "\r", "\n", "b"])
        XCTAssertEqual(chunks("x   "), ["x", "   "])
        XCTAssertEqual(chunks("x \t y"), ["x", " \t", " y"])
        XCTAssertEqual(chunks("café naïve"), ["café", " naïve"])
        XCTAssertEqual(chunks("cafe\u{301} ok"), ["cafe", "\u{301}", " ok"], "a combining mark is not a letter")
        XCTAssertEqual(chunks("東京 🙂🚀"), ["東京", " 🙂🚀"])
        XCTAssertEqual(chunks("THEY'LL they'll"), ["THEY", "'", "LL", " they", "'ll"])
        let long = String(repeating: "-", count: 150)
        XCTAssertEqual(chunks(long), [long], "no length cap: runs stay whole, as in GPT-2")
    }

    /// Strings that exercise every branch of the pattern: spaces, newlines (LF, CRLF),
    /// tabs, vertical tab and NEL, no-break and ideographic spaces, digits and other
    /// numbers, punctuation, contractions in both cases, emoji, combining marks, scripts.
    static let tricky = [
        "Hello, world!", "  leading spaces", "trailing spaces   ", "\n\nAssistant:", "a\r\n\r\nb",
        "tab\tand\t\ttabs", "x \t y", "v\u{0B}tab and\u{85}nel", "no\u{A0}break and\u{3000}wide",
        "It's, they'RE, we've, I'm, you'll, he'd, don't", "IT'S THEY'LL", "'sand' 'tis", "a'b ''s",
        "47 + 38 = 85", "  12 apples", "x2y3", "½ and ٣ and Ⅻ", "3.14159", "café naïve résumé",
        "cafe\u{301} e\u{301}\u{302}x", "東京タワー 🙂🚀 emoji👍🏽", "Привет мир", "مرحبا بالعالم",
        "mixed: Ωmega, λ-calculus, 漢字kana", "--- ... !!! ???", " - x", "a  - b", "end with space ",
        "\n", " ", "  ", "\t\n ", "x\n y", "x \n y", "...\n\n\n...", "\u{2028}line\u{2029}para",
    ]

    func testChunksEqualTheDocumentedRegex() {
        for text in Self.tricky {
            XCTAssertEqual(Self.chunks(text), Self.regexChunks(text, pattern: BytePairTokenizer.chunkPattern),
                           "chunks of \(text.debugDescription)")
        }
        // Random strings from an alphabet of the characters that decide chunk borders.
        let alphabet: [String] = ["a", "Z", "é", "\u{301}", "東", " ", "  ", "\n", "\r\n", "\t", "\u{A0}", "\u{85}",
                                  "\u{0B}", "7", "٣", "½", ",", "!", "'", "'s", "'LL", "'ll", "🙂", "-", "\u{3000}"]
        var rng = RandomGenerator(seed: 11)
        for _ in 0..<400 {
            let text = (0..<rng.int(in: 1...14)).map { _ in rng.pick(alphabet) }.joined()
            XCTAssertEqual(Self.chunks(text), Self.regexChunks(text, pattern: BytePairTokenizer.chunkPattern),
                           "chunks of \(text.debugDescription)")
        }
    }

    func testChunksEqualGPT2sRegexWhereThereAreNoDigits() {
        // The course departs from GPT-2 in the digit rule only.
        for text in Self.tricky where !text.unicodeScalars.contains(where: { $0.properties.numericType != nil }) {
            XCTAssertEqual(Self.chunks(text), Self.regexChunks(text, pattern: Self.gpt2Pattern),
                           "chunks of \(text.debugDescription)")
        }
        XCTAssertNotEqual(Self.chunks("x 47"), Self.regexChunks("x 47", pattern: Self.gpt2Pattern))
    }

    func testRandomBytesRoundTrip() {
        var rng = RandomGenerator(seed: 7)
        let tokenizer = Self.trained
        for length in [0, 1, 2, 3, 17, 100, 1000, 5000] {
            let bytes = (0..<length).map { _ in UInt8(rng.int(below: 256)) }
            let ids = tokenizer.encode(bytes: bytes)
            XCTAssertEqual(tokenizer.decodeBytes(ids), bytes, "length \(length)")
            XCTAssertTrue(ids.allSatisfy { $0 >= 0 && $0 < tokenizer.endOfText })
        }
    }

    func testRandomTextRoundTrip() {
        // Random mixes of characters that stress the chunk rule.
        var rng = RandomGenerator(seed: 11)
        let alphabet: [String] = ["a", "Z", " ", "  ", "\n", "\t", "'", "'s", "7", "é", "e\u{301}", "東",
                                  "🙂", "👩‍👩‍👧", "!", "<|", "|>", "\u{0}", "\r\n", "ß", "٣"]
        let tokenizer = Self.trained
        for _ in 0..<200 {
            let text = (0..<rng.int(in: 0...40)).map { _ in rng.pick(alphabet) }.joined()
            XCTAssertEqual(tokenizer.decode(tokenizer.encode(text)), text)
            XCTAssertEqual(tokenizer.decodeBytes(tokenizer.encode(text)), Array(text.utf8))
        }
    }

    func testMixedScriptRoundTripAndCompression() {
        let tokenizer = Self.trained
        for text in Self.corpus.prefix(3) + ["Ελληνικά, русский, العربية, हिन्दी", ""] {
            XCTAssertEqual(tokenizer.decode(tokenizer.encode(text)), text)
        }
        let text = Self.corpus[0]
        XCTAssertLessThan(tokenizer.encode(text).count, text.utf8.count / 2, "the merges compress trained text")
    }

    func testTrainingIsDeterministic() {
        let again = BytePairTokenizer.train(texts: Self.corpus, vocabularySize: 350)
        XCTAssertEqual(again.merges, Self.trained.merges)
        XCTAssertEqual(again.merges.count, 350 - 256 - 1)
        let reordered = BytePairTokenizer.train(texts: Self.corpus.reversed(), vocabularySize: 350)
        XCTAssertEqual(reordered.merges, Self.trained.merges, "merges depend on counts, not on text order")
    }

    func testNumbersAreSingleDigits() {
        let tokenizer = Self.trained
        let ids = tokenizer.encode("123 + 45")
        XCTAssertEqual(ids.map { tokenizer.decode([$0]) }.filter { $0.first!.isNumber }, ["1", "2", "3", "4", "5"])
    }

    func testSpecialTokens() {
        let tokenizer = BytePairTokenizer.train(texts: Self.corpus, vocabularySize: 300,
                                                specialTokens: ["<|endoftext|>", "<|pad|>"])
        XCTAssertEqual(tokenizer.vocabularySize, 300)
        XCTAssertEqual(tokenizer.endOfText, 298)
        XCTAssertEqual(tokenizer.specialTokenId("<|pad|>"), 299)
        XCTAssertEqual(tokenizer.token(298), Array("<|endoftext|>".utf8))

        let text = "User: hi\n\nAssistant: hello<|endoftext|><|pad|>x<|endoftext"
        let allowed = tokenizer.encode(text, allowingSpecial: true)
        XCTAssertEqual(allowed.filter { $0 >= 298 }, [298, 299])
        XCTAssertEqual(tokenizer.decode(allowed), text)
        let plain = tokenizer.encode(text)
        XCTAssertFalse(plain.contains { $0 >= 298 }, "without permission, special text is ordinary text")
        XCTAssertEqual(tokenizer.decode(plain), text)
        XCTAssertEqual(tokenizer.encode("<|endoftext|>", allowingSpecial: true), [298])
    }

    func testMergesNeverSpellASpecialToken() {
        // "!!" is frequent, but it is also a special token, so it must not become a merge.
        let tokenizer = BytePairTokenizer.train(texts: ["!!!! !!!! !!"], vocabularySize: 270, specialTokens: ["!!"])
        for id in 256..<(256 + tokenizer.merges.count) {
            XCTAssertNotEqual(tokenizer.token(id), Array("!!".utf8))
        }
        // " the" is spelled "Ġthe" in vocab.json, so a special token "Ġthe" forbids it too.
        let spelled = BytePairTokenizer.train(texts: [" the the the"], vocabularySize: 270, specialTokens: ["Ġthe"])
        XCTAssertFalse((256..<(256 + spelled.merges.count)).contains { spelled.token($0) == Array(" the".utf8) })
        // Such a tokenizer works in memory, but its files could not be read back: vocab.json
        // tells special tokens from merged ones by GPT-2's <|name|> spelling.
        XCTAssertThrowsError(try spelled.save(to: try temporaryDirectory())) { error in
            XCTAssertTrue("\(error)".hasSuffix("vocab.json: not written: special token \"Ġthe\" is not spelled <|name|>, as vocab.json's special tokens must be"), "\(error)")
        }
    }

    func testSaveRefusesTwoTokensWithOneSpelling() throws {
        let directory = try temporaryDirectory()
        let tokenizer = BytePairTokenizer(merges: [], specialTokens: ["a"])
        XCTAssertThrowsError(try tokenizer.save(to: directory)) { error in
            XCTAssertTrue("\(error)".hasSuffix("vocab.json: not written: ids 97 and 256 are both spelled \"a\""), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("vocab.json").path))
    }

    func testSaveLoadRoundTrip() throws {
        let directory = try temporaryDirectory()
        let tokenizer = Self.trained
        try tokenizer.save(to: directory)
        let loaded = try BytePairTokenizer.load(from: directory)
        XCTAssertEqual(loaded, tokenizer)
        XCTAssertEqual(loaded.vocabularySize, tokenizer.vocabularySize)
        XCTAssertEqual(loaded.encode(Self.corpus[1]), tokenizer.encode(Self.corpus[1]))

        // GPT-2's spelling: space is "Ġ", newline "Ċ"; merges.txt starts with a version line.
        let vocabulary = try String(contentsOf: directory.appendingPathComponent("vocab.json"), encoding: .utf8)
        XCTAssertTrue(vocabulary.hasPrefix("{\"Ā\": 0, \"ā\": 1"))
        XCTAssertTrue(vocabulary.contains("\"Ġ\": 32"))
        XCTAssertTrue(vocabulary.contains("\"Ċ\": 10"))
        XCTAssertTrue(vocabulary.contains("\"<|endoftext|>\": \(tokenizer.endOfText)"))
        let merges = try String(contentsOf: directory.appendingPathComponent("merges.txt"), encoding: .utf8)
        XCTAssertTrue(merges.hasPrefix("#version: 0.2\n"))
        XCTAssertEqual(merges.split(separator: "\n").count, tokenizer.merges.count + 1)
    }

    func testHuggingFaceFileStatesThePatternVocabularyAndMerges() throws {
        let tokenizer = Self.trained
        let data = try tokenizer.huggingFaceJSON()
        XCTAssertEqual(data, try tokenizer.huggingFaceJSON(), "the same bytes every time")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let model = try XCTUnwrap(object["model"] as? [String: Any])
        let vocabulary = try XCTUnwrap(model["vocab"] as? [String: Int])
        let merges = try XCTUnwrap(model["merges"] as? [String])
        XCTAssertEqual(vocabulary.count + tokenizer.specialTokens.count, tokenizer.vocabularySize)
        XCTAssertEqual(merges.count, tokenizer.merges.count)
        XCTAssertEqual(vocabulary[BytePairTokenizer.fileSpelling(tokenizer.token(256))], 256)
        let added = try XCTUnwrap(object["added_tokens"] as? [[String: Any]])
        XCTAssertEqual(added.first?["content"] as? String, "<|endoftext|>")
        XCTAssertEqual(added.first?["id"] as? Int, tokenizer.endOfText)
        let pre = try XCTUnwrap(object["pre_tokenizer"] as? [String: Any])
        let steps = try XCTUnwrap(pre["pretokenizers"] as? [[String: Any]])
        XCTAssertEqual((steps[0]["pattern"] as? [String: String])?["Regex"], BytePairTokenizer.chunkPattern)
    }

    func testBytesToUnicodeIsGPT2Table() {
        let table = BytePairTokenizer.bytesToUnicode
        XCTAssertEqual(Set(table).count, 256)
        XCTAssertEqual(table[Int(UInt8(ascii: "A"))], "A")
        XCTAssertEqual(table[0], "\u{100}")
        XCTAssertEqual(table[32], "\u{120}")   // Ġ
        XCTAssertEqual(table[127], "\u{121}")  // DEL comes after the 33 bytes 0...32
        XCTAssertEqual(table[173], "\u{143}")  // soft hyphen, the last shifted byte
    }

    func testBadFilesNameTheFileAndProblem() throws {
        let directory = try temporaryDirectory()
        try Self.trained.save(to: directory)
        let vocabularyURL = directory.appendingPathComponent("vocab.json")
        let mergesURL = directory.appendingPathComponent("merges.txt")
        let goodVocabulary = try Data(contentsOf: vocabularyURL)
        let goodMerges = try Data(contentsOf: mergesURL)

        func expectError(_ fragment: String, file: String, line: UInt = #line) {
            XCTAssertThrowsError(try BytePairTokenizer.load(from: directory), line: line) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains(file), "\(message) should name \(file)", line: line)
                XCTAssertTrue(message.contains(fragment), "\(message) should say \(fragment)", line: line)
                XCTAssertFalse(message.contains("\n"), line: line)
            }
        }

        try Data("[1, 2]".utf8).write(to: vocabularyURL)
        expectError("not a JSON object", file: "vocab.json")
        try Data("{\"a\": 0}".utf8).write(to: vocabularyURL)
        expectError("fewer than the 256 bytes", file: "vocab.json")
        try goodVocabulary.write(to: vocabularyURL)

        try Data("#version: 0.2\na b c\n".utf8).write(to: mergesURL)
        expectError("line 2 is not two tokens", file: "merges.txt")
        try Data("#version: 0.2\nq z\n".utf8).write(to: mergesURL)
        expectError("line 2 merges into \"qz\"", file: "merges.txt")
        try FileManager.default.removeItem(at: mergesURL)
        expectError("cannot read", file: "merges.txt")
        try goodMerges.write(to: mergesURL)
        XCTAssertNoThrow(try BytePairTokenizer.load(from: directory))
    }

    /// merges.txt written on Windows (CRLF) reads as the same tokenizer. (Swift reads
    /// "\r\n" as one character, so the whole file used to look like its version line.)
    func testCRLFMergesLoad() throws {
        let directory = try temporaryDirectory()
        try Self.trained.save(to: directory)
        let url = directory.appendingPathComponent("merges.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: url)
        XCTAssertEqual(try BytePairTokenizer.load(from: directory), Self.trained)
        XCTAssertFalse(Self.trained.merges.isEmpty)
    }

    /// merges.txt, vocab.json and the special tokens must agree: a merges.txt cut short, or
    /// empty, leaves merged tokens where the special tokens should be; a renamed
    /// <|endoftext|> leaves none for generation to stop at.
    func testMergesVocabularyAndSpecialTokensMustAgree() throws {
        let directory = try temporaryDirectory()
        let tokenizer = Self.trained
        try tokenizer.save(to: directory)
        let mergesURL = directory.appendingPathComponent("merges.txt")
        let vocabularyURL = directory.appendingPathComponent("vocab.json")
        let lines = try String(contentsOf: mergesURL, encoding: .utf8).split(separator: "\n")
        let cutAt = tokenizer.merges.count - 3
        func expectError(_ expected: String, file url: URL, line: UInt = #line) {
            XCTAssertThrowsError(try BytePairTokenizer.load(from: directory), line: line) { error in
                XCTAssertEqual("\(error)", "\(url.path): \(expected)", line: line)
            }
        }
        try Data((lines.prefix(1 + cutAt).joined(separator: "\n") + "\n").utf8).write(to: mergesURL)
        let leftover = BytePairTokenizer.fileSpelling(tokenizer.token(256 + cutAt))
        expectError("has \(cutAt) merges, but vocab.json's id \(256 + cutAt) after them is \(leftover.jsonQuoted), not a special token <|name|> (is merges.txt cut short?)",
                    file: mergesURL)
        try Data().write(to: mergesURL)
        expectError("has 0 merges, but vocab.json's id 256 after them is \(BytePairTokenizer.fileSpelling(tokenizer.token(256)).jsonQuoted), "
                        + "not a special token <|name|> (is merges.txt cut short?)", file: mergesURL)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: mergesURL)
        XCTAssertEqual(try BytePairTokenizer.load(from: directory), tokenizer)

        let vocabulary = try String(contentsOf: vocabularyURL, encoding: .utf8)
        try Data(vocabulary.replacingOccurrences(of: "<|endoftext|>", with: "<|endoftexd|>").utf8).write(to: vocabularyURL)
        expectError("there is no <|endoftext|> token, which ends every document and response", file: vocabularyURL)
        try Data(vocabulary.replacingOccurrences(of: "<|endoftext|>", with: "endoftext").utf8).write(to: vocabularyURL)
        expectError(#"special token "endoftext" is not spelled <|name|>, as vocab.json's special tokens must be"#, file: vocabularyURL)
        XCTAssertTrue(vocabulary.hasSuffix("}\n"))
        try Data((vocabulary.dropLast(2) + ",}\n").utf8).write(to: vocabularyURL)
        XCTAssertThrowsError(try BytePairTokenizer.load(from: directory)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(vocabularyURL.path): not valid JSON (line 1, column "), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("trailing comma before })"), "\(error)")
        }
        try Data(vocabulary.replacingOccurrences(of: "\"Ġ\": 32", with: "\"Ġ\": 32.0").utf8).write(to: vocabularyURL)
        expectError(#"token "Ġ" has id 32.0, expected an integer in 0..<\#(tokenizer.vocabularySize)"#, file: vocabularyURL)
    }

    /// What load refuses, save refuses too, so the course never writes a tokenizer it
    /// cannot read back.
    func testSaveRefusesSpecialTokensLoadWouldRefuse() throws {
        let directory = try temporaryDirectory()
        XCTAssertThrowsError(try BytePairTokenizer(merges: [], specialTokens: ["<|pad|>"]).save(to: directory)) { error in
            XCTAssertTrue("\(error)".hasSuffix("vocab.json: not written: there is no <|endoftext|> token, which ends every document and response"), "\(error)")
        }
        XCTAssertNoThrow(try BytePairTokenizer(merges: [], specialTokens: ["<|endoftext|>", "<|pad|>"]).save(to: directory))
        XCTAssertEqual(try BytePairTokenizer.load(from: directory).specialTokens, ["<|endoftext|>", "<|pad|>"])
    }

    func testTrainingAndEncodingSpeed() throws {
        // A rough guard against an accidental quadratic: ~1 MB must train and encode in
        // seconds even in a debug build.
        var rng = RandomGenerator(seed: 3)
        let words = ["the", "quantum", "computer", "uses", "qubits", "which", "can", "be", "in", "many",
                     "states", "at", "once", "like", "a", "spinning", "coin", "children", "learn", "numbers"]
        let texts = (0..<2000).map { _ in
            (0..<80).map { _ in rng.pick(words) }.joined(separator: " ") + ". \(rng.int(below: 100)) + \(rng.int(below: 100))\n"
        }
        let start = Date()
        let tokenizer = BytePairTokenizer.train(texts: texts, vocabularySize: 1024)
        let ids = tokenizer.encode(texts.joined())
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
        XCTAssertEqual(tokenizer.decode(ids), texts.joined())
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tokenizer-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
