import XCTest
@testable import Notebook

/// The rules that make every figure readable (``FigureLayout``), checked on the gnuplot
/// scripts and data the figure layer writes.
final class FigureReadabilityTests: XCTestCase {
    let step = PlotAxis("step")
    let value = PlotAxis("value")

    /// The eight criteria of chapter 10's bar chart, whose labels ran into each other.
    let criteria = ["simple words", "analogy", "correct facts", "no misconception", "engaging question",
                    "sensible length", "no repetition", "on topic"]

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

    // MARK: - A single point is drawn as a point

    func testASeriesOfOnePointIsDrawnAsAPoint() throws {
        let figure = Figure.lines("frontier", title: "", x: PlotAxis("KL"), y: PlotAxis("gold"), series: [
            PlotSeries("PPO sweep", x: [0, 2.5, 11], y: [3.8, 4.3, 4.6]),
            PlotSeries("TRPO", x: [1.7], y: [4.2]),
            PlotSeries("GRPO", x: [4.8], y: [4.4], spread: [0.1]),
            PlotSeries("one finite point", x: [1, 2], y: [.nan, 4]),
        ])
        let script = try FigureScript.script(for: figure)
        XCTAssertTrue(script.contains("'frontier.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'PPO sweep'"), script)
        XCTAssertTrue(script.contains("'frontier.dat' index 1 using 1:2 with points pt 7 ps 1.5 lc 2 title 'TRPO'"), script)
        XCTAssertTrue(script.contains("'frontier.dat' index 2 using 1:2:3 with yerrorbars pt 7 ps 1.5 lc 3 title 'GRPO'"), script)
        XCTAssertTrue(script.contains("'frontier.dat' index 3 using 1:2 with points pt 7 ps 1.5 lc 4"), script)
        for index in 1...3 { XCTAssertFalse(script.contains("index \(index) using 1:2 with lines"), script) }
        XCTAssertFalse(script.contains("index 2 using 1:($2-$3)"), "no band for one point:\n\(script)")
        XCTAssertTrue(try FigureScript.data(for: figure).contains("# series 1: TRPO\n# x y\n1.7 4.2\n"))

        let scatter = Figure.scatter("s", title: "", x: step, y: value,
                                     series: [PlotSeries("cloud", x: [1, 2, 3], y: [1, 2, 3]), PlotSeries("lone", x: [2], y: [2])])
        let scatterScript = try FigureScript.script(for: scatter)
        XCTAssertTrue(scatterScript.contains("index 0 using 1:2 with points pt 7 ps 0.6 lc 1 title 'cloud'"), scatterScript)
        XCTAssertTrue(scatterScript.contains("index 1 using 1:2 with points pt 7 ps 1.5 lc 2 title 'lone'"), scatterScript)
    }

    // MARK: - Log axes where values span decades

    func testAnAxisWhosePositiveValuesSpanMoreThanTwoDecadesIsLogarithmic() throws {
        // Chapter 03's importance variances: 1e-52 to 1e-23 over steps 1 to 4.
        let variances = Figure.lines("variance", title: "", x: step, y: PlotAxis("Var(w)"),
                                     series: [PlotSeries("lr 0.01", y: [1e-23, 3e-30, 2e-41, 1e-52])])
        let script = try FigureScript.script(for: variances)
        XCTAssertTrue(script.contains("set logscale y\nset format y '%g'"), script)
        XCTAssertFalse(script.contains("set logscale x"), "steps 1 to 4 span less than two decades:\n\(script)")
        XCTAssertTrue(try FigureScript.data(for: variances).contains("1e-23\n2 3e-30\n3 2e-41\n4 1e-52"),
                      "the data keep their values")
        // Across series: each within a decade, together three.
        let apart = Figure.lines("apart", title: "", x: step, y: value,
                                 series: [PlotSeries("a", y: [1, 2]), PlotSeries("b", y: [1000, 2000])])
        XCTAssertTrue(try FigureScript.script(for: apart).contains("set logscale y"))
        // A bar chart of positive values over three decades: log, and its range stays positive.
        let bars = try FigureScript.script(for: .bars("b", title: "", categories: ["start", "end"], y: value,
                                                      series: [PlotSeries("x", y: [2, 6000])]))
        XCTAssertTrue(bars.contains("set logscale y"), bars)
        XCTAssertEqual(range("y", in: bars).map { $0.low > 0 && $0.low < 2 && $0.high > 6000 }, true, bars)
        // A range of less than three decades gets 1-2-5 tics, not one label per decade.
        XCTAssertFalse(bars.contains("set ytics ("), "over three decades: gnuplot's own tics")
        let narrow = try FigureScript.script(for: .lines("n", title: "", x: step, y: PlotAxis("v", logarithmic: true),
                                                         series: [PlotSeries("a", y: [150, 6000])]))
        XCTAssertTrue(narrow.contains("set ytics (200, 500, 1000, 2000, 5000)"), narrow)
        XCTAssertEqual(FigureLayout.logTics((600, 4500)), [1000, 2000, 3000], "1-2-5 would give two")
        XCTAssertEqual(FigureLayout.logTics((72, 144)), [80, 90, 100], "1-2-3-5 would give one")
        XCTAssertNil(FigureLayout.logTics((101, 109)), "no two tics fit: gnuplot's own")
    }

    func testAnAxisWithZeroOrNegativeValuesOrANarrowSpanStaysLinear() throws {
        func yIsLogarithmic(_ series: [PlotSeries], axis: PlotAxis = PlotAxis("v"), references: [ReferenceLine] = []) throws -> Bool {
            try FigureScript.script(for: .lines("f", title: "", x: step, y: axis, series: series, references: references))
                .contains("set logscale y")
        }
        XCTAssertFalse(try yIsLogarithmic([PlotSeries("spans 80", y: [0.5, 40])]))
        XCTAssertFalse(try yIsLogarithmic([PlotSeries("with zero", y: [0, 1, 1000])]))
        XCTAssertFalse(try yIsLogarithmic([PlotSeries("with a negative", y: [-1, 1, 1000])]))
        XCTAssertFalse(try yIsLogarithmic([PlotSeries("band to zero", y: [1, 1000], spread: [1, 1])]), "y - spread reaches 0")
        XCTAssertFalse(try yIsLogarithmic([PlotSeries("a", y: [1, 1000])], references: [.horizontal(0, "zero")]))
        XCTAssertFalse(try yIsLogarithmic([PlotSeries("a", y: [1, 1000])], axis: PlotAxis("v", scale: .linear)))
        XCTAssertTrue(try yIsLogarithmic([PlotSeries("asked for", y: [1, 2])], axis: PlotAxis("v", logarithmic: true)))
        XCTAssertFalse(try yIsLogarithmic([PlotSeries("asked for, with zero", y: [0, 2])], axis: PlotAxis("v", logarithmic: true)),
                       "a log axis would drop the zero")
    }

    // MARK: - Ranges hold every point and reference

    func testAxisRangesHoldEveryPointBandAndReference() throws {
        let figures: [Figure] = [
            .lines("lines", title: "", x: step, y: value,
                   series: [PlotSeries("band", x: [1, 2, 3], y: [1, 2, 3], spread: [0.5, 0.5, 2]), PlotSeries("point", x: [10], y: [-4])],
                   references: [.horizontal(9, "ceiling"), .vertical(12, "end")]),
            .lines("log", title: "", x: step, y: value, series: [PlotSeries("v", y: [1e-23, 1e-40, 1e-52])],
                   references: [.horizontal(1e-60, "floor")]),
            .scatter("scatter", title: "", x: step, y: value, series: [PlotSeries("c", x: [-3, 0, 5], y: [2, 2, 2])],
                     references: [.vertical(7, "limit")]),
        ]
        for figure in figures {
            let script = try FigureScript.script(for: figure)
            guard let x = range("x", in: script), let y = range("y", in: script) else { return XCTFail(script) }
            switch figure.content {
            case .lines(let series), .scatter(let series): check(series, figure.references, x, y, script)
            default: XCTFail("only lines and scatter plots here")
            }
        }
        // Bars and histograms: every bar and reference inside.
        let bars = try FigureScript.script(for: .bars("b", title: "", categories: ["a", "b"], y: value,
                                                      series: [PlotSeries("s", y: [-1, 3])], references: [.horizontal(5, "r")]))
        XCTAssertEqual(range("y", in: bars).map { $0.low < -1 && $0.high > 5 }, true, bars)
        let histogram = try FigureScript.script(for: .histogram("h", title: "", x: value, samples: [PlotSample("s", values: [0, 1, 2])],
                                                               bins: 2, references: [.vertical(4, "r"), .horizontal(2, "tall")]))
        XCTAssertEqual(range("x", in: histogram).map { $0.low <= 0 && $0.high > 4 }, true, histogram)
        XCTAssertEqual(range("y", in: histogram).map { $0.low == 0 && $0.high > 2 }, true, histogram)
    }

    func testTheLabelOfAVerticalLineStaysOnThePlot() throws {
        let figure = Figure.lines("epochs", title: "", x: step, y: value, series: [PlotSeries("loss", x: [0, 1, 2, 3], y: [4, 3, 2, 1])],
                                  references: [.vertical(0.5, "warm-up ends"), .vertical(3, "end of epoch 1")])
        let script = try FigureScript.script(for: figure)
        XCTAssertTrue(script.contains("set label 'warm-up ends' at first 0.5, graph 0.96 offset 0.5,0 front"), script)
        XCTAssertTrue(script.contains("set label 'end of epoch 1' at first 3, graph 0.96 right offset -0.5,0 front"),
                      "a line at the right edge has its label on its left:\n\(script)")
    }

    /// Every finite x, y ± spread and reference lies strictly inside the ranges.
    private func check(_ series: [PlotSeries], _ references: [ReferenceLine], _ x: (low: Double, high: Double),
                       _ y: (low: Double, high: Double), _ script: String) {
        var xs = series.flatMap(\.x), ys = series.flatMap(\.y)
        for s in series { if let spread = s.spread { ys += zip(s.y, spread).flatMap { [$0 - $1, $0 + $1] } } }
        for reference in references {
            if reference.orientation == .horizontal { ys.append(reference.value) } else { xs.append(reference.value) }
        }
        for value in xs where value.isFinite { XCTAssertTrue(x.low <= value && value <= x.high, "x \(value) outside:\n\(script)") }
        for value in ys where value.isFinite { XCTAssertTrue(y.low < value && value < y.high, "y \(value) outside:\n\(script)") }
    }

    // MARK: - Category labels do not collide

    func testManyLongCategoryLabelsAreRotated() throws {
        let figure = Figure.bars("criteria", title: "", categories: criteria, y: PlotAxis("points"),
                                 series: [PlotSeries("SFT", y: criteria.map { _ in 1 }), PlotSeries("PPO", y: criteria.map { _ in 2 })])
        let script = try FigureScript.script(for: figure)
        XCTAssertTrue(script.contains("set xtics nomirror rotate by 30 right"), script)
        XCTAssertTrue(script.contains("'criteria.dat' using 2:xtic(1) lc 1 title 'SFT'"), script)
        XCTAssertTrue(try FigureScript.data(for: figure).contains("\"no misconception\" 1 2"))
        let height = Int(script.components(separatedBy: "size 800,")[1].prefix(while: \.isNumber))!
        XCTAssertGreaterThan(height, 500 + 2 * 17 + 50, "room for the slanted labels as well as the key")
        // So many that slanted labels would touch: upright.
        let many = (1...30).map { "step \($0)" }
        XCTAssertTrue(try FigureScript.script(for: .bars("m", title: "", categories: many, y: value,
                                                         series: [PlotSeries("s", y: many.map { _ in 1 })]))
            .contains("set xtics nomirror rotate by 90 right"))
    }

    func testFewLongCategoryLabelsAreWrappedAndShortOnesLeftAlone() throws {
        let categories = ["no baseline at all here", "batch mean", "leave-one-out baseline", "a", "b"]
        let figure = Figure.bars("wrapped", title: "", categories: categories, y: value,
                                 series: [PlotSeries("s", y: [1, 2, 3, 4, 5])])
        let script = try FigureScript.script(for: figure)
        XCTAssertTrue(script.contains(
            #"set xtics nomirror ("no baseline at\nall here" 0, "batch mean" 1, "leave-one-out\nbaseline" 2, "a" 3, "b" 4)"#), script)
        XCTAssertTrue(script.contains("plot 'wrapped.dat' using 2 lc 1 title 's'"), "labels from the script, not the data:\n\(script)")
        XCTAssertTrue(try FigureScript.data(for: figure).contains("\"no baseline at all here\" 1\n"), "the data keep the names whole")

        let short = try FigureScript.script(for: .bars("short", title: "", categories: ["start (SFT)", "after 24 steps"], y: value,
                                                       series: [PlotSeries("s", y: [1, 2])]))
        XCTAssertTrue(short.contains("set xtics nomirror\n"), short)
        XCTAssertTrue(short.contains("using 2:xtic(1)"), short)
    }

    // MARK: - Reading the script

    /// The range `set AXISrange [low:high]` sets in `script`.
    private func range(_ axis: String, in script: String) -> (low: Double, high: Double)? {
        guard let line = script.split(separator: "\n").first(where: { $0.hasPrefix("set \(axis)range [") }) else { return nil }
        let bounds = line.dropFirst("set \(axis)range [".count).dropLast().split(separator: ":").compactMap { Double($0) }
        return bounds.count == 2 ? (bounds[0], bounds[1]) : nil
    }
}
