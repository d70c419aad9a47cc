import Foundation

/// A progress line for a long loop: step/total, the loop's scalars (loss, reward, KL),
/// throughput and the time left.
///
///     pretraining  step 120/2000  loss 3.412  12.3k tok/s  ETA 1m05s
///
/// On a terminal the line redraws itself in place (carriage return), at most ten times a
/// second. When the output is a file or a pipe (CI logs), it prints a plain line on the
/// first step, every `plainEvery` steps (a tenth of the run by default), at least every
/// 15 seconds, and on the last step, so logs stay short and readable.
///
/// Every scalar passed to ``update(step:_:tokens:)`` is also logged to the chapter's
/// metrics under the progress line's name, at that step.
///
///     let progress = chapter.progress("pretraining", total: steps)
///     for step in 1...steps {
///         let loss = trainer.step()
///         progress.update(step: step, ["loss": loss], tokens: batchTokens)
///     }
///     progress.finish()
public final class Progress {
    public let name: String
    public let total: Int
    /// Plain lines (non-terminal output) are printed every this many steps.
    public let plainEvery: Int
    /// The unit of the throughput, e.g. "tok/s" or "samples/s".
    public let rateUnit: String
    private let console: Console
    private let metrics: MetricsLog?
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastPlain = Date()
    private var tokens = 0
    private var lastStep = 0
    private var lastScalars: [(String, Double)] = []
    private var finished = false

    public init(name: String, total: Int, console: Console, metrics: MetricsLog?,
                plainEvery: Int? = nil, rateUnit: String = "tok/s") {
        self.name = name
        self.total = max(1, total)
        self.console = console
        self.metrics = metrics
        self.plainEvery = max(1, plainEvery ?? self.total / 10)
        self.rateUnit = rateUnit
    }

    /// Records that `step` (1-based) is done, with its scalars and the tokens it processed.
    public func update(step: Int, _ scalars: KeyValuePairs<String, Double> = [:], tokens stepTokens: Int = 0) {
        tokens += stepTokens
        lastStep = step
        lastScalars = scalars.map { ($0.key, $0.value) }
        for (key, value) in scalars {
            // A failed periodic write keeps the rows; the chapter's final flush reports it.
            try? metrics?.log(series: name, step: step, name: key, value: value)
        }
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        let text = Progress.line(name: name, step: step, total: total, scalars: lastScalars,
                                 rate: rateText(elapsed: elapsed),
                                 eta: Progress.eta(elapsed: elapsed, step: step, total: total))
        if console.isTerminal {
            if step >= total || now.timeIntervalSince(lastDraw) >= 0.1 {
                console.redraw(text)
                lastDraw = now
            }
        } else if step == 1 || step % plainEvery == 0 || step >= total || now.timeIntervalSince(lastPlain) >= 15 {
            console.line(text)
            lastPlain = now
        }
    }

    /// Ends the line with a summary: steps done, elapsed time, the last scalars and the
    /// mean throughput (also logged, as `seconds` and `tokens_per_second`).
    public func finish() {
        guard !finished else { return }
        finished = true
        let elapsed = Date().timeIntervalSince(start)
        var text = "\(name)  \(lastStep)/\(total) steps in \(ProgressFormat.duration(elapsed))"
        for (key, value) in lastScalars { text += "  \(key) \(ProgressFormat.scalar(value))" }
        if let rate = rateText(elapsed: elapsed) { text += "  " + rate }
        if console.isTerminal {
            console.redraw(text)   // the summary replaces the live line
            console.closeOpenLine()
        } else {
            console.line(text)
        }
        try? metrics?.log(series: name, step: lastStep, name: "seconds", value: elapsed)
        if tokens > 0 {
            try? metrics?.log(series: name, step: lastStep, name: "tokens_per_second", value: Double(tokens) / max(elapsed, 1e-9))
        }
    }

    private func rateText(elapsed: Double) -> String? {
        guard tokens > 0, elapsed > 0 else { return nil }
        return ProgressFormat.rate(Double(tokens) / elapsed, unit: rateUnit)
    }

    /// The time left, assuming the remaining steps take as long as the mean step so far.
    public static func eta(elapsed: Double, step: Int, total: Int) -> Double? {
        guard step > 0, elapsed > 0 else { return nil }
        return elapsed / Double(step) * Double(max(0, total - step))
    }

    /// One progress line: `name  step s/T  key value ...  rate  ETA t`.
    public static func line(name: String, step: Int, total: Int, scalars: [(String, Double)],
                            rate: String?, eta: Double?) -> String {
        let width = String(total).count
        let stepText = String(repeating: " ", count: max(0, width - String(step).count)) + String(step)
        var text = "\(name)  step \(stepText)/\(total)"
        for (key, value) in scalars { text += "  \(key) \(ProgressFormat.scalar(value))" }
        if let rate { text += "  \(rate)" }
        if let eta { text += "  ETA \(ProgressFormat.duration(eta))" }
        return text
    }
}
