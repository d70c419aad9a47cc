/// A byte-level byte-pair-encoding tokenizer in the style of GPT-2 (Radford et al., 2019;
/// BPE itself: Sennrich et al., 2016).
///
/// The vocabulary starts from the 256 possible bytes, so every byte sequence can be
/// written down (there is no "unknown" token). Training then repeatedly glues the most
/// frequent adjacent pair of tokens into a new token; each such step is a *merge*, and
/// the list of merges, in the order they were learned, is the whole tokenizer. Encoding
/// replays the merges on new text; decoding concatenates the bytes of the tokens.
///
/// Ids are laid out as
///
///     0 ..< 256                     the raw bytes (id == byte value)
///     256 ..< 256 + merges.count    merge k makes token 256 + k
///     then                          the special tokens, in the order given
///
/// Text is first cut into *chunks* (see `forEachChunk`), and merges never cross a chunk
/// boundary: a word and the punctuation after it stay separate tokens, so the vocabulary
/// is spent on pieces of words rather than on accidents like "dog." and "dog!".
public struct BytePairTokenizer: Sendable {
    /// One learned merge: the adjacent tokens `left` and `right` become one new token.
    public struct Merge: Hashable, Sendable {
        public var left: Int
        public var right: Int
        public init(left: Int, right: Int) {
            self.left = left
            self.right = right
        }
    }

    /// The merges in the order they were learned; merge k produces token `256 + k`.
    public let merges: [Merge]
    /// Special tokens (for example `<|endoftext|>`), which take the last ids.
    public let specialTokens: [String]

    /// The bytes that each id stands for (special tokens: their UTF-8 text).
    private let tokenBytes: [[UInt8]]
    /// Merge rank by pair: `(left << 32 | right) -> k`. A lower rank was learned earlier
    /// and is applied first.
    private let mergeRanks: [UInt64: Int32]
    let specialIds: [String: Int]

    /// Builds a tokenizer from its merges and special tokens. Merges must only refer to
    /// ids that exist before them; special tokens must be distinct and non-empty.
    public init(merges: [Merge], specialTokens: [String]) {
        var bytes = (0..<256).map { [UInt8($0)] }
        var ranks: [UInt64: Int32] = [:]
        ranks.reserveCapacity(merges.count)
        for (k, merge) in merges.enumerated() {
            let id = 256 + k
            precondition(merge.left >= 0 && merge.left < id && merge.right >= 0 && merge.right < id,
                         "merge \(k) refers to a token that does not exist yet")
            bytes.append(bytes[merge.left] + bytes[merge.right])
            ranks[Self.pairKey(Int32(merge.left), Int32(merge.right))] = Int32(k)
        }
        var specials: [String: Int] = [:]
        for token in specialTokens {
            precondition(!token.isEmpty, "a special token cannot be empty")
            precondition(specials[token] == nil, "special token \(token) is listed twice")
            specials[token] = bytes.count
            bytes.append(Array(token.utf8))
        }
        self.merges = merges
        self.specialTokens = specialTokens
        self.tokenBytes = bytes
        self.mergeRanks = ranks
        self.specialIds = specials
    }

    /// The number of ids: 256 bytes, the merges, and the special tokens.
    public var vocabularySize: Int { tokenBytes.count }

    /// The id of `<|endoftext|>`, which ends every document and every chat response.
    public var endOfText: Int {
        guard let id = specialIds["<|endoftext|>"] else {
            preconditionFailure("this tokenizer has no <|endoftext|> token")
        }
        return id
    }

    /// The id of a special token, or nil if the tokenizer does not have it.
    public func specialTokenId(_ token: String) -> Int? { specialIds[token] }

    /// The bytes that token `id` stands for.
    public func token(_ id: Int) -> [UInt8] {
        precondition(id >= 0 && id < tokenBytes.count, "token id \(id) is outside the vocabulary 0..<\(tokenBytes.count)")
        return tokenBytes[id]
    }

    @inline(__always) static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }
}

// MARK: - Encoding and decoding

extension BytePairTokenizer {
    /// Encodes text; special-token strings in it are treated as ordinary text.
    public func encode(_ text: String) -> [Int] {
        encode(text, allowingSpecial: false)
    }

    /// Encodes text. With `allowingSpecial`, each occurrence of a special token's text
    /// (for example `<|endoftext|>`) becomes that token's id; without it, such text is
    /// encoded byte by byte like any other, so user text can never forge a special token.
    public func encode(_ text: String, allowingSpecial: Bool) -> [Int] {
        var text = text
        return text.withUTF8 { buffer in
            var encoder = ChunkEncoder(tokenizer: self)
            if allowingSpecial && !specialTokens.isEmpty {
                encodeSplittingSpecials(buffer, into: &encoder)
            } else {
                encoder.encode(buffer)
            }
            return encoder.ids
        }
    }

    /// Encodes arbitrary bytes (not necessarily UTF-8) with no special tokens.
    /// `decodeBytes(encode(bytes: b)) == b` for every `b`.
    public func encode(bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBufferPointer { buffer in
            var encoder = ChunkEncoder(tokenizer: self)
            encoder.encode(buffer)
            return encoder.ids
        }
    }

    /// The exact bytes the ids stand for.
    public func decodeBytes(_ ids: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids { bytes.append(contentsOf: token(id)) }
        return bytes
    }

    /// The text the ids stand for. Bytes that are not valid UTF-8 (a sampled token can end
    /// in the middle of a character) become U+FFFD; use `decodeBytes` for the exact bytes.
    public func decode(_ ids: [Int]) -> String {
        String(decoding: decodeBytes(ids), as: UTF8.self)
    }

    /// Cuts the text at each special token (earliest first, the longest one when several
    /// start at the same byte) and encodes the pieces between them as ordinary text.
    private func encodeSplittingSpecials(_ text: UnsafeBufferPointer<UInt8>, into encoder: inout ChunkEncoder) {
        let specials = specialTokens.map { (bytes: Array($0.utf8), id: specialIds[$0]!) }
            .sorted { $0.bytes.count > $1.bytes.count }
        var firstBytes = [Bool](repeating: false, count: 256)
        for special in specials { firstBytes[Int(special.bytes[0])] = true }
        var segmentStart = 0
        var i = 0
        while i < text.count {
            if firstBytes[Int(text[i])],
               let special = specials.first(where: { Self.bytes(text, at: i, match: $0.bytes) }) {
                encoder.encode(UnsafeBufferPointer(rebasing: text[segmentStart..<i]))
                encoder.ids.append(special.id)
                i += special.bytes.count
                segmentStart = i
            } else {
                i += 1
            }
        }
        encoder.encode(UnsafeBufferPointer(rebasing: text[segmentStart..<text.count]))
    }

    private static func bytes(_ text: UnsafeBufferPointer<UInt8>, at start: Int, match pattern: [UInt8]) -> Bool {
        guard start + pattern.count <= text.count else { return false }
        for (offset, byte) in pattern.enumerated() where text[start + offset] != byte { return false }
        return true
    }

    /// Encodes one chunk at a time, remembering the answer for chunks it has seen: natural
    /// text repeats the same few thousand words, so most chunks are a dictionary lookup.
    private struct ChunkEncoder {
        let tokenizer: BytePairTokenizer
        var ids: [Int] = []
        var cache: [ChunkKey: [Int32]] = [:]
        var symbols: [Int32] = []

        init(tokenizer: BytePairTokenizer) { self.tokenizer = tokenizer }

        mutating func encode(_ text: UnsafeBufferPointer<UInt8>) {
            ids.reserveCapacity(ids.count + text.count / 3)
            BytePairTokenizer.forEachChunk(in: text) { range in
                let chunk = UnsafeBufferPointer(rebasing: text[range])
                if chunk.count == 1 {
                    ids.append(Int(chunk[0]))
                    return
                }
                let key = ChunkKey(chunk)
                if let cached = cache[key] {
                    for id in cached { ids.append(Int(id)) }
                    return
                }
                let merged = mergeChunk(chunk)
                cache[key] = merged
                for id in merged { ids.append(Int(id)) }
            }
        }

        /// Replays the merges on one chunk: repeatedly find the adjacent pair with the
        /// lowest merge rank and merge every occurrence of it, until no pair is a merge.
        /// Merges learned later can only involve tokens made earlier, so applying them by
        /// rank gives exactly what training produced.
        mutating func mergeChunk(_ chunk: UnsafeBufferPointer<UInt8>) -> [Int32] {
            symbols.removeAll(keepingCapacity: true)
            for byte in chunk { symbols.append(Int32(byte)) }
            while symbols.count > 1 {
                var bestRank = Int32.max
                var bestPair: UInt64 = 0
                for i in 0..<(symbols.count - 1) {
                    let key = BytePairTokenizer.pairKey(symbols[i], symbols[i + 1])
                    if let rank = tokenizer.mergeRanks[key], rank < bestRank {
                        bestRank = rank
                        bestPair = key
                    }
                }
                if bestRank == .max { break }
                let left = Int32(truncatingIfNeeded: bestPair >> 32)
                let right = Int32(truncatingIfNeeded: bestPair & 0xFFFF_FFFF)
                let merged = 256 + bestRank
                var write = 0
                var read = 0
                while read < symbols.count {
                    if read + 1 < symbols.count && symbols[read] == left && symbols[read + 1] == right {
                        symbols[write] = merged
                        read += 2
                    } else {
                        symbols[write] = symbols[read]
                        read += 1
                    }
                    write += 1
                }
                symbols.removeLast(symbols.count - write)
            }
            return symbols
        }
    }
}

/// The bytes of one chunk as a dictionary key, hashed in one call rather than byte by byte.
struct ChunkKey: Hashable {
    let bytes: [UInt8]

    init(_ chunk: UnsafeBufferPointer<UInt8>) { bytes = Array(chunk) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

extension BytePairTokenizer: Equatable {
    public static func == (a: BytePairTokenizer, b: BytePairTokenizer) -> Bool {
        a.merges == b.merges && a.specialTokens == b.specialTokens
    }
}

// MARK: - Pre-tokenization: cutting text into chunks

extension BytePairTokenizer {
    /// The regular expression that `forEachChunk` implements, in the syntax of Hugging
    /// Face's tokenizers (Oniguruma) and of ICU. It is GPT-2's pre-tokenizer pattern with one
    /// change, the digit rule: GPT-2 has ` ?\p{N}+` where this has `\p{N}`.
    ///
    ///     GPT-2:   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    ///     course:  's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    ///
    /// The course writes this pattern into `tokenizer.json`, so that Hugging Face's
    /// `AutoTokenizer` cuts text exactly as the course does and gives the same ids.
    public static let chunkPattern =
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    /// The character classes that decide where chunks begin and end: `\p{L}` (letters),
    /// `\p{N}` (numbers), `\s` (Unicode White_Space) and everything else.
    enum CharacterClass {
        case letter, digit, whitespace, other
    }

    /// Calls `body` with the byte range of each chunk of `text`, in order; the ranges
    /// tile the text exactly.
    ///
    /// A hand scanner for `chunkPattern`, whose alternatives are tried in order at each
    /// position, as a regular-expression engine does:
    ///
    /// - the English contractions `'s 't 're 've 'm 'll 'd`, lower case only (as in GPT-2):
    ///   "it's" is "it" "'s", while "IT'S" is "IT" "'" "S";
    /// - a run of letters, with an optional single leading space: `" quantum"`. Combining
    ///   marks are not letters (`\p{M}`, not `\p{L}`): a decomposed accent ends its word
    ///   and starts a run of "other" characters, exactly as in GPT-2;
    /// - **every digit is a chunk of its own, with no leading space.** GPT-2 keeps runs of
    ///   digits together, so "1234" might become "12" "34" and "123" "4" depending on what
    ///   the corpus held. Single digits give every number the same spelling everywhere,
    ///   which is what a small model learning arithmetic needs: "47 + 38" is always the
    ///   tokens 4 7 ␣ + ␣ 3 8;
    /// - a run of other characters (punctuation, symbols, emoji, marks), with an optional
    ///   single leading space;
    /// - a run of whitespace. When non-whitespace follows a run of two or more, the run's
    ///   last character, whatever its kind, is left for the next chunk (GPT-2's
    ///   `\s+(?!\S)`): a space then joins the word after it (" the"), while a newline or a
    ///   tab stands alone, so "\n\nAssistant" is "\n" "\n" "Assistant".
    ///
    /// Bytes that are not valid UTF-8 count as single "other" characters, so arbitrary
    /// bytes still tile into chunks.
    static func forEachChunk(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        let n = text.count
        var i = 0
        while i < n {
            let start = i
            if text[i] == UInt8(ascii: "'"), let length = contractionLength(text, at: i) {
                i += length
                body(start..<i)
                continue
            }
            var (kind, length) = characterClass(text, at: i)
            if text[i] == UInt8(ascii: " ") && i + 1 < n {
                let next = characterClass(text, at: i + 1)
                if next.kind == .letter || next.kind == .other {
                    kind = next.kind
                    length = 1 + next.length
                }
            }
            i += length
            switch kind {
            case .digit:
                break
            case .letter, .other:
                i = extendRun(of: kind, in: text, from: i)
            case .whitespace:
                var last = start
                while i < n {
                    let next = characterClass(text, at: i)
                    guard next.kind == .whitespace else { break }
                    last = i
                    i += next.length
                }
                // Followed by non-whitespace: give the run's last character back.
                if i < n && last > start { i = last }
            }
            body(start..<i)
        }
    }

    /// Extends a run of one class from `i` to the first character of another class.
    @inline(__always)
    private static func extendRun(of kind: CharacterClass, in text: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        var end = i
        while end < text.count {
            let next = characterClass(text, at: end)
            if next.kind != kind { break }
            end += next.length
        }
        return end
    }

    /// The length of a contraction (`'s`, `'ll`, ..., lower case) starting at `i`, if any.
    private static func contractionLength(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        func byte(_ j: Int) -> UInt8? { j < text.count ? text[j] : nil }
        switch byte(i + 1) {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return byte(i + 2) == UInt8(ascii: "e") ? 3 : nil
        case UInt8(ascii: "l"):
            return byte(i + 2) == UInt8(ascii: "l") ? 3 : nil
        default:
            return nil
        }
    }

    /// The class and UTF-8 length of the character starting at byte `i`.
    @inline(__always)
    static func characterClass(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> (kind: CharacterClass, length: Int) {
        let byte = text[i]
        if byte < 0x80 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                return (.letter, 1)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return (.digit, 1)
            case 0x20, 0x09...0x0D:
                return (.whitespace, 1)
            default:
                return (.other, 1)
            }
        }
        guard let (scalar, length) = decodeScalar(text, at: i) else { return (.other, 1) }
        let properties = scalar.properties
        if properties.isWhitespace { return (.whitespace, length) }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return (.letter, length)
        case .decimalNumber, .letterNumber, .otherNumber:
            return (.digit, length)
        default:
            return (.other, length)
        }
    }

    /// Decodes the multi-byte UTF-8 scalar at `i`, or nil if the bytes there are not one
    /// (a stray continuation byte, a truncated or overlong sequence, a surrogate).
    private static func decodeScalar(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int)? {
        let lead = text[i]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard i + length <= text.count else { return nil }
        for j in 1..<length {
            let continuation = text[i + j]
            guard continuation & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        let smallest: UInt32 = length == 3 ? 0x800 : (length == 4 ? 0x10000 : 0x80)
        guard value >= smallest, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}
