import Foundation
import TensorCore

/// A setting recorded in `run.json`: a number, a flag or a piece of text.
public enum RunSetting: Equatable, Sendable {
    case number(Double)
    case integer(Int)
    case flag(Bool)
    case text(String)

    var jsonObject: Any {
        switch self {
        case .number(let x): return x.isFinite ? x : String(describing: x)
        case .integer(let n): return n
        case .flag(let b): return b
        case .text(let s): return s
        }
    }
}

/// What `runs/NN-name/run.json` records about a run: the chapter, the command line, the
/// options and seed, when it started and finished, and the chapter's own settings
/// (model size, learning rate, beta, ...), so that every number in `metrics.csv` can be
/// traced back to the run that made it.
///
///     {
///       "arguments" : ["--quick"],
///       "chapter" : "02-supervised-fine-tuning",
///       "options" : { "no_prose" : false, "quick" : true, "seed" : 0, "steps" : null },
///       "seconds" : 14.2,
///       "settings" : { "lora_rank" : 16, "learning_rate" : 0.001 },
///       "started" : "2026-01-05T10:12:03Z",
///       "finished" : "2026-01-05T10:12:17Z",
///       "title" : "Supervised fine-tuning"
///     }
///
/// `finished` and `seconds` are null until the chapter finishes.
public struct RunRecord {
    public var chapter: String
    public var title: String
    public var arguments: [String]
    public var options: ChapterOptions
    public var started: Date
    public var finished: Date?
    public var settings: [String: RunSetting] = [:]

    public init(chapter: String, title: String, arguments: [String], options: ChapterOptions, started: Date) {
        self.chapter = chapter
        self.title = title
        self.arguments = arguments
        self.options = options
        self.started = started
    }

    /// The record as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let formatter = ISO8601DateFormatter()
        var settingsObject: [String: Any] = [:]
        for (name, value) in settings { settingsObject[name] = value.jsonObject }
        let object: [String: Any] = [
            "chapter": chapter,
            "title": title,
            "arguments": arguments,
            "options": [
                "quick": options.quick,
                "seed": options.seed,
                "no_prose": options.noProse,
                "steps": options.steps.map { $0 as Any } ?? NSNull(),
            ] as [String: Any],
            "started": formatter.string(from: started),
            "finished": finished.map { formatter.string(from: $0) as Any } ?? NSNull(),
            "seconds": finished.map { $0.timeIntervalSince(started) as Any } ?? NSNull(),
            "settings": settingsObject,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// Writes the record to `url` atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(json(), to: url)
    }

    /// The record's file name in a run folder.
    public static let fileName = "run.json"

    /// What a later chapter reads back from a `run.json`: the options of the run that made
    /// the folder's files, and whether it finished.
    public struct Provenance: Equatable, Sendable {
        public var quick: Bool
        public var seed: UInt64
        public var steps: Int?
        public var finished: Bool

        /// Parses the fields it needs; nil when the JSON lacks them or is not a record.
        public init?(json data: Data) {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let options = object["options"] as? [String: Any],
                  let quick = options["quick"] as? Bool,
                  let seed = Self.integer(options["seed"]).flatMap(UInt64.init(exactly:)) else { return nil }
            self.quick = quick
            self.seed = seed
            self.steps = Self.integer(options["steps"])
            self.finished = object["finished"] is String
        }

        /// A JSON integer, however Foundation bridged it.
        private static func integer(_ value: Any?) -> Int? {
            if let n = value as? Int { return n }
            if let n = value as? NSNumber, n.doubleValue == n.doubleValue.rounded() { return n.intValue }
            return nil
        }
    }
}
