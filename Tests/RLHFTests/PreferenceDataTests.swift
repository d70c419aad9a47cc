import Foundation
import XCTest
@testable import RLHF

final class PreferenceDataTests: XCTestCase {
    func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-pref-\(UUID().uuidString)-\(name)")
    }

    let pair = PreferencePair(prompt: "Why is the sky blue?", chosen: "Light \"bounces\".\nSee?", rejected: "Rayleigh — scattering",
                              strength: .significant, margin: 1, annotator: "Ada", split: .train,
                              chosenGold: 6.25, rejectedGold: 3.1)

    /// The line is one JSON object with the keys in the documented order; text is escaped,
    /// whole numbers have no decimals, gold scores keep 4 decimals.
    func testJSONLineHasFixedKeysAndEscapes() {
        XCTAssertEqual(PreferenceData.jsonLine(pair),
                       #"{"prompt":"Why is the sky blue?","chosen":"Light \"bounces\".\nSee?","rejected":"Rayleigh — scattering","#
                       + #""label":"significantly better","margin":1,"annotator":"Ada","split":"train","chosen_gold":6.25,"rejected_gold":3.1}"#)
        var noGold = pair
        noGold.chosenGold = nil
        noGold.rejectedGold = nil
        noGold.margin = 1.0 / 3
        noGold.split = .heldOut
        XCTAssertTrue(PreferenceData.jsonLine(noGold).hasSuffix(#""margin":0.3333,"annotator":"Ada","split":"held-out"}"#))
    }

    func testSaveAndLoadRoundTrip() throws {
        var second = pair
        second.strength = .slight
        second.margin = 0.3333
        second.split = .heldOut
        second.chosenGold = nil
        second.rejectedGold = nil
        let url = temporaryFile("round.jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try PreferenceData.save([pair, second], to: url)
        XCTAssertEqual(try PreferenceData.load(from: url), [pair, second])
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").count, 2, "one pair per line")
    }

    /// Each bad line is reported as file:line: problem, on one line.
    func testBadLinesNameTheFileAndLine() throws {
        let good = PreferenceData.jsonLine(pair)
        let cases: [(String, String)] = [
            ("not json", "not valid JSON (column 1: expected a JSON value, found 'n')"),
            ("[1, 2]", "the line is a list, not a JSON object"),
            (good.replacingOccurrences(of: #""chosen":"Light \"bounces\".\nSee?","#, with: ""), "missing key \"chosen\""),
            (good.replacingOccurrences(of: "significantly better", with: "much better"),
             "\"label\" is \"much better\", expected \"slightly better\" or \"significantly better\""),
            (good.replacingOccurrences(of: #""margin":1"#, with: #""margin":-1"#), "\"margin\" is -1.0, must be ≥ 0"),
            (good.replacingOccurrences(of: #""margin":1"#, with: #""margin":"big""#), "\"margin\" is \"big\", not a number"),
            (good.replacingOccurrences(of: #""split":"train""#, with: #""split":"test""#),
             "\"split\" is \"test\", expected \"train\" or \"held-out\""),
            (good.replacingOccurrences(of: #""annotator":"Ada""#, with: #""annotator":3"#), "\"annotator\" is 3, not a string"),
        ]
        for (line, problem) in cases {
            let url = temporaryFile("bad.jsonl")
            defer { try? FileManager.default.removeItem(at: url) }
            try (good + "\n\n" + line + "\n").write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try PreferenceData.load(from: url)) { error in
                XCTAssertEqual("\(error)", "\(url.path):3: \(problem)")
            }
        }
    }

    func testMissingAndEmptyFiles() throws {
        let missing = temporaryFile("missing.jsonl")
        XCTAssertThrowsError(try PreferenceData.load(from: missing)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(missing.path): cannot read the file"))
            XCTAssertFalse("\(error)".contains("\n"))
        }
        let empty = temporaryFile("empty.jsonl")
        defer { try? FileManager.default.removeItem(at: empty) }
        try "\n".write(to: empty, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PreferenceData.load(from: empty)) { error in
            XCTAssertEqual("\(error)", "\(empty.path): holds no preference pairs")
        }
    }

    /// A file with Windows line ends reads as the same pairs (it used to fail on line 1).
    func testCRLFFilesLoad() throws {
        let url = temporaryFile("crlf.jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        var second = pair
        second.prompt = "Line\u{2028}separator inside a string"
        let text = [pair, second].map(PreferenceData.jsonLine).joined(separator: "\r\n") + "\r\n\r\n"
        try Data(text.utf8).write(to: url)
        XCTAssertEqual(try PreferenceData.load(from: url), [pair, second])
    }

    /// Values a pair cannot have: refused with file:line, on load and on save.
    func testImpossibleValuesAreRefusedWithTheLine() throws {
        let good = PreferenceData.jsonLine(pair)
        let twice = good.replacingOccurrences(of: #""split":"train""#, with: #""split":"train","split":"held-out""#)
        let secondKey = twice.distance(from: twice.startIndex, to: twice.range(of: #""split":"held-out""#)!.lowerBound) + 1
        let cases: [(String, String)] = [
            (good.replacingOccurrences(of: #""margin":1"#, with: #""margin":1e39"#),
             "\"margin\" is 1e+39, not a finite number a Float can hold"),
            (good.replacingOccurrences(of: #""margin":1"#, with: #""margin":1e400"#), "\"margin\" is inf, not a finite number a Float can hold"),
            (good.replacingOccurrences(of: #""prompt":"Why is the sky blue?""#, with: #""prompt":"""#), "\"prompt\" is empty"),
            (good.replacingOccurrences(of: #""prompt":"Why is the sky blue?""#, with: #""prompt":" \n ""#), "\"prompt\" is empty"),
            (good.replacingOccurrences(of: #""annotator":"Ada""#, with: #""annotator":"""#), "\"annotator\" is empty"),
            (good.replacingOccurrences(of: #""chosen_gold":6.25"#, with: #""chosen_gold":1e999"#), "\"chosen_gold\" is inf, not a finite number"),
            (good.replacingOccurrences(of: "}", with: ",}"), "not valid JSON (column \(good.count + 1): trailing comma before })"),
            (twice, "not valid JSON (column \(secondKey): the key \"split\" appears twice in one object)"),
        ]
        for (line, problem) in cases {
            let url = temporaryFile("bad.jsonl")
            defer { try? FileManager.default.removeItem(at: url) }
            try Data((good + "\r\n" + line + "\r\n").utf8).write(to: url)
            XCTAssertThrowsError(try PreferenceData.load(from: url)) { error in
                XCTAssertEqual("\(error)", "\(url.path):2: \(problem)")
            }
        }
        var empty = pair
        empty.annotator = ""
        let url = temporaryFile("refused.jsonl")
        XCTAssertThrowsError(try PreferenceData.save([pair, empty], to: url)) { error in
            XCTAssertEqual("\(error)", "\(url.path):2: not written: \"annotator\" is empty")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }

    /// Odd but possible pairs (a policy can answer nothing, or the same twice) load, and
    /// are flagged with file:line.
    func testOddPairsAreFlaggedWithTheLine() throws {
        var same = pair
        same.rejected = same.chosen
        var silent = pair
        silent.rejected = ""
        let url = temporaryFile("odd.jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try PreferenceData.save([pair, same, silent], to: url)
        let contents = try PreferenceData.read(from: url)
        XCTAssertEqual(contents.pairs, [pair, same, silent])
        XCTAssertEqual(contents.warnings.map(\.description), [
            "\(url.path):2: \"chosen\" and \"rejected\" are the same response",
            "\(url.path):3: \"rejected\" is empty",
        ])
    }
}
