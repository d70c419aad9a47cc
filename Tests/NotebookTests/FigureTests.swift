import XCTest
@testable import Notebook

final class FigureTests: XCTestCase {
    let steps = PlotAxis("step")
    let loss = PlotAxis("loss", unit: "nats/token")

    var linePlot: Figure {
        .lines("loss", title: "Pretraining loss", x: steps, y: loss,
               series: [PlotSeries("train", x: [1, 2, 3], y: [3.5, 2.25, 2], spread: [0.5, 0.25, 0.125]),
                        PlotSeries("validation", y: [3.75, 2.5])],
               references: [.horizontal(2.875, "unigram entropy")])
    }

    func testLinePlotDataHasOneBlockPerSeries() throws {
        XCTAssertEqual(try FigureScript.data(for: linePlot), """
            # series 0: train
            # x y spread
            1 3.5 0.5
            2 2.25 0.25
            3 2 0.125


            # series 1: validation
            # x y
            1 3.75
            2 2.5

            """)
    }

    func testLinePlotScriptDrawsBandsLinesAndReferences() throws {
        let script = try FigureScript.script(for: linePlot)
        XCTAssertTrue(script.contains("if (!exists(\"outfile\")) outfile = 'loss.png'"))
        XCTAssertTrue(script.contains("set terminal pngcairo size 800,"))
        XCTAssertTrue(script.contains("set title 'Pretraining loss'"))
        XCTAssertTrue(script.contains("set xlabel 'step'"))
        XCTAssertTrue(script.contains("set ylabel 'loss (nats/token)'"))
        XCTAssertTrue(script.contains("'loss.dat' index 0 using 1:($2-$3):($2+$3) with filledcurves lc 1 notitle"))
        XCTAssertTrue(script.contains("'loss.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'train'"))
        XCTAssertTrue(script.contains("'loss.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'validation'"))
        XCTAssertFalse(script.contains("index 1 using 1:($2-$3)"), "no band for a series without spread")
        XCTAssertTrue(script.contains("2.875 with lines dt 2"))
        XCTAssertTrue(script.contains("title 'unigram entropy'"))
        XCTAssertFalse(script.replacingOccurrences(of: "nats/token", with: "").contains("/"),
                       "the script names its data by a relative path only:\n\(script)")
    }

    func testScatterPlotDrawsPoints() throws {
        let figure = Figure.scatter("rm-vs-gold", title: "Reward model against gold", x: PlotAxis("gold score"),
                                    y: PlotAxis("reward model score"), series: [PlotSeries("held-out", x: [0, 1], y: [-1, 1])])
        XCTAssertEqual(try FigureScript.data(for: figure), "# series 0: held-out\n# x y\n0 -1\n1 1\n")
        XCTAssertTrue(try FigureScript.script(for: figure)
            .contains("plot 'rm-vs-gold.dat' index 0 using 1:2 with points pt 7 ps 0.6 lc 1 title 'held-out'"))
    }

    /// Predicted against realized: the diagonal y = x is drawn as gnuplot's function `x`,
    /// listed in the key, and both axes share one range, here the points' span 0.02...0.04
    /// with 5% of it (0.001) on each side: [0.019:0.041].
    func testDiagonalReferenceDrawsYEqualsXOnSharedRanges() throws {
        let figure = Figure.scatter("predicted", title: "Predicted against realized", x: PlotAxis("predicted"),
                                    y: PlotAxis("realized"), series: [PlotSeries("update", x: [0.02, 0.04], y: [0.021, 0.03])],
                                    references: [.diagonal()])
        let script = try FigureScript.script(for: figure)
        XCTAssertTrue(script.contains(", \\\n     x with lines dt 2 lw 1.5 lc rgb '#333333' title 'y = x'"), script)
        XCTAssertTrue(script.contains("set xrange [0.019:0.041]"), script)
        XCTAssertTrue(script.contains("set yrange [0.019:0.041]"), script)
        XCTAssertTrue(script.contains("set key outside below"), "the line is named in the key")
        // Without the diagonal, each axis keeps its own range.
        let plain = try FigureScript.script(for: Figure.scatter("p", title: "", x: PlotAxis("a"), y: PlotAxis("b"),
                                                                series: [PlotSeries("u", x: [0.02, 0.04], y: [0.021, 0.03])]))
        XCTAssertTrue(plain.contains("set xrange [0.0192:0.0408]"), plain)
        XCTAssertFalse(plain.contains(" x with lines"))
    }

    func testHistogramsShareBinsAndHoldFractions() throws {
        // Values 0...4 over 4 bins of width 1: [0,1) [1,2) [2,3) [3,4]; the maximum goes in the last bin.
        let figure = Figure.histogram("rewards", title: "Rewards", x: PlotAxis("reward"),
                                      samples: [PlotSample("SFT", values: [0, 1, 1, 4]), PlotSample("PPO", values: [3, 3.5])],
                                      bins: 4, references: [.vertical(2, "mean")])
        XCTAssertEqual(try FigureScript.data(for: figure), """
            # series 0: SFT (4 values)
            # bin_center fraction
            0.5 0.25
            1.5 0.5
            2.5 0
            3.5 0.25


            # series 1: PPO (2 values)
            # bin_center fraction
            0.5 0
            1.5 0
            2.5 0
            3.5 1

            """)
        let script = try FigureScript.script(for: figure)
        XCTAssertTrue(script.contains("set boxwidth 1 absolute"))
        XCTAssertTrue(script.contains("'rewards.dat' index 1 using 1:2 with boxes lc 2 title 'PPO'"))
        XCTAssertTrue(script.contains("set arrow from first 2, graph 0 to first 2, graph 1 nohead"))
        XCTAssertTrue(script.contains("set ylabel 'fraction of samples'"))
        XCTAssertTrue(script.contains("set yrange [0:1.1]"), "room above the tallest bin (PPO's, 1)")
    }

    func testBarChartsHaveOneRowPerCategory() throws {
        let figure = Figure.bars("showdown", title: "Gold reward by method", categories: ["SFT", "PPO \"clip\""],
                                 y: PlotAxis("gold reward", unit: "points"),
                                 series: [PlotSeries("train prompts", y: [0.5, 0.75]), PlotSeries("held-out", y: [0.25, 0.5])],
                                 references: [.horizontal(0.6, "annotator ceiling")])
        XCTAssertEqual(try FigureScript.data(for: figure), """
            # category "train prompts" "held-out"
            "SFT" 0.5 0.25
            "PPO 'clip'" 0.75 0.5

            """)
        let script = try FigureScript.script(for: figure)
        XCTAssertTrue(script.contains("set style histogram clustered gap 1"))
        XCTAssertTrue(script.contains("set yrange [0:0.825]"), "zero to the tallest bar plus a tenth:\n\(script)")
        XCTAssertTrue(script.contains("'showdown.dat' using 2:xtic(1) lc 1 title 'train prompts'"))
        XCTAssertTrue(script.contains("'showdown.dat' using 3 lc 2 title 'held-out'"))
    }

    func testBarRangesHoldZeroAndNegativeValues() {
        XCTAssertEqual(FigureLayout.barRange([1, 2]).low, 0)
        XCTAssertEqual(FigureLayout.barRange([1, 2]).high, 2.2, accuracy: 1e-12)
        XCTAssertEqual(FigureLayout.barRange([-1, 1]).low, -1.2, accuracy: 1e-12)
        XCTAssertEqual(FigureLayout.barRange([-1, 1]).high, 1.2, accuracy: 1e-12)
        XCTAssertEqual(FigureLayout.barRange([-2, -1]).high, 0)
        XCTAssertEqual(FigureLayout.barRange([0, 0]).high, 1)
    }

    /// Three panels, two to a row: two rows of 800-pixel-wide panels; the second panel's
    /// series read the data blocks after the first panel's two; each panel after the first
    /// starts from `reset`; a bar panel after others names its block.
    var panels: Figure {
        .panels("sweep", title: "One run per panel", panels: [
            linePlot,
            .lines("unused", title: "second", x: steps, y: loss, series: [PlotSeries("only", y: [1, 2])],
                   references: [.vertical(1.5, "cut")]),
            .bars("unused", title: "third", categories: ["a", "b"], y: loss, series: [PlotSeries("s", y: [1, 2])]),
        ], columns: 2)
    }

    func testPanelsShareOneDataFileAndOneMultiplot() throws {
        let data = try FigureScript.data(for: panels)
        XCTAssertTrue(data.hasPrefix(try FigureScript.data(for: linePlot) + "\n\n# series 0: only\n# x y\n1 1\n2 2\n\n\n"), data)
        XCTAssertTrue(data.hasSuffix("# category \"s\"\n\"a\" 1\n\"b\" 2\n"), data)
        let script = try FigureScript.script(for: panels)
        let lines = script.split(separator: "\n").map(String.init)
        let height = FigureLayout(linePlot).size.height   // the tallest panel: two key rows
        XCTAssertTrue(lines.contains("set terminal pngcairo size 1600,\(2 * height + 34) noenhanced font 'Sans,11'"), script)
        XCTAssertTrue(lines.contains("set multiplot layout 2,2 title 'One run per panel'"), script)
        XCTAssertEqual(lines.filter { $0 == "reset" }.count, 2)
        XCTAssertEqual(lines.last, "unset multiplot")
        for title in ["Pretraining loss", "second", "third"] { XCTAssertTrue(lines.contains("set title '\(title)'"), title) }
        XCTAssertTrue(script.contains("'sweep.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'validation'"), script)
        XCTAssertTrue(script.contains("plot 'sweep.dat' index 2 using 1:2 with lines lw 2 lc 1 title 'only'"), script)
        XCTAssertTrue(script.contains("plot 'sweep.dat' index 3 using 2:xtic(1) lc 1 title 's'"), script)
        XCTAssertTrue(script.contains("set label 'cut' at first 1.5"), script)
        // Each marker found after the one before it: the panels in order, each after its reset.
        var position = lines.startIndex
        for marker in ["set multiplot", "set title 'Pretraining loss'", "reset", "set title 'second'", "reset",
                       "set title 'third'", "unset multiplot"] {
            guard let found = lines[position...].firstIndex(where: { $0.hasPrefix(marker) }) else {
                return XCTFail("'\(marker)' missing or out of order:\n\(script)")
            }
            position = found + 1
        }
        let nested = Figure.panels("n", title: "", panels: [panels])
        XCTAssertThrowsError(try FigureScript.script(for: nested)) { error in
            XCTAssertEqual("\(error)", "figure n: panel 'One run per panel' holds panels itself")
        }
        XCTAssertThrowsError(try FigureScript.data(for: .panels("e", title: "", panels: [])))
    }

    func testQuotesInLabelsAreEscapedForGnuplot() throws {
        let figure = Figure.lines("q", title: "the model's loss", x: steps, y: loss, series: [PlotSeries("it's", y: [1])])
        let script = try FigureScript.script(for: figure)
        XCTAssertTrue(script.contains("set title 'the model''s loss'"))
        XCTAssertTrue(script.contains("title 'it''s'"))
    }

    func testDataThatCannotBeDrawnIsRejectedWithItsName() {
        let mismatched = Figure.lines("bad", title: "", x: steps, y: loss, series: [PlotSeries("a", x: [1, 2], y: [1])])
        XCTAssertThrowsError(try FigureScript.data(for: mismatched)) { error in
            XCTAssertEqual("\(error)", "figure bad: series 'a' has 2 x values but 1 y values")
        }
        let empty = Figure.scatter("none", title: "", x: steps, y: loss, series: [])
        XCTAssertThrowsError(try FigureScript.script(for: empty))
        let bars = Figure.bars("b", title: "", categories: ["x", "y"], y: loss, series: [PlotSeries("s", y: [1])])
        XCTAssertThrowsError(try FigureScript.data(for: bars))
    }

    func testWithoutGnuplotTheDataAndScriptAreStillWritten() throws {
        let directory = try temporaryDirectory().appendingPathComponent("Figures/01-test")
        let outcome = try FigureWriter(directory: directory, gnuplot: nil).write(linePlot)
        XCTAssertEqual(outcome, .gnuplotMissing(script: directory.appendingPathComponent("loss.gp")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("loss.dat").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("loss.png").path))
    }

    func testEveryKindRendersWithTheInstalledGnuplot() throws {
        guard let gnuplot = Gnuplot.locate() else { throw XCTSkip("gnuplot is not installed") }
        let directory = try temporaryDirectory().appendingPathComponent("Figures/01-test")
        let writer = FigureWriter(directory: directory, gnuplot: gnuplot)
        let figures: [Figure] = [
            linePlot,
            .scatter("scatter", title: "Scatter", x: PlotAxis("gold"), y: PlotAxis("rm"),
                     series: [PlotSeries("a", x: [0, 1, 2], y: [1, 0, 2])], references: [.horizontal(1, "mean")]),
            .histogram("histogram", title: "Histogram", x: PlotAxis("reward"),
                       samples: [PlotSample("a", values: [0, 1, 1, 2]), PlotSample("b", values: [1, 2, 2, 3])], bins: 5,
                       references: [.vertical(1.5, "threshold")]),
            .bars("bars", title: "Bars", categories: ["SFT", "PPO"], y: PlotAxis("reward"),
                  series: [PlotSeries("x", y: [1, 2]), PlotSeries("y", y: [1.5, 0.5])],
                  references: [.horizontal(1.2, "ceiling")]),
            // What the readability rules add: points for single points, a log axis with its
            // own tics, wrapped and rotated category labels.
            .lines("points-and-log", title: "Points, log axis", x: PlotAxis("KL"), y: PlotAxis("variance"),
                   series: [PlotSeries("curve", x: [1, 2, 3], y: [1, 10, 300]), PlotSeries("one", x: [2], y: [50]),
                            PlotSeries("one with spread", x: [2.5], y: [20], spread: [5])]),
            .bars("wrapped", title: "Wrapped", categories: ["no baseline at all here", "batch mean", "leave-one-out baseline", "a", "b"],
                  y: PlotAxis("variance"), series: [PlotSeries("x", y: [150, 6000, 400, 300, 200])]),
            .bars("rotated", title: "Rotated", categories: (1...8).map { "criterion number \($0)" }, y: PlotAxis("points"),
                  series: [PlotSeries("x", y: (1...8).map(Double.init))]),
            panels,
        ]
        for figure in figures {
            let outcome = try writer.write(figure)
            let png = directory.appendingPathComponent("\(figure.name).png")
            XCTAssertEqual(outcome, .rendered(png: png))
            let bytes = try Data(contentsOf: png)
            XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "\(figure.name).png is a PNG")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no temporary files are left behind")

        // `make figures` re-renders from inside the directory with the script alone.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("loss.png"))
        let process = Process()
        process.executableURL = gnuplot.executable
        process.currentDirectoryURL = directory
        process.arguments = ["loss.gp"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("loss.png").path))
    }

    func testAFailingRenderReportsGnuplotsMessage() throws {
        guard let gnuplot = Gnuplot.locate() else { throw XCTSkip("gnuplot is not installed") }
        let directory = try temporaryDirectory()
        let script = directory.appendingPathComponent("broken.gp")
        try "set output outfile\nplot 'missing.dat' using 1:2\n".write(to: script, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try gnuplot.render(script: script, to: directory.appendingPathComponent("broken.png"))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("gnuplot broken.gp failed: "), message)
            XCTAssertTrue(message.contains("missing.dat"), message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("broken.png").path))
    }
}
