import Foundation
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
    /// line: `preferences.jsonl:17: "margin" must be a number ≥ 0`.
    public struct FileError: Error, LocalizedError, CustomStringConvertible, Equatable {
        public let file: String
        /// 1-based line number, or nil when the problem is the file as a whole.
        public let line: Int?
        public let problem: String

        public var description: String { line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)" }
        public var errorDescription: String? { description }
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
    public static func save(_ pairs: [PreferencePair], to url: URL) throws {
        let text = pairs.map(jsonLine).joined(separator: "\n") + (pairs.isEmpty ? "" : "\n")
        do {
            try AtomicFile.write(text, to: url)
        } catch {
            throw FileError(file: url.path, line: nil, problem: "cannot write the file (\(error.localizedDescription))")
        }
    }

    /// Reads a file written by `save(_:to:)`. Blank lines are skipped; anything else that
    /// is not a valid pair stops the reading with a `FileError` naming the line.
    public static func load(from url: URL) throws -> [PreferencePair] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FileError(file: url.path, line: nil, problem: "cannot read the file (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FileError(file: url.path, line: nil, problem: "is not UTF-8 text")
        }
        var pairs: [PreferencePair] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                pairs.append(try pair(fromJSONLine: String(line)))
            } catch let problem as LineProblem {
                throw FileError(file: url.path, line: index + 1, problem: problem.text)
            }
        }
        guard !pairs.isEmpty else { throw FileError(file: url.path, line: nil, problem: "holds no preference pairs") }
        return pairs
    }

    /// What is wrong with one line.
    struct LineProblem: Error {
        let text: String
    }

    /// One JSON value of a pair's object, as far as a pair cares.
    enum FieldValue: Decodable {
        case text(String), number(Double), other

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            // JSONDecoder keeps true/false apart from numbers, which JSONSerialization does not.
            if let string = try? container.decode(String.self) {
                self = .text(string)
            } else if (try? container.decode(Bool.self)) == nil, let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .other
            }
        }
    }

    /// Parses one line; throws a `LineProblem` saying which field is missing or wrong.
    static func pair(fromJSONLine line: String) throws -> PreferencePair {
        guard let object = try? JSONDecoder().decode([String: FieldValue].self, from: Data(line.utf8)) else {
            throw LineProblem(text: "is not a JSON object")
        }
        func text(_ key: String) throws -> String {
            guard let value = object[key] else { throw LineProblem(text: "missing \"\(key)\"") }
            guard case .text(let string) = value else { throw LineProblem(text: "\"\(key)\" must be a string") }
            return string
        }
        func number(_ key: String, required: Bool) throws -> Double? {
            guard let value = object[key] else {
                if required { throw LineProblem(text: "missing \"\(key)\"") }
                return nil
            }
            guard case .number(let number) = value, number.isFinite else {
                throw LineProblem(text: "\"\(key)\" must be a finite number")
            }
            return number
        }
        let label = try text("label")
        guard let strength = PreferenceStrength(rawValue: label) else {
            let allowed = PreferenceStrength.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
            throw LineProblem(text: "\"label\" is \"\(label)\", expected \(allowed)")
        }
        let splitName = try text("split")
        guard let split = PreferencePair.Split(rawValue: splitName) else {
            throw LineProblem(text: "\"split\" is \"\(splitName)\", expected \"train\" or \"held-out\"")
        }
        let margin = try number("margin", required: true)!
        guard margin >= 0 else { throw LineProblem(text: "\"margin\" is \(margin), must be ≥ 0") }
        return PreferencePair(prompt: try text("prompt"), chosen: try text("chosen"), rejected: try text("rejected"),
                              strength: strength, margin: Float(margin), annotator: try text("annotator"), split: split,
                              chosenGold: try number("chosen_gold", required: false),
                              rejectedGold: try number("rejected_gold", required: false))
    }

    /// A finite number in JSON, to 4 decimals (gold scores and margins need no more).
    static func number(_ value: Double) -> String {
        precondition(value.isFinite, "PreferenceData: cannot write \(value) as JSON")
        let rounded = (value * 10_000).rounded() / 10_000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
