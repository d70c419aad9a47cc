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
            ("not json", "is not a JSON object"),
            (good.replacingOccurrences(of: #""chosen":"Light \"bounces\".\nSee?","#, with: ""), "missing \"chosen\""),
            (good.replacingOccurrences(of: "significantly better", with: "much better"),
             "\"label\" is \"much better\", expected \"slightly better\" or \"significantly better\""),
            (good.replacingOccurrences(of: #""margin":1"#, with: #""margin":-1"#), "\"margin\" is -1.0, must be ≥ 0"),
            (good.replacingOccurrences(of: #""margin":1"#, with: #""margin":"big""#), "\"margin\" must be a finite number"),
            (good.replacingOccurrences(of: #""split":"train""#, with: #""split":"test""#),
             "\"split\" is \"test\", expected \"train\" or \"held-out\""),
            (good.replacingOccurrences(of: #""annotator":"Ada""#, with: #""annotator":3"#), "\"annotator\" must be a string"),
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
}
