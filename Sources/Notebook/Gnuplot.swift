import Foundation
import TensorCore

/// Runs gnuplot as a subprocess to render a figure's script into its PNG.
public struct Gnuplot: Sendable {
    /// The gnuplot executable.
    public let executable: URL
    /// Seconds after which a render is stopped and reported as failed.
    public let timeout: Double

    public init(executable: URL, timeout: Double = 30) {
        self.executable = executable
        self.timeout = timeout
    }

    /// Gnuplot found on `PATH`, or nil when it is not installed.
    public static func locate(timeout: Double = 30) -> Gnuplot? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("gnuplot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return Gnuplot(executable: candidate, timeout: timeout)
            }
        }
        return nil
    }

    /// Renders `script` (a `.gp` file) from inside its directory into `output`.
    ///
    /// Gnuplot writes a temporary file beside `output`, which is renamed over it only when
    /// gnuplot succeeds, so a failed render never leaves a broken PNG behind. Throws
    /// ``FigureError`` with gnuplot's own error text when it fails or takes too long.
    public func render(script: URL, to output: URL) throws {
        let directory = script.deletingLastPathComponent()
        let temporary = output.deletingLastPathComponent()
            .appendingPathComponent(".\(output.deletingPathExtension().lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier).png")
        let process = Process()
        process.executableURL = executable
        process.currentDirectoryURL = directory
        process.arguments = ["-e", "outfile='\(temporary.path.replacingOccurrences(of: "'", with: "''"))'", script.lastPathComponent]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        let collected = ErrorText()
        let reader = Thread {
            collected.set(errors.fileHandleForReading.readDataToEndOfFile())
        }
        do {
            try process.run()
        } catch {
            throw FigureError(description: "could not start \(executable.path): \(error.localizedDescription)")
        }
        reader.start()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: temporary)
            throw FigureError(description: "gnuplot \(script.lastPathComponent) took more than \(Int(timeout)) s and was stopped")
        }
        process.waitUntilExit()
        let message = collected.waitForText()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: temporary.path) else {
            try? FileManager.default.removeItem(at: temporary)
            let detail = message.isEmpty ? "exit status \(process.terminationStatus)" : message
            throw FigureError(description: "gnuplot \(script.lastPathComponent) failed: \(detail)")
        }
        if !message.isEmpty {
            // Warnings (an empty series, a range gnuplot had to widen): shown, not swallowed.
            Console.error("gnuplot \(script.lastPathComponent): \(message)")
        }
        try AtomicFile.move(temporary, over: output)
    }
}

/// Gnuplot's error output, read on a separate thread so a chatty gnuplot never blocks on a
/// full pipe while we wait for it.
private final class ErrorText: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    func set(_ data: Data) {
        self.data = data
        done.signal()
    }

    func waitForText() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Writes figures into a directory: `NAME.dat` and `NAME.gp` atomically, then `NAME.png`
/// through gnuplot when it is installed.
public struct FigureWriter: Sendable {
    /// The figure directory, e.g. `Figures/01-pretrained-model`.
    public let directory: URL
    /// The renderer; nil when gnuplot is not installed (the .dat and .gp are still written).
    public let gnuplot: Gnuplot?

    /// What happened to one figure.
    public enum Outcome: Equatable, Sendable {
        /// The PNG was rendered.
        case rendered(png: URL)
        /// Gnuplot is not installed: the data and script were written, the PNG was not.
        case gnuplotMissing(script: URL)
    }

    public init(directory: URL, gnuplot: Gnuplot? = Gnuplot.locate()) {
        self.directory = directory
        self.gnuplot = gnuplot
    }

    /// Writes `figure`'s data and script and renders it. Throws ``FigureError`` for data that
    /// cannot be drawn or a failed render (with gnuplot's message), and file errors.
    @discardableResult
    public func write(_ figure: Figure) throws -> Outcome {
        let dat = directory.appendingPathComponent("\(figure.name).dat")
        let gp = directory.appendingPathComponent("\(figure.name).gp")
        let png = directory.appendingPathComponent("\(figure.name).png")
        let data = try FigureScript.data(for: figure)
        let script = try FigureScript.script(for: figure)
        try AtomicFile.write(data, to: dat)
        try AtomicFile.write(script, to: gp)
        guard let gnuplot else { return .gnuplotMissing(script: gp) }
        try gnuplot.render(script: gp, to: png)
        return .rendered(png: png)
    }
}
