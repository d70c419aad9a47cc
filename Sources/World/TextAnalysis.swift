import Foundation

/// Small text tools shared by the judge, the writers and the tests.
///
/// Words are lowercase runs of letters and digits; apostrophes are dropped ("don't" becomes
/// "dont") and every other character separates words. Sentences end at ".", "!" or "?".
public enum TextAnalysis {
    /// The words of a text, lowercased.
    public static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                current.append(byte + 32)
            case UInt8(ascii: "'"):
                continue
            default:
                if byte >= 0x80 {  // keep non-ASCII letters inside a word
                    current.append(byte)
                } else if !current.isEmpty {
                    result.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { result.append(String(decoding: current, as: UTF8.self)) }
        return result
    }

    /// The sentences of a text, trimmed, each with its closing mark.
    public static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for ch in text {
            current.append(ch)
            if ch == "." || ch == "!" || ch == "?" {
                let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { result.append(trimmed) }
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { result.append(rest) }
        return result
    }

    /// Whether `word` is `stem` or `stem` with a plural ending ("s", "es"), or, when `stem`
    /// ends in "y", with "ies".
    @inline(__always)
    static func word(_ word: String, matches stem: String) -> Bool {
        if word == stem { return true }
        guard word.count > stem.count, word.hasPrefix(stem) else {
            if stem.hasSuffix("y") { return word == stem.dropLast() + "ies" }
            return false
        }
        let ending = word.dropFirst(stem.count)
        return ending == "s" || ending == "es"
    }

    /// Whether the words contain `phrase` (one or more words) as consecutive words, each
    /// allowed a plural ending; a phrase word listed in `stems` matches any word it begins.
    public static func contains(_ phrase: String, in words: [String]) -> Bool {
        let parts = phrase.split(separator: " ").map(String.init)
        guard !parts.isEmpty, words.count >= parts.count else { return false }
        for start in 0...(words.count - parts.count) {
            var all = true
            for (k, part) in parts.enumerated() where !matchesPart(words[start + k], part) {
                all = false
                break
            }
            if all { return true }
        }
        return false
    }

    /// The words of a text with a set of them, to look up many keywords quickly.
    public struct WordIndex {
        public let words: [String]
        let set: Set<String>

        public init(_ words: [String]) {
            self.words = words
            self.set = Set(words)
        }

        /// The same answer as `TextAnalysis.contains(phrase, in: words)`.
        public func contains(_ phrase: String) -> Bool {
            if !phrase.contains(" ") && !TextAnalysis.stems.contains(phrase) {
                if set.contains(phrase) || set.contains(phrase + "s") || set.contains(phrase + "es") { return true }
                return phrase.hasSuffix("y") && set.contains(phrase.dropLast() + "ies")
            }
            return TextAnalysis.contains(phrase, in: words)
        }
    }

    /// A keyword part matches a word exactly (with a plural ending), or as a prefix when the
    /// part is one of the listed stems.
    @inline(__always)
    static func matchesPart(_ word: String, _ part: String) -> Bool {
        if Self.word(word, matches: part) { return true }
        return stems.contains(part) && word.hasPrefix(part)
    }

    /// Keyword stems that match any word they begin: "evaporat" matches "evaporates" and
    /// "evaporation", "magnet" matches "magnetic".
    static let stems: Set<String> = [
        "evaporat", "recycl", "vibrat", "buoyan", "freez", "butterfl", "condens", "digest",
        "refract", "erupt", "melt", "float", "sink", "magnet", "electric", "gravitation", "sort", "salt", "tip",
    ]

    /// The whole numbers written with digits in a text, in order.
    public static func numbers(in text: String) -> [Int] {
        var result: [Int] = []
        var value = 0
        var inNumber = false
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if value < 1_000_000_000 { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
                inNumber = true
            } else if inNumber {
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ".") {
                    // "1,000" or "3.5": keep reading digits only for thousands separators
                    if byte == UInt8(ascii: ".") {
                        result.append(value)
                        value = 0
                        inNumber = false
                    }
                    continue
                }
                result.append(value)
                value = 0
                inNumber = false
            }
        }
        if inNumber { result.append(value) }
        return result
    }
}
