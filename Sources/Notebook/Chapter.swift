import Foundation
import TensorCore

/// A chapter of the course, run as a notebook: it prints the explanation and the results,
/// logs every number, draws the figures and hands checkpoints to later chapters.
///
/// A chapter's `main.swift` reads top to bottom:
///
///     import Notebook
///
///     let options = ChapterOptions.parseOrExit()
///     let chapter = Chapter("01-pretrained-model", title: "A pretrained model", options: options)
///
///     chapter.section("The corpus")
///     chapter.prose("""
///         The world writes its own encyclopedia ...
///         """)
///     let progress = chapter.progress("pretraining", total: options.budget(full: 3000, quick: 30))
///     ...
///     chapter.result("validation loss", loss, unit: "nats/token")
///     chapter.figure(.lines("loss", title: ..., x: PlotAxis("step"), y: PlotAxis("loss", unit: "nats/token"),
///                           series: [PlotSeries("train", y: losses)]))
///     chapter.finish()
///
/// Paths are relative to the current directory, the repository root (`make` runs chapters
/// from there). A default run writes to `runs/NN-name/` and its figures to
/// `Figures/NN-name/`; every other run (`--quick`, another `--seed`, `--steps`) writes to a
/// folder of its own under `runs/`, figures included (see ``RunVariant``).
public final class Chapter {
    public let name: ChapterName
    public let title: String
    public let options: ChapterOptions
    /// The kind of run, which decides where files are read from and written to.
    public let variant: RunVariant
    /// The directory all relative paths are resolved against.
    public let root: URL
    public let console: Console
    /// Every printed number, logged to `metrics.csv` in the run directory.
    public let metrics: MetricsLog
    /// What `runs/NN-name/run.json` records; the `setting` methods add to it.
    public private(set) var record: RunRecord
    private let figures: FigureWriter
    private let started = Date()
    private var toldHowToRenderLater = false
    private var failedFigures: [String] = []
    private var finished = false
    /// Everything printed so far but the progress lines, for `transcript.jsonl`.
    public private(set) var transcript: [TranscriptEntry] = []

    /// Starts the chapter: prints its heading and writes `run.json`.
    ///
    /// - Parameters:
    ///   - folder: the chapter's folder name, e.g. `"01-pretrained-model"`.
    ///   - title: the heading printed at the top.
    ///   - options: the parsed command line.
    ///   - root: the repository root (the current directory by default).
    ///   - console: where text goes (standard output by default).
    ///   - gnuplot: the renderer (gnuplot on `PATH` by default; nil writes .dat/.gp only).
    public init(_ folder: String, title: String, options: ChapterOptions,
                root: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                console: Console = .standardOutput(), gnuplot: Gnuplot? = Gnuplot.locate()) {
        self.name = ChapterName(folder)
        self.title = title
        self.options = options
        self.variant = RunVariant(options)
        self.root = root
        self.console = console
        let runs = Self.runDirectory(of: folder, variant: variant, root: root)
        self.metrics = MetricsLog(url: runs.appendingPathComponent("metrics.csv"), start: started)
        self.record = RunRecord(chapter: folder, title: title, arguments: Array(CommandLine.arguments.dropFirst()),
                                options: options, started: started)
        let figureDirectory = variant.isDefault
            ? root.appendingPathComponent("Figures").appendingPathComponent(folder)
            : runs.appendingPathComponent("figures")
        self.figures = FigureWriter(directory: figureDirectory, gnuplot: gnuplot)
        let heading = "Chapter \(name.number): \(title)"
        transcript.append(.heading(heading))
        console.line(heading)
        console.line(String(repeating: "=", count: heading.count))
        var run = "seed \(options.seed)"
        if options.quick { run += ", quick run (tiny budgets)" }
        if let steps = options.steps { run += ", \(steps) steps" }
        if !variant.isDefault { run += "; writes to \(relative(runs))/, not over the default run" }
        console.line(run)
        transcript.append(.line(run))
        // A stamp left by an earlier run would vouch for files this run is about to replace.
        try? FileManager.default.removeItem(at: runs.appendingPathComponent(Self.completeStampName))
        writeRecord()
    }

    /// The run directory of chapter `folder` for a kind of run: `runs/NN-name/`, or
    /// `runs/quick/NN-name/` and the like.
    static func runDirectory(of folder: String, variant: RunVariant, root: URL) -> URL {
        var url = root.appendingPathComponent("runs")
        if !variant.outputFolder.isEmpty { url.appendPathComponent(variant.outputFolder) }
        return url.appendingPathComponent(folder)
    }

    /// The empty file a finished run leaves in its run directory (what `make` checks).
    public static let completeStampName = ".complete"

    // MARK: - Directories

    /// The run directory (`runs/NN-name/` for a default run), created on first use:
    /// checkpoints, metrics, run.json.
    public var runDirectory: URL {
        let url = Self.runDirectory(of: name.folder, variant: variant, root: root)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A file in the run directory, e.g. `runFile("model.safetensors")`.
    public func runFile(_ fileName: String) -> URL {
        runDirectory.appendingPathComponent(fileName)
    }

    /// `Figures/NN-name/` for a default run, the run directory's `figures/` otherwise.
    public var figureDirectory: URL { figures.directory }

    /// The run directory relative to the root, for messages: "runs/quick/02-supervised-fine-tuning".
    public var runPath: String { relative(runDirectory) }

    /// A random generator for one part of the chapter, seeded from `--seed` and `label`, so
    /// that each part draws its own stream and the same seed gives the same numbers.
    public func random(_ label: String) -> RandomGenerator {
        RandomGenerator(seed: options.seed).derived(label)
    }

    // MARK: - Narration

    /// A section heading; printed with `--no-prose` too, as it frames the results below it.
    public func section(_ heading: String) {
        transcript.append(.section(heading))
        console.line()
        console.line(heading)
        console.line(String(repeating: "-", count: heading.count))
    }

    /// An explanation, wrapped to the console's width (paragraphs, lists and indented
    /// code or math lines kept; see ``TextWrapping``). Skipped with `--no-prose`.
    public func prose(_ text: String) {
        guard !options.noProse else { return }
        transcript.append(.prose(text))
        console.line()
        for line in TextWrapping.wrap(text, width: console.width).split(separator: "\n", omittingEmptySubsequences: false) {
            console.line(String(line))
        }
    }

    /// A plain status line, always printed (e.g. "loaded 2.1M tokens").
    public func say(_ line: String) {
        transcript.append(.line(line))
        console.line(line)
    }

    /// A named result, printed as `  → name: value unit` and logged under series `result`.
    public func result(_ label: String, _ value: Double, unit: String = "") {
        let shown = ProgressFormat.scalar(value) + (unit.isEmpty ? "" : " " + unit)
        transcript.append(.result(label: label, value: shown))
        console.line("  → \(label): \(shown)")
        log("result", step: 0, label, value)
    }

    public func result(_ label: String, _ value: Float, unit: String = "") {
        result(label, Double(value), unit: unit)
    }

    public func result(_ label: String, _ value: Int, unit: String = "") {
        result(label, Double(value), unit: unit)
    }

    /// The number the chapter exists to show, in one line ("PPO: gold +0.8 ± 0.1 over SFT
    /// at 4.2 nats"): printed, and recorded as the headline of the book's index.
    public func headline(_ text: String) {
        transcript.append(.headline(text))
        console.line()
        console.line("★ " + text)
        log("headline", step: 0, text, 0)
    }

    /// A result table with aligned columns (units belong in the headers). Every number in it
    /// is logged: series `title` (or `table`), step = row number, name = "first cell/column".
    public func table(_ title: String? = nil, columns: [String], rows: [[any TableValue]]) {
        console.line()
        if let title { console.line(title) }
        for line in TableLayout.render(columns: columns, rows: rows) { console.line("  " + line) }
        transcript.append(.table(title: title, columns: columns, rows: rows.map { $0.map(\.tableText) }))
        for (index, row) in rows.enumerated() {
            let key = row.first?.tableText ?? ""
            for (column, value) in row.enumerated() {
                guard let number = value.tableNumber, column < columns.count else { continue }
                log(title ?? "table", step: index + 1, key.isEmpty ? columns[column] : "\(key)/\(columns[column])", number)
            }
        }
    }

    /// A prompt and a model's response in a box, with a note (which model, which step).
    /// `style: .continuation` labels them as text and continuation instead of a chat turn.
    public func sample(prompt: String, response: String, note: String? = nil, style: SampleBox.Style = .chat) {
        transcript.append(.sample(prompt: prompt, response: response, note: note, chat: style == .chat))
        console.line()
        for line in SampleBox.render(prompt: prompt, response: response, note: note, width: console.width,
                                     style: style) {
            console.line(line)
        }
    }

    // MARK: - Numbers

    /// Logs a scalar without printing it (the metrics of a loop, a per-item value).
    public func log(_ series: String, step: Int, _ label: String, _ value: Double) {
        do {
            try metrics.log(series: series, step: step, name: label, value: value)
        } catch {
            stop("chapter \(name.number) could not write \(relative(metrics.url)): \(ArtifactMessage.reason(error))", code: 74)
        }
    }

    /// A progress line for a loop of `total` steps; its scalars are logged under `label`.
    public func progress(_ label: String, total: Int, rateUnit: String = "tok/s") -> Progress {
        Progress(name: label, total: total, console: console, metrics: metrics, rateUnit: rateUnit)
    }

    /// Records a setting of the run (model size, learning rate, beta) in `run.json`.
    public func setting(_ label: String, _ value: Double) { record.settings[label] = .number(value); writeRecord() }
    public func setting(_ label: String, _ value: Int) { record.settings[label] = .integer(value); writeRecord() }
    public func setting(_ label: String, _ value: Bool) { record.settings[label] = .flag(value); writeRecord() }
    public func setting(_ label: String, _ value: String) { record.settings[label] = .text(value); writeRecord() }

    // MARK: - Figures

    /// Writes `Figures/NN-name/NAME.dat` and `.gp` and renders `NAME.png`. Without gnuplot
    /// the chapter goes on and says once how to render later; a failed render prints
    /// gnuplot's message and the chapter goes on (``finish()`` lists the failures).
    public func figure(_ figure: Figure) {
        do {
            let written = try figures.write(figure)
            transcript.append(.figure(name: figure.name, title: figure.title))
            switch written {
            case .rendered(let png):
                console.line("  figure: \(relative(png))")
            case .gnuplotMissing(let script):
                console.line("  figure data: \(relative(script)) (not rendered)")
                if !toldHowToRenderLater {
                    toldHowToRenderLater = true
                    let hint = "gnuplot is not installed, so figures are written as .dat and .gp only; "
                        + "render them later with `make figures` (`make deps` installs gnuplot)."
                    for line in TextWrapping.wrap(hint, width: console.width - 2).split(separator: "\n") {
                        console.line("  " + line)
                    }
                }
            }
        } catch {
            failedFigures.append(figure.name)
            console.closeOpenLine()
            Console.error("chapter \(name.number): \(ArtifactMessage.reason(error))")
        }
    }

    // MARK: - Artifacts from earlier chapters

    /// The artifacts this chapter checks, resolved against the root, for this kind of run.
    public var artifacts: Artifacts { Artifacts(consumer: name, root: root, variant: variant) }

    /// The URL of `file` in the run folder of chapter `producer` (e.g. "01-pretrained-model")
    /// for this kind of run; stops the chapter with one line naming the `make` target to run
    /// when it is missing or another kind of run made it.
    public func require(_ file: String, from producer: String) -> URL {
        switch artifacts.check(file, from: producer) {
        case .present(let url): return url
        case .problem(let message, let code): stop(message, code: code)
        }
    }

    /// `file` from chapter `producer`'s run folder, loaded by `loader`; a missing or
    /// unusable file, or an error the loader throws (a corrupt checkpoint), stops the
    /// chapter with one line naming the `make` target to run.
    public func load<T>(_ file: String, from producer: String, _ loader: (URL) throws -> T) -> T {
        switch artifacts.load(file, from: producer, loader) {
        case .success(let value): return value
        case .failure(let failure): stop(failure.message, code: failure.exitCode)
        }
    }

    /// Stops the chapter when a training step gave a loss or gradient norm that is not a
    /// finite number. One NaN reaches every weight at the next update, so every later step
    /// would only train noise; saying so at once, with the step, beats a finished run whose
    /// model writes nothing.
    public func stopIfDiverged(_ phase: String, step: Int, loss: Double, gradientNorm: Double) {
        if let message = Chapter.divergence(phase, step: step, loss: loss, gradientNorm: gradientNorm) {
            stop("chapter \(name.number): \(message)", code: 70)
        }
    }

    /// The message `stopIfDiverged` prints, or nil while the numbers are finite.
    public static func divergence(_ phase: String, step: Int, loss: Double, gradientNorm: Double) -> String? {
        guard !loss.isFinite || !gradientNorm.isFinite else { return nil }
        return "\(phase) diverged at step \(step) (loss \(loss), gradient norm \(gradientNorm)); "
            + "a lower learning rate or another --seed may train"
    }

    /// Prints `message` on one line to standard error and exits with `code`.
    public func stop(_ message: String, code: Int32 = 1) -> Never {
        console.closeOpenLine()
        try? metrics.flush()
        Console.error(message)
        exit(code)
    }

    // MARK: - The end

    /// Flushes the metrics, completes `run.json` and prints where everything went.
    /// Call it as the chapter's last line.
    public func finish() {
        guard !finished else { return }
        finished = true
        record.finished = Date()
        do {
            try metrics.flush()
        } catch {
            stop("chapter \(name.number) could not write \(relative(metrics.url)): \(ArtifactMessage.reason(error))", code: 74)
        }
        writeRecord()
        // The stamp tells make that this chapter has run; without it, make runs it again.
        let stamp = runDirectory.appendingPathComponent(Self.completeStampName)
        guard FileManager.default.createFile(atPath: stamp.path, contents: nil) else {
            stop("chapter \(name.number) could not write \(relative(stamp)): check that \(runPath)/ is writable", code: 74)
        }
        let done = "Chapter \(name.number) done in \(ProgressFormat.duration(Date().timeIntervalSince(started))); "
            + "metrics in \(runPath)/, figures in \(relative(figureDirectory))/."
        transcript.append(.line(done))
        do {
            try FileManager.default.createDirectory(at: figureDirectory, withIntermediateDirectories: true)
            try AtomicFile.write(TranscriptEntry.jsonLines(transcript),
                                 to: figureDirectory.appendingPathComponent(TranscriptEntry.fileName))
        } catch {
            stop("chapter \(name.number) could not write its transcript in \(relative(figureDirectory)): \(ArtifactMessage.reason(error))", code: 74)
        }
        console.line()
        console.line(done)
        if !failedFigures.isEmpty {
            console.line("\(failedFigures.count) figure(s) did not render (\(failedFigures.joined(separator: ", "))); "
                         + "gnuplot's messages are above.")
        }
    }

    private func writeRecord() {
        do {
            try record.write(to: runDirectory.appendingPathComponent(RunRecord.fileName))
        } catch {
            stop("chapter \(name.number) could not write \(runPath)/\(RunRecord.fileName): \(ArtifactMessage.reason(error))", code: 74)
        }
    }

    /// `url` relative to the root, for messages.
    func relative(_ url: URL) -> String {
        let base = root.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }
}
