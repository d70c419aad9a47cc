import XCTest
@testable import Notebook

/// The rules that make every figure readable (``FigureLayout``), checked on the gnuplot
/// scripts and data the figure layer writes.
final class FigureReadabilityTests: XCTestCase {
    let step = PlotAxis("step")
    let value = PlotAxis("value")

    // MARK: - The key sits below the plot

    func testTheKeySitsBelowThePlotForEveryKind() throws {
        let figures: [Figure] = [
            .lines("l", title: "", x: step, y: value, series: [PlotSeries("a", y: [1, 2])], references: [.horizontal(1, "r")]),
            .scatter("s", title: "", x: step, y: value, series: [PlotSeries("a", x: [1, 2], y: [1, 2])]),
            .histogram("h", title: "", x: value, samples: [PlotSample("a", values: [1, 2, 3])], bins: 3),
            .bars("b", title: "", categories: ["x", "y"], y: value, series: [PlotSeries("a", y: [1, 2])]),
        ]
        for figure in figures {
            let script = try FigureScript.script(for: figure)
            let key = script.split(separator: "\n").filter { $0.hasPrefix("set key") }
            XCTAssertEqual(key.count, 1, script)
            XCTAssertTrue(key[0].hasPrefix("set key outside below center"), "\(figure.name): \(key[0])")
            for inside in ["top", "bottom", "left", "right", "inside", " at "] {
                XCTAssertFalse(key[0].contains(inside), "\(figure.name): \(key[0])")
            }
        }
    }

    func testTheCanvasGrowsByTheKeysRowsAndShortLabelsShareRows() throws {
        func figure(_ labels: [String]) -> Figure {
            .lines("k", title: "", x: step, y: value, series: labels.map { PlotSeries($0, y: [1, 2]) })
        }
        // Short labels: several to a row; one row plus the line above it: 500 + 2 x 17.
        let short = try FigureScript.script(for: figure(["k1", "k2", "k3", "k4"]))
        XCTAssertTrue(short.contains("maxcols 4"), short)
        XCTAssertTrue(short.contains("set terminal pngcairo size 800,534 "), short)
        // Labels too long for two to a row: one column of eight rows, 500 + 9 x 17.
        let long = try FigureScript.script(for: figure((1...8).map { "PPO (kl_coef 0.0\($0)): gold gain in standard deviations" }))
        XCTAssertTrue(long.contains("maxcols 1"), long)
        XCTAssertTrue(long.contains("set terminal pngcairo size 800,653 "), long)
    }

    /// Rendered: a key of one row and a key of eight leave the same plot area (what gnuplot
    /// reports after drawing), so a long key costs canvas, not plot.
    func testThePlotAreaKeepsItsSizeWhateverTheKey() throws {
        guard let gnuplot = Gnuplot.locate() else { throw XCTSkip("gnuplot is not installed") }
        let directory = try temporaryDirectory()
        func plotArea(_ labels: [String]) throws -> (width: Double, height: Double) {
            let figure = Figure.lines("area", title: "t", x: step, y: value, series: labels.map { PlotSeries($0, y: [1, 2]) })
            try FigureScript.data(for: figure).write(to: directory.appendingPathComponent("area.dat"), atomically: true, encoding: .utf8)
            let script = try FigureScript.script(for: figure)
                + "print GPVAL_TERM_XMAX - GPVAL_TERM_XMIN, GPVAL_TERM_YMAX - GPVAL_TERM_YMIN\n"
            try script.write(to: directory.appendingPathComponent("area.gp"), atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = gnuplot.executable
            process.currentDirectoryURL = directory
            process.arguments = ["-e", "outfile='area.png'", "area.gp"]
            let output = Pipe()
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let numbers = text.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            XCTAssertEqual(numbers.count, 2, text)
            return (numbers.first ?? 0, numbers.last ?? 0)
        }
        let one = try plotArea(["a"])
        let eight = try plotArea((1...8).map { "a long series label number \($0), in one column" })
        XCTAssertGreaterThan(one.height, 350)
        XCTAssertEqual(eight.height, one.height, accuracy: 4, "plot heights \(one.height) and \(eight.height)")
        XCTAssertEqual(eight.width, one.width, accuracy: 4)
    }

}
