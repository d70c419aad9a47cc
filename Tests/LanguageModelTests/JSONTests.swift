import Foundation
import XCTest
@testable import LanguageModel

final class JSONTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    /// The error for `text`, as "line L, column C: problem".
    private func syntaxError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let value = try JSONValue.parse(text)
            XCTFail("parsed \(value), expected an error", file: file, line: line)
            return ""
        } catch {
            return error.description
        }
    }

    func testParsesEveryKindAndKeepsIntegersApartFromOtherNumbers() throws {
        let value = try parse(#"{"a": [1, -0, 2.0, 1e2, 9223372036854775807, 9223372036854775808], "b": true, "c": null, "d": "x\u00e9\ud83d\ude00\n"}"#)
        XCTAssertEqual(value, .object([
            "a": .array([.integer(1), .integer(0), .number(2), .number(100), .integer(Int.max), .number(0x1p63)]),
            "b": .bool(true), "c": .null, "d": .string("xé😀\n"),
        ]))
        XCTAssertEqual(try parse("1e400"), .number(.infinity), "beyond Double: infinite, for the caller to refuse")
    }

    func testAcceptsAByteOrderMarkAndCRLFWhitespace() throws {
        XCTAssertEqual(try JSONValue.parse(Data([0xEF, 0xBB, 0xBF] + Array("{\"a\":\r\n 1}\r\n".utf8))),
                       .object(["a": .integer(1)]))
    }

    /// What Foundation's readers accept on Linux but JSON does not, each with where it is.
    func testRefusesWhatJSONForbidsWithLineAndColumn() {
        XCTAssertEqual(syntaxError("{\n  \"a\": 1,\n}"), "line 3, column 1: trailing comma before }")
        XCTAssertEqual(syntaxError("[1, 2,]"), "line 1, column 7: trailing comma before ]")
        XCTAssertEqual(syntaxError(#"{"a": 1, "a": 2}"#), "line 1, column 10: the key \"a\" appears twice in one object")
        XCTAssertEqual(syntaxError("{\"n\": 01}"), "line 1, column 8: a number with a leading zero")
        XCTAssertEqual(syntaxError("{\"a\": NaN}"), "line 1, column 7: expected a JSON value, found 'N'")
        XCTAssertEqual(syntaxError("{\"a\": 1} x"), "line 1, column 10: unexpected 'x' after the JSON value")
        XCTAssertEqual(syntaxError("{\"a\": \"tab\there\"}"), "line 1, column 11: a control character (byte 0x9) inside a string")
        XCTAssertEqual(syntaxError(#"["\ud800"]"#), "line 1, column 9: an unpaired surrogate \\uD800 in a string")
        XCTAssertEqual(syntaxError(#"{"a": "\q"}"#), #"line 1, column 8: an unknown escape in a string (JSON knows \" \\ \/ \b \f \n \r \t \uXXXX)"#)
        XCTAssertEqual(syntaxError("{\"a\": \"never closed"), "line 1, column 7: a string that is never closed")
        XCTAssertEqual(syntaxError("{\"a\""), "line 1, column 5: expected : after the key \"a\", found the end of the text")
        XCTAssertEqual(syntaxError(""), "line 1, column 1: no JSON value in the text")
        XCTAssertEqual(syntaxError("é: 1"), "line 1, column 1: expected a JSON value, found 'é'")
    }

    func testInvalidUTF8IsAnErrorAtItsByte() {
        XCTAssertThrowsError(try JSONValue.parse(Data(Array("{\"a\": \"".utf8) + [0xFF] + Array("\"}".utf8)))) { error in
            XCTAssertEqual("\(error)", "line 1, column 8: the text is not valid UTF-8")
        }
    }

    func testDeepNestingIsAnErrorNotAStackOverflow() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertEqual(syntaxError(deep), "line 1, column 513: nested more than 512 levels deep")
        XCTAssertNoThrow(try parse(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)))
    }

    func testFieldsNameTheKeyAndWhatWasFound() throws {
        let fields = try JSONFields(try parse(#"{"n": 3, "x": 1.5, "s": "wide", "big": 9223372036854775808, "none": null}"#), what: "the config")
        XCTAssertEqual(try fields.integer("n"), 3)
        XCTAssertEqual(try fields.number("n"), 3)
        XCTAssertNil(try fields.optionalInteger("none"), "null counts as absent, as Hugging Face writes unset options")
        func problem(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        XCTAssertEqual(problem { try fields.integer("x") }, "\"x\" is 1.5, not an integer")
        XCTAssertEqual(problem { try fields.integer("big") }, "\"big\" is 9.223372036854776e+18, not an integer")
        XCTAssertEqual(problem { try fields.integer("s") }, "\"s\" is \"wide\", not an integer")
        XCTAssertEqual(problem { try fields.string("missing") }, "missing key \"missing\"")
        XCTAssertEqual(problem { try JSONFields(.array([]), what: "the config") }, "the config is a list, not a JSON object")
    }

    /// The course's encoder writes keys in sorted order, so equal values give equal bytes
    /// in every process (JSONEncoder's default order follows per-process hashing).
    func testSortingEncoderSortsKeys() throws {
        struct Keys: Encodable { let zeta = 1, alpha = 2, mu = 3 }
        XCTAssertEqual(String(decoding: try JSONEncoder.sortingKeys().encode(Keys()), as: UTF8.self), #"{"alpha":2,"mu":3,"zeta":1}"#)
    }

    func testSingleLineEscapesLineBreaksAndControlCharacters() {
        XCTAssertEqual("a\nb\r\nc\u{7}d\u{2028}é".singleLine, #"a\nb\r\nc\u{7}d\u{2028}é"#)
        XCTAssertEqual("plain: [1, 2]".singleLine, "plain: [1, 2]")
    }

    func testFileLinesAcceptLFAndCRLF() {
        XCTAssertEqual("a b\r\nc d\r\n".fileLines, ["a b", "c d"])
        XCTAssertEqual("a b\nc d".fileLines, ["a b", "c d"])
        XCTAssertEqual("a\n\nb\n".fileLines, ["a", "", "b"])
        XCTAssertEqual("".fileLines, [""])
    }

    func testReadingADirectoryOrAMissingFileSaysSo() throws {
        let directory = ModelFixtures.temporaryDirectory("bytes")
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertThrowsError(try FileBytes.read(directory)) { error in
            XCTAssertEqual("\(error)", "it is a directory, not a file")
        }
        XCTAssertThrowsError(try FileBytes.read(directory.appendingPathComponent("absent"))) { error in
            XCTAssertEqual("\(error)", "no such file")
        }
    }
}
