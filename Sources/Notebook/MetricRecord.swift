import Foundation

/// One step's numbers as a typed record: each field is logged under one name (TRL's, where
/// TRL logs it), so a misspelt name is a compile error, not a plot of zeros.
///
///     struct Step: MetricRecord {
///         /// The training loss [loss].
///         var loss = 0.0
///         static let fields: [(name: String, field: WritableKeyPath<Step, Double>)] = [("loss", \.loss)]
///     }
///     chapter.log(step, series: "training", step: k)       // a row per field in metrics.csv
///     let steps = try MetricsLog.records(Step.self, series: "training", in: url)   // and back
public protocol MetricRecord {
    /// A record with every field 0 (and every optional field nil).
    init()
    /// Each field and the name it is logged under: the one place the name is written.
    static var fields: [(name: String, field: WritableKeyPath<Self, Double>)] { get }
    /// The fields that only some steps have (nil: not measured at this step, not logged).
    static var optionalFields: [(name: String, field: WritableKeyPath<Self, Double?>)] { get }
}

extension MetricRecord {
    public static var optionalFields: [(name: String, field: WritableKeyPath<Self, Double?>)] { [] }

    /// The record's numbers under their logged names (optional fields that hold nothing left out).
    public var metrics: [(name: String, value: Double)] {
        Self.fields.map { ($0.name, self[keyPath: $0.field]) }
            + Self.optionalFields.compactMap { name, field in self[keyPath: field].map { (name, $0) } }
    }

    /// The name `field` is logged under (a table's column, a figure's series).
    public static func name(of field: KeyPath<Self, Double>) -> String {
        guard let name = fields.first(where: { $0.field == field })?.name else {
            preconditionFailure("\(Self.self): \(field) is not one of the logged fields")
        }
        return name
    }

    /// The record from its logged numbers; nil when a field it must have is missing.
    public init?(metrics: [String: Double]) {
        self.init()
        for (name, field) in Self.fields {
            guard let value = metrics[name] else { return nil }
            self[keyPath: field] = value
        }
        for (name, field) in Self.optionalFields { self[keyPath: field] = metrics[name] }
    }
}

extension Chapter {
    /// Logs each number of `record` as a row of series `series` at `step`, in the order of
    /// their names.
    public func log(_ record: some MetricRecord, series: String, step: Int) {
        for (name, value) in record.metrics.sorted(by: { $0.name < $1.name }) { log(series, step: step, name, value) }
    }
}

/// One row of a `metrics.csv`.
public struct MetricsRow: Equatable, Sendable {
    public var series: String
    public var step: Int
    public var name: String
    public var value: Double
}

extension MetricsLog {
    /// The rows of a `metrics.csv` (its `seconds` column dropped), in file order.
    public static func rows(in url: URL) throws -> [MetricsRow] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [MetricsRow] = []
        for (index, fields) in csvRecords(text).enumerated() where index > 0 && !fields.isEmpty {
            guard fields.count == 5, let step = Int(fields[1]), let value = Double(fields[3]) else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path,
                                 NSLocalizedDescriptionKey: "row \(index + 1) is not series,step,name,value,seconds"])
            }
            rows.append(MetricsRow(series: fields[0], step: step, name: fields[2], value: value))
        }
        return rows
    }

    /// The records of series `series` in a `metrics.csv`, one per step, in step order: the
    /// same type a chapter logged them with reads them back.
    public static func records<R: MetricRecord>(_ type: R.Type, series: String, in url: URL) throws -> [R] {
        var byStep: [Int: [String: Double]] = [:]
        for row in try rows(in: url) where row.series == series { byStep[row.step, default: [:]][row.name] = row.value }
        return byStep.keys.sorted().compactMap { R(metrics: byStep[$0]!) }
    }

    /// The fields of each line of RFC 4180 CSV text (quoted fields may hold commas, quotes
    /// and line breaks).
    static func csvRecords(_ text: String) -> [[String]] {
        var records: [[String]] = [], fields: [String] = [], field = ""
        var quoted = false, afterQuote = false
        for character in text {
            if quoted {
                if character == "\"" { quoted = false; afterQuote = true } else { field.append(character) }
            } else if character == "\"" {
                if afterQuote { field.append("\"") }
                quoted = true
                afterQuote = false
            } else if character == "," {
                fields.append(field); field = ""; afterQuote = false
            } else if character == "\n" || character == "\r\n" {
                fields.append(field); records.append(fields); fields = []; field = ""; afterQuote = false
            } else {
                field.append(character)
                afterQuote = false
            }
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); records.append(fields) }
        return records
    }
}
