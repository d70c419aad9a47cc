import Foundation
import TensorCore

/// Saving and loading in GPT-2's own file format, `vocab.json` and `merges.txt`, so that
/// Hugging Face's `GPT2Tokenizer(vocab_file:, merges_file:)` reads what the course writes.
///
/// GPT-2 stores tokens as text, not bytes. To make every byte printable it maps the 256
/// byte values onto 256 visible Unicode characters (`bytesToUnicode`): the printable
/// Latin-1 bytes stand for themselves and the rest (control bytes, space, ...) are
/// shifted up to U+0100 and beyond, which is why a leading space shows up as "Ġ"
/// (U+0120) in GPT-2 vocabularies.
extension BytePairTokenizer {
    /// A tokenizer file that cannot be read or written: which file, and what is wrong.
    public struct FileError: Error, LocalizedError, CustomStringConvertible {
        public let file: String
        public let problem: String
        public var description: String { "\(file): \(problem)".singleLine }
        public var errorDescription: String? { description }
    }

    public static let vocabularyFileName = "vocab.json"
    public static let mergesFileName = "merges.txt"

    /// GPT-2's table from byte value to the character that spells it in the files.
    static let bytesToUnicode: [Character] = {
        var visible = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        var characters = visible
        var shift = 0
        for byte in 0..<256 where !visible.contains(byte) {
            visible.append(byte)
            characters.append(256 + shift)
            shift += 1
        }
        var table = [Character](repeating: " ", count: 256)
        for (byte, code) in zip(visible, characters) {
            table[byte] = Character(Unicode.Scalar(UInt32(code))!)
        }
        return table
    }()

    static let unicodeToBytes: [Character: UInt8] = {
        var inverse: [Character: UInt8] = [:]
        for (byte, character) in bytesToUnicode.enumerated() { inverse[character] = UInt8(byte) }
        return inverse
    }()

    /// The special token every course tokenizer has: it ends every document and every chat
    /// response, and generation stops at it.
    public static let endOfTextToken = "<|endoftext|>"

    /// What is wrong with this list of special tokens for the files, or nil. vocab.json
    /// does not mark which entries are special, and entries left over after a truncated
    /// merges.txt would otherwise pass for special tokens; GPT-2's convention, `<|name|>`,
    /// tells them apart. `<|endoftext|>` must be among them.
    static func specialTokensProblem(_ specialTokens: [String]) -> String? {
        if let odd = specialTokens.first(where: { !($0.count > 4 && $0.hasPrefix("<|") && $0.hasSuffix("|>")) }) {
            return "special token \(odd.jsonQuoted) is not spelled <|name|>, as vocab.json's special tokens must be"
        }
        guard specialTokens.contains(endOfTextToken) else {
            return "there is no \(endOfTextToken) token, which ends every document and response"
        }
        return nil
    }

    /// The file spelling of a token's bytes.
    static func fileSpelling(_ bytes: [UInt8]) -> String {
        String(bytes.map { bytesToUnicode[Int($0)] })
    }

    /// Writes `vocab.json` (token spelling -> id, in id order, special tokens last) and
    /// `merges.txt` (a version line, then one "left right" pair per line in merge order)
    /// into `directory`, creating it if needed. Each file is written atomically.
    public func save(to directory: URL) throws {
        let vocabularyURL = directory.appendingPathComponent(Self.vocabularyFileName)
        let mergesURL = directory.appendingPathComponent(Self.mergesFileName)
        var vocabulary = "{"
        var spelled: [String: Int] = [:]
        for id in 0..<vocabularySize {
            let spelling = id < 256 + merges.count ? Self.fileSpelling(token(id)) : specialTokens[id - 256 - merges.count]
            if let earlier = spelled.updateValue(id, forKey: spelling) {
                throw FileError(file: vocabularyURL.path,
                                problem: "not written: ids \(earlier) and \(id) are both spelled \(spelling.jsonQuoted)")
            }
            vocabulary += (id == 0 ? "" : ", ") + spelling.jsonQuoted + ": \(id)"
        }
        vocabulary += "}\n"
        if let problem = Self.specialTokensProblem(specialTokens) {
            throw FileError(file: vocabularyURL.path, problem: "not written: \(problem)")
        }
        var mergeLines = "#version: 0.2\n"
        for merge in merges {
            mergeLines += Self.fileSpelling(token(merge.left)) + " " + Self.fileSpelling(token(merge.right)) + "\n"
        }
        do {
            try AtomicFile.write(vocabulary, to: vocabularyURL)
        } catch {
            throw FileError(file: vocabularyURL.path, problem: "cannot write (\(error.localizedDescription))")
        }
        do {
            try AtomicFile.write(mergeLines, to: mergesURL)
        } catch {
            throw FileError(file: mergesURL.path, problem: "cannot write (\(error.localizedDescription))")
        }
    }

    /// Reads a tokenizer saved by `save(to:)`. The files must describe this course's id
    /// layout (bytes first with id == byte, then merge k as id 256 + k, then the special
    /// tokens, spelled `<|name|>`, `<|endoftext|>` among them); anything else is reported as
    /// a `FileError` naming the file (and the line of merges.txt). merges.txt may end its
    /// lines with LF or CRLF.
    public static func load(from directory: URL) throws -> BytePairTokenizer {
        let vocabularyURL = directory.appendingPathComponent(vocabularyFileName)
        let mergesURL = directory.appendingPathComponent(mergesFileName)
        let vocabularyFile = vocabularyURL.path
        let mergesFile = mergesURL.path

        // vocab.json: a JSON object from spelling to a distinct id in 0..<count.
        let vocabularyData: Data
        do { vocabularyData = try FileBytes.read(vocabularyURL) } catch {
            throw FileError(file: vocabularyFile, problem: "cannot read (\(error.reason))")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(vocabularyData) } catch {
            throw FileError(file: vocabularyFile, problem: "not valid JSON (\(error))")
        }
        guard case .object(let object) = json else {
            throw FileError(file: vocabularyFile, problem: "not a JSON object of token -> id")
        }
        var spellings = [String?](repeating: nil, count: object.count)
        for (spelling, value) in object {
            guard case .integer(let id) = value, id >= 0, id < object.count else {
                throw FileError(file: vocabularyFile,
                                problem: "token \(spelling.jsonQuoted) has id \(value.summary), expected an integer in 0..<\(object.count)")
            }
            guard spellings[id] == nil else {
                throw FileError(file: vocabularyFile, problem: "id \(id) is given to two tokens")
            }
            spellings[id] = spelling
        }
        guard object.count >= 256 else {
            throw FileError(file: vocabularyFile, problem: "holds \(object.count) tokens, fewer than the 256 bytes")
        }
        for byte in 0..<256 where spellings[byte] != fileSpelling([UInt8(byte)]) {
            throw FileError(file: vocabularyFile,
                            problem: "id \(byte) should be the byte \(byte), spelled \(fileSpelling([UInt8(byte)]).jsonQuoted)")
        }

        // merges.txt: "#version" line, then "left right" per line.
        let mergesData: Data
        do { mergesData = try FileBytes.read(mergesURL) } catch {
            throw FileError(file: mergesFile, problem: "cannot read (\(error.reason))")
        }
        guard let mergesText = String(data: mergesData, encoding: .utf8) else {
            throw FileError(file: mergesFile, problem: "not valid UTF-8")
        }
        var ids: [String: Int] = [:]
        for (id, spelling) in spellings.enumerated() { ids[spelling!] = id }
        var merges: [Merge] = []
        for (index, line) in mergesText.fileLines.enumerated() {
            if line.isEmpty || (index == 0 && line.hasPrefix("#version")) { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            let lineNumber = index + 1
            guard parts.count == 2 else {
                throw FileError(file: mergesFile, problem: "line \(lineNumber) is not two tokens separated by one space")
            }
            let newId = 256 + merges.count
            guard let left = ids[String(parts[0])], let right = ids[String(parts[1])], left < newId, right < newId else {
                throw FileError(file: mergesFile,
                                problem: "line \(lineNumber) uses a token that vocab.json does not define before id \(newId)")
            }
            guard newId < spellings.count, spellings[newId] == String(parts[0]) + String(parts[1]) else {
                throw FileError(file: mergesFile,
                                problem: "line \(lineNumber) merges into \(String(parts[0] + parts[1]).jsonQuoted), but vocab.json gives id \(newId) to a different token")
            }
            merges.append(Merge(left: left, right: right))
        }
        // What follows the merged tokens must be the special tokens. A merges.txt cut short
        // (a full disk, a killed run) leaves merged tokens there instead.
        let specialTokens = spellings[(256 + merges.count)...].map { $0! }
        if let problem = Self.specialTokensProblem(specialTokens) {
            let firstId = 256 + merges.count
            if firstId < spellings.count, isMerge(specialTokens[0], ofTokensBelow: firstId, ids: ids) {
                throw FileError(file: mergesFile,
                                problem: "has \(merges.count) merges, but vocab.json's id \(firstId) after them is \(specialTokens[0].jsonQuoted), "
                                    + "not a special token <|name|> (is merges.txt cut short?)")
            }
            throw FileError(file: vocabularyFile, problem: problem)
        }
        return BytePairTokenizer(merges: merges, specialTokens: specialTokens)
    }

    /// Whether `spelling` is two tokens with ids below `limit` glued together, as every
    /// merged token is: how a vocabulary entry left over after a cut-short merges.txt is
    /// told from a special token that is merely misspelled.
    private static func isMerge(_ spelling: String, ofTokensBelow limit: Int, ids: [String: Int]) -> Bool {
        let scalars = Array(spelling.unicodeScalars)
        return (1..<max(scalars.count, 1)).contains { split in
            var left = String.UnicodeScalarView(), right = String.UnicodeScalarView()
            left.append(contentsOf: scalars[..<split])
            right.append(contentsOf: scalars[split...])
            return (ids[String(left)] ?? limit) < limit && (ids[String(right)] ?? limit) < limit
        }
    }
}
