import Foundation
import TensorCore

/// Every number a chapter prints, logged to `runs/NN-name/metrics.csv`.
///
/// The file has one row per scalar, with a header:
///
///     series,step,name,value,seconds
///     pretraining,1,loss,5.5412,0.812
///     pretraining,1,tokens_per_second,10234,0.812
///     result,0,perplexity,11.93,95.2
///
/// - `series`: the phase or table the value belongs to (a progress line's name, `result`
///   for single results, a table's title for its cells);
/// - `step`: the optimizer step or iteration (0 for results, the row number for tables);
/// - `name`, `value`: the scalar;
/// - `seconds`: wall time since the chapter started.
///
/// Fields holding a comma, a quote or a newline are quoted as in RFC 4180. The log keeps its
/// rows in memory and rewrites the file atomically (temporary file, then rename) every few
/// seconds and when the chapter finishes, so a reader never sees a half-written row.
public final class MetricsLog {
    /// Where the CSV goes.
    public let url: URL
    /// How often, at most, the file is rewritten while rows keep coming.
    public let flushInterval: Double
    private let start: Date
    private var text = "series,step,name,value,seconds\n"
    private var lastFlush: Date
    private var dirty = false

    public init(url: URL, start: Date = Date(), flushInterval: Double = 5) {
        self.url = url
        self.start = start
        self.lastFlush = start
        self.flushInterval = flushInterval
    }

    /// Logs one scalar; the file is rewritten when the last write is older than `flushInterval`.
    public func log(series: String, step: Int, name: String, value: Double) throws {
        let seconds = Date().timeIntervalSince(start)
        let fields = [MetricsLog.field(series), String(step), MetricsLog.field(name),
                      MetricsLog.number(value), String(format: "%.3f", seconds)]
        text += fields.joined(separator: ",") + "\n"
        dirty = true
        if Date().timeIntervalSince(lastFlush) >= flushInterval { try flush() }
    }

    /// Writes the file now (atomically) if rows were logged since the last write.
    public func flush() throws {
        guard dirty else { return }
        try AtomicFile.write(text, to: url)
        dirty = false
        lastFlush = Date()
    }

    /// A value as the CSV holds it: full precision, and `nan`/`inf` spelled as most CSV
    /// readers (pandas, gnuplot) accept them.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }

    /// A text field, quoted when it holds a comma, a quote or a line break.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
