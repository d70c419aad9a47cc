import Foundation
import LanguageModel
import TensorCore

/// How strongly a person preferred the chosen response: the two decisive strengths of the
/// five-option comparison form ("about the same" never makes a pair; see `PreferencePair`).
public enum PreferenceStrength: String, Sendable, CaseIterable, Hashable {
    case slight = "slightly better"
    case significant = "significantly better"
}

/// One human comparison, oriented: for `prompt`, a person preferred `chosen` over
/// `rejected`. This is the unit of the preference data set that the reward model
/// (chapter 04) and DPO (chapter 08) learn from.
///
/// In the JSON-lines file each pair is one object:
///
///     {"prompt": "...", "chosen": "...", "rejected": "...", "label": "slightly better",
///      "margin": 0.33, "annotator": "Bo", "split": "train", "chosen_gold": 6.2, "rejected_gold": 5.1}
///
/// `label` is the strength of the preference for `chosen`; `margin` is the margin m of the
/// reward model's loss −log σ(r_c − r_r − m) that this label was trained with; the gold
/// scores are the hidden judge's, kept for analysis only (nothing trains on them).
public struct PreferencePair: Equatable, Sendable {
    /// Which part of the data set a pair belongs to. Held-out pairs come from prompts that
    /// no training pair uses, so they measure generalization to new prompts.
    public enum Split: String, Sendable, CaseIterable {
        case train
        case heldOut = "held-out"
    }

    public var prompt: String
    public var chosen: String
    public var rejected: String
    public var strength: PreferenceStrength
    /// m ≥ 0 in −log σ(r_c − r_r − m): larger for clearer preferences (Llama 2).
    public var margin: Float
    /// Who labelled the pair.
    public var annotator: String
    public var split: Split
    /// The gold judge's scores of the two responses, when known.
    public var chosenGold: Double?
    public var rejectedGold: Double?

    public init(prompt: String, chosen: String, rejected: String, strength: PreferenceStrength, margin: Float = 0,
                annotator: String, split: Split = .train, chosenGold: Double? = nil, rejectedGold: Double? = nil) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.strength = strength
        self.margin = margin
        self.annotator = annotator
        self.split = split
        self.chosenGold = chosenGold
        self.rejectedGold = rejectedGold
    }
}

/// Reading and writing preference pairs as JSON lines: one pair per line, so a file can
/// be inspected with `head`, appended to, and read by any language.
public enum PreferenceData {
    /// The file name later chapters look for in `runs/04-reward-model/`.
    public static let fileName = "preferences.jsonl"

    /// A problem with a preference file, with the file and (when it is about one pair) the
    /// line: `preferences.jsonl:17: "margin" is -1.0, must be ≥ 0`. Thrown when it stops the
    /// reading; returned as a warning (`Contents.warnings`) when the pair is still usable.
    public struct FileError: Error, LocalizedError, CustomStringConvertible, Equatable {
        public let file: String
        /// 1-based line number, or nil when the problem is the file as a whole.
        public let line: Int?
        public let problem: String

        public var description: String { (line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)").singleLine }
        public var errorDescription: String? { description }
    }

    /// What a preference file holds: its pairs, and the lines that are valid but odd.
    public struct Contents: Equatable {
        public let pairs: [PreferencePair]
        /// One per odd pair, with its line: an empty response, or chosen == rejected.
        public let warnings: [FileError]
    }

    /// Why `pair` cannot be part of a data set, or nil: an empty prompt or annotator name
    /// (the world always gives both, so an empty one is a damaged file), a margin that is
    /// negative or not finite, or a gold score that is not finite.
    static func refusal(of pair: PreferencePair) -> String? {
        if pair.prompt.allSatisfy(\.isWhitespace) { return "\"prompt\" is empty" }
        if pair.annotator.allSatisfy(\.isWhitespace) { return "\"annotator\" is empty" }
        guard pair.margin.isFinite else { return "\"margin\" is \(pair.margin), not a finite number" }
        guard pair.margin >= 0 else { return "\"margin\" is \(pair.margin), must be ≥ 0" }
        for (key, gold) in [("chosen_gold", pair.chosenGold), ("rejected_gold", pair.rejectedGold)] {
            if let gold, !gold.isFinite { return "\"\(key)\" is \(gold), not a finite number" }
        }
        return nil
    }

    /// What is odd about a pair that is still usable. Both can come from real sampling (a
    /// policy may answer nothing, or give the same answer twice), so they are flagged, not
    /// refused; neither teaches a reward model anything (r_c − r_r is 0 whatever the weights
    /// for chosen == rejected).
    static func oddities(of pair: PreferencePair) -> [String] {
        var result: [String] = []
        if pair.chosen.isEmpty { result.append("\"chosen\" is empty") }
        if pair.rejected.isEmpty { result.append("\"rejected\" is empty") }
        if pair.chosen == pair.rejected { result.append("\"chosen\" and \"rejected\" are the same response") }
        return result
    }

    /// The JSON object of one pair, on one line, keys in a fixed order.
    public static func jsonLine(_ pair: PreferencePair) -> String {
        var fields = [
            "\"prompt\":" + pair.prompt.jsonQuoted,
            "\"chosen\":" + pair.chosen.jsonQuoted,
            "\"rejected\":" + pair.rejected.jsonQuoted,
            "\"label\":" + pair.strength.rawValue.jsonQuoted,
            "\"margin\":" + number(Double(pair.margin)),
            "\"annotator\":" + pair.annotator.jsonQuoted,
            "\"split\":" + pair.split.rawValue.jsonQuoted,
        ]
        if let gold = pair.chosenGold { fields.append("\"chosen_gold\":" + number(gold)) }
        if let gold = pair.rejectedGold { fields.append("\"rejected_gold\":" + number(gold)) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Writes the pairs to `url`, one per line, atomically (temporary file, then rename).
    /// A pair that `load` would refuse is not written: the error names the line it would
    /// have had.
    public static func save(_ pairs: [PreferencePair], to url: URL) throws {
        for (index, pair) in pairs.enumerated() {
            if let problem = refusal(of: pair) {
                throw FileError(file: url.path, line: index + 1, problem: "not written: \(problem)")
            }
        }
        let text = pairs.map(jsonLine).joined(separator: "\n") + (pairs.isEmpty ? "" : "\n")
        do {
            try AtomicFile.write(text, to: url)
        } catch {
            throw FileError(file: url.path, line: nil, problem: "cannot write the file (\(error.localizedDescription))")
        }
    }

    /// Reads a file written by `save(_:to:)`; lines may end with LF or CRLF. Blank lines are
    /// skipped; anything else that is not a valid pair stops the reading with a `FileError`
    /// naming the line, and odd but valid pairs come back as warnings.
    public static func read(from url: URL) throws -> Contents {
        let data: Data
        do {
            data = try FileBytes.read(url)
        } catch {
            throw FileError(file: url.path, line: nil, problem: "cannot read the file (\(error.reason))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FileError(file: url.path, line: nil, problem: "is not UTF-8 text")
        }
        var pairs: [PreferencePair] = [], warnings: [FileError] = []
        for (index, line) in text.fileLines.enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            let pair: PreferencePair
            do {
                pair = try self.pair(fromJSONLine: String(line))
            } catch {
                throw FileError(file: url.path, line: index + 1, problem: error.description)
            }
            if let problem = refusal(of: pair) { throw FileError(file: url.path, line: index + 1, problem: problem) }
            warnings += oddities(of: pair).map { FileError(file: url.path, line: index + 1, problem: $0) }
            pairs.append(pair)
        }
        guard !pairs.isEmpty else { throw FileError(file: url.path, line: nil, problem: "holds no preference pairs") }
        return Contents(pairs: pairs, warnings: warnings)
    }

    /// The pairs of a file (see `read(from:)`, which also returns the warnings).
    public static func load(from url: URL) throws -> [PreferencePair] {
        try read(from: url).pairs
    }

    /// Parses one line; throws saying which field is missing or wrong.
    static func pair(fromJSONLine line: String) throws(JSONFields.Problem) -> PreferencePair {
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch {
            throw JSONFields.Problem(description: "not valid JSON (column \(error.column): \(error.problem))")
        }
        let fields = try JSONFields(value, what: "the line")
        func refuse(_ problem: String) -> JSONFields.Problem { JSONFields.Problem(description: problem) }
        let label = try fields.string("label")
        guard let strength = PreferenceStrength(rawValue: label) else {
            let allowed = PreferenceStrength.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
            throw refuse("\"label\" is \(label.jsonQuoted), expected \(allowed)")
        }
        let splitName = try fields.string("split")
        guard let split = PreferencePair.Split(rawValue: splitName) else {
            throw refuse("\"split\" is \(splitName.jsonQuoted), expected \"train\" or \"held-out\"")
        }
        // The margin is trained with as a Float: 1e39 is finite as a Double but not as a Float.
        let margin = try fields.number("margin")
        guard Float(margin).isFinite else { throw refuse("\"margin\" is \(margin), not a finite number a Float can hold") }
        return PreferencePair(prompt: try fields.string("prompt"), chosen: try fields.string("chosen"),
                              rejected: try fields.string("rejected"), strength: strength, margin: Float(margin),
                              annotator: try fields.string("annotator"), split: split,
                              chosenGold: try fields.optionalNumber("chosen_gold"),
                              rejectedGold: try fields.optionalNumber("rejected_gold"))
    }

    /// A finite number in JSON, to 4 decimals (gold scores and margins need no more).
    static func number(_ value: Double) -> String {
        precondition(value.isFinite, "PreferenceData: cannot write \(value) as JSON")
        let rounded = (value * 10_000).rounded() / 10_000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
