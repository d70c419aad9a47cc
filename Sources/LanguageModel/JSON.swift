import Foundation

/// A JSON value as the course's loaders read it: every JSON file and JSON metadata string
/// the course reads (config.json, vocab.json, safetensors headers, preference lines) goes
/// through `JSONValue.parse`, which accepts JSON as RFC 8259 defines it and nothing more.
///
/// Foundation's readers are more lenient than the format, in ways that turn a damaged file
/// into a silently different one: on Linux both `JSONSerialization` and `JSONDecoder`
/// accept a trailing comma (`{"n_embd": 16,}`), they disagree about a key given twice (the
/// first reads the last value, the second the first), every number reads back as a `Bool`
/// too, and a number out of range is reported as "not valid JSON". Here a key given twice
/// is an error, integers are kept apart from other numbers (so `2^63` or `1.5` is never
/// taken for a size), and every error says where it is.
public enum JSONValue: Equatable, Sendable {
    /// An object; its keys are distinct (a repeated key is a syntax error).
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    /// A number written without fraction or exponent that fits in an `Int`.
    case integer(Int)
    /// Any other number, as the nearest Double (infinite when beyond Double's range).
    case number(Double)
    case bool(Bool)
    case null

    /// The deepest nesting accepted: far beyond any file the course reads, and shallow
    /// enough that the recursive parser cannot run out of stack on `[[[[...`.
    public static let maximumDepth = 512

    /// Parses UTF-8 JSON text (an optional byte-order mark first is skipped).
    public static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: [UInt8](data))
        return try parser.document()
    }

    /// Parses JSON held in a string (a safetensors metadata value, one line of a JSONL file).
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(Data(text.utf8))
    }

    /// The value, shortened and on one line, for error messages: `"wide"`, `1e+40`, `an object`.
    public var summary: String {
        switch self {
        case .object: return "an object"
        case .array: return "a list"
        case .string(let text): return (text.count > 40 ? String(text.prefix(40)) + "..." : text).jsonQuoted
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .bool(let value): return String(value)
        case .null: return "null"
        }
    }
}

/// Where JSON text stops being JSON, and why: `line 3, column 1: trailing comma before }`.
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let problem: String
    public var description: String { "line \(line), column \(column): \(problem)" }
}

/// The fields of one JSON object, read with messages that name the key: what every loader
/// of a JSON object (config.json, a LoRA config, a preference pair) reports when a field is
/// missing or of the wrong kind.
public struct JSONFields {
    public let object: [String: JSONValue]

    /// A field that is missing or not of the kind asked for.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) {
            self.description = description
        }
    }

    /// `value`, which must be an object; `what` names it in the message ("the config").
    public init(_ value: JSONValue, what: String) throws(Problem) {
        guard case .object(let object) = value else {
            throw Problem(description: "\(what) is \(value.summary), not a JSON object")
        }
        self.object = object
    }

    private func required(_ key: String) throws(Problem) -> JSONValue {
        guard let value = object[key] else { throw Problem(description: "missing key \(key.jsonQuoted)") }
        return value
    }

    private func wrongKind(_ key: String, _ value: JSONValue, _ expected: String) -> Problem {
        Problem(description: "\(key.jsonQuoted) is \(value.summary), not \(expected)")
    }

    /// The value of `key` unless it is absent or null (as Hugging Face writes unset options).
    private func optional(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    public func integer(_ key: String) throws(Problem) -> Int {
        let value = try required(key)
        guard case .integer(let integer) = value else { throw wrongKind(key, value, "an integer") }
        return integer
    }

    public func optionalInteger(_ key: String) throws(Problem) -> Int? {
        guard let value = optional(key) else { return nil }
        guard case .integer(let integer) = value else { throw wrongKind(key, value, "an integer") }
        return integer
    }

    /// A number (an integer is a number too); infinite if the file writes one beyond Double's range.
    public func number(_ key: String) throws(Problem) -> Double {
        let value = try required(key)
        return try number(key, value)
    }

    public func optionalNumber(_ key: String) throws(Problem) -> Double? {
        guard let value = optional(key) else { return nil }
        return try number(key, value)
    }

    private func number(_ key: String, _ value: JSONValue) throws(Problem) -> Double {
        switch value {
        case .integer(let integer): return Double(integer)
        case .number(let number): return number
        default: throw wrongKind(key, value, "a number")
        }
    }

    public func string(_ key: String) throws(Problem) -> String {
        let value = try required(key)
        guard case .string(let text) = value else { throw wrongKind(key, value, "a string") }
        return text
    }

    public func optionalString(_ key: String) throws(Problem) -> String? {
        guard let value = optional(key) else { return nil }
        guard case .string(let text) = value else { throw wrongKind(key, value, "a string") }
        return text
    }

    public func optionalBool(_ key: String) throws(Problem) -> Bool? {
        guard let value = optional(key) else { return nil }
        guard case .bool(let flag) = value else { throw wrongKind(key, value, "true or false") }
        return flag
    }

    public func strings(_ key: String) throws(Problem) -> [String] {
        let value = try required(key)
        guard case .array(let elements) = value else { throw wrongKind(key, value, "a list of strings") }
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw wrongKind(key, value, "a list of strings") }
            result.append(text)
        }
        return result
    }
}

/// A recursive-descent parser for RFC 8259 JSON over UTF-8 bytes.
struct JSONParser {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func document() throws(JSONSyntaxError) -> JSONValue {
        try checkUTF8()
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        skipWhitespace()
        guard position < bytes.count else { throw error("no JSON value in the text") }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected \(here) after the JSON value") }
        return value
    }

    /// Invalid UTF-8 anywhere is an error at its first byte; after this check, the bytes of
    /// a string can be decoded without replacement characters creeping in.
    private mutating func checkUTF8() throws(JSONSyntaxError) {
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch decoder.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return
            case .error:
                position = offset
                throw error("the text is not valid UTF-8")
            }
        }
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// The byte at the current position, for messages: `'x'`, `byte 0x07`, `the end of the text`.
    private var here: String {
        guard let byte = peek else { return "the end of the text" }
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return byte >= 0x80 ? "'\(String(decoding: bytes[position...].prefix(4), as: UTF8.self).prefix(1))'"
            : "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// An error at the current position, with its line and column (columns count
    /// characters, not bytes).
    private func error(_ problem: String) -> JSONSyntaxError {
        let end = min(position, bytes.count)
        var line = 1, column = 1
        for byte in bytes[..<end] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONSyntaxError(line: line, column: column, problem: problem)
    }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < JSONValue.maximumDepth else { throw error("nested more than \(JSONValue.maximumDepth) levels deep") }
        guard let byte = peek else { throw error("expected a JSON value, found the end of the text") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        default: throw error("expected a JSON value, found \(here)")
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes[position...].starts(with: expected) else { throw error("expected a JSON value, found \(here)") }
        position += expected.count
        return value
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else {
                throw error(peek == UInt8(ascii: "}") && !members.isEmpty ? "trailing comma before }"
                                                                          : "expected a \"key\" string, found \(here)")
            }
            let keyStart = position
            let key = try parseString()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw error("expected : after the key \(key.jsonQuoted), found \(here)") }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            if members.updateValue(value, forKey: key) != nil {
                position = keyStart
                throw error("the key \(key.jsonQuoted) appears twice in one object")
            }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default: throw error("expected , or } after the value of \(key.jsonQuoted), found \(here)")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if peek == UInt8(ascii: "]") { throw error("trailing comma before ]") }
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default: throw error("expected , or ] in a list, found \(here)")
            }
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position
        position += 1
        var buffer: [UInt8] = []
        while true {
            guard let byte = peek else {
                position = start
                throw error("a string that is never closed")
            }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                buffer.append(contentsOf: try parseEscape())
            case 0..<0x20:
                throw error("a control character (byte 0x\(String(byte, radix: 16, uppercase: true))) inside a string")
            default:
                buffer.append(byte)
                position += 1
            }
        }
    }

    /// The UTF-8 bytes of one escape, the backslash already read.
    private mutating func parseEscape() throws(JSONSyntaxError) -> [UInt8] {
        guard let byte = peek else { throw error("a string that is never closed") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return [byte]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "u"):
            var code = try parseHexUnit()
            if (0xD800..<0xDC00).contains(code) {
                // A high surrogate must be followed by a low one: together one scalar.
                guard bytes[position...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                    throw error("an unpaired surrogate \\u\(String(code, radix: 16, uppercase: true)) in a string")
                }
                position += 2
                let low = try parseHexUnit()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw error("an unpaired surrogate \\u\(String(code, radix: 16, uppercase: true)) in a string")
                }
                code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(code) {
                throw error("an unpaired surrogate \\u\(String(code, radix: 16, uppercase: true)) in a string")
            }
            return Array(String(Unicode.Scalar(code)!).utf8)
        default:
            position -= 2
            throw error("an unknown escape in a string (JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
        }
    }

    private mutating func parseHexUnit() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count,
              let value = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16),
              bytes[position..<(position + 4)].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
        else { throw error("\\u must be followed by four hex digits") }
        position += 4
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        if peek == UInt8(ascii: "-") { position += 1 }
        guard isDigit(peek) else { throw error("expected a digit, found \(here)") }
        if peek == UInt8(ascii: "0") {
            position += 1
            if isDigit(peek) { throw error("a number with a leading zero") }
        } else {
            while isDigit(peek) { position += 1 }
        }
        var isInteger = true
        if peek == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard isDigit(peek) else { throw error("expected a digit after the decimal point, found \(here)") }
            while isDigit(peek) { position += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard isDigit(peek) else { throw error("expected a digit in the exponent, found \(here)") }
            while isDigit(peek) { position += 1 }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let value = Int(text) { return .integer(value) }
        return .number(Double(text) ?? (text.hasPrefix("-") ? -.infinity : .infinity))
    }
}

extension String {
    /// The string as a JSON string literal: quoted, with `"`, `\` and control characters
    /// escaped. Used where the course writes JSON by hand to fix the key order.
    public var jsonQuoted: String {
        var result = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

extension JSONEncoder {
    /// The encoder for every JSON the course writes with `Codable` (config.json, the LoRA
    /// and GPT configs inside safetensors metadata): keys sorted, so that the same value
    /// always gives the same bytes. Without it the key order follows Swift's hashing,
    /// which is seeded per process, and two runs with the same seed write different files.
    public static func sortingKeys(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        return encoder
    }
}
