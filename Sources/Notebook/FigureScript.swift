import Foundation

/// Turns a ``Figure`` into the two text files gnuplot needs: the data (`NAME.dat`) and the
/// script (`NAME.gp`).
///
/// The data file holds one block per series, separated by two blank lines, so the script
/// picks series with gnuplot's `index`. The script reads the data by its bare file name,
/// so it renders from inside the figure's directory: `cd Figures/01-pretrained-model &&
/// gnuplot loss.gp` writes `loss.png` there (this is what `make figures` does). The output
/// file can be redirected with `gnuplot -e "outfile='other.png'" loss.gp`.
public enum FigureScript {
    /// The PNG size in pixels: readable on a laptop screen and in a README. This is the
    /// base: a figure's canvas grows taller by its key's rows and its category labels
    /// (``FigureLayout``).
    public static let size = (width: 800, height: 500)

    /// The contents of `NAME.dat`.
    public static func data(for figure: Figure) throws -> String {
        try validate(figure)
        return blocks(for: figure).joined(separator: "\n\n\n") + "\n"
    }

    /// The data blocks of a figure, one per `index` its script plots; a multi-panel figure's
    /// are its panels' blocks one after the other.
    static func blocks(for figure: Figure) -> [String] {
        var blocks: [String] = []
        switch figure.content {
        case .panels(let panels, _):
            blocks = panels.flatMap { self.blocks(for: $0) }
        case .lines(let series), .scatter(let series):
            for (index, s) in series.enumerated() {
                var lines = ["# series \(index): \(s.label)",
                             s.spread == nil ? "# x y" : "# x y spread"]
                for i in s.x.indices {
                    var row = [number(s.x[i]), number(s.y[i])]
                    if let spread = s.spread { row.append(number(spread[i])) }
                    lines.append(row.joined(separator: " "))
                }
                blocks.append(lines.joined(separator: "\n"))
            }
        case .histogram(let samples, let bins):
            let edges = histogramEdges(samples, bins: bins)
            for (index, sample) in samples.enumerated() {
                let fractions = histogramFractions(sample.values, edges: edges)
                var lines = ["# series \(index): \(sample.label) (\(sample.values.count) values)",
                             "# bin_center fraction"]
                for bin in 0..<fractions.count {
                    lines.append("\(number((edges.low + (Double(bin) + 0.5) * edges.width))) \(number(fractions[bin]))")
                }
                blocks.append(lines.joined(separator: "\n"))
            }
        case .bars(let categories, let series):
            var lines = ["# category " + series.map { quoted($0.label) }.joined(separator: " ")]
            for (i, category) in categories.enumerated() {
                lines.append(([quoted(category)] + series.map { number($0.y[i]) }).joined(separator: " "))
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        return blocks
    }

    /// The contents of `NAME.gp`, laid out by ``FigureLayout``'s rules: the key below the
    /// plot, points for single-point series, log axes where values span decades, ranges that
    /// hold every point and reference, category labels that do not collide.
    public static func script(for figure: Figure) throws -> String {
        try validate(figure)
        let dat = "\(figure.name).dat"
        var lines = [
            "# \(figure.title)",
            "# Render from this directory: gnuplot \(figure.name).gp  (writes \(figure.name).png)",
            "if (!exists(\"outfile\")) outfile = '\(figure.name).png'",
        ]
        guard case .panels(let panels, let columns) = figure.content else {
            let layout = FigureLayout(figure)
            lines += ["set terminal pngcairo size \(layout.size.width),\(layout.size.height) noenhanced font 'Sans,11'",
                      "set output outfile"]
            return (lines + plot(figure, data: dat, firstIndex: 0)).joined(separator: "\n") + "\n"
        }
        // One canvas of `columns` base-sized panels a row, each as tall as the tallest panel
        // (a panel's key and labels add to its height), plus a line for the overall title.
        let layouts = panels.map(FigureLayout.init)
        let rows = (panels.count + columns - 1) / columns
        let panelHeight = layouts.map(\.size.height).max() ?? size.height
        let width = size.width * min(columns, panels.count)
        let height = rows * panelHeight + Int(FigureLayout.lineHeight * 2)
        lines += ["set terminal pngcairo size \(width),\(height) noenhanced font 'Sans,11'",
                  "set output outfile",
                  "set multiplot layout \(rows),\(columns) title \(quote(figure.title))"]
        var firstIndex = 0
        for (number, panel) in panels.enumerated() {
            // Each panel starts from gnuplot's defaults (reset keeps the terminal and output).
            if number > 0 { lines.append("reset") }
            lines += plot(panel, data: dat, firstIndex: firstIndex)
            firstIndex += blocks(for: panel).count
        }
        lines.append("unset multiplot")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The commands that draw one plot (a whole figure, or one panel) from the data blocks
    /// starting at `firstIndex` of `data`.
    static func plot(_ figure: Figure, data dat: String, firstIndex: Int) -> [String] {
        let layout = FigureLayout(figure)
        var lines = [
            "set title \(quote(figure.title))",
            "set xlabel \(quote(figure.x.title))",
            "set ylabel \(quote(figure.y.title))",
            layout.keyCommand,
            "set grid",
        ]
        // Log axes get plain tick labels ("10", "0.01"), not gnuplot's "10.000000".
        if layout.xLogarithmic { lines += ["set logscale x", "set format x '%g'"] }
        if layout.yLogarithmic { lines += ["set logscale y", "set format y '%g'"] }
        for (axis, range, logarithmic) in [("x", layout.xRange, layout.xLogarithmic), ("y", layout.yRange, layout.yLogarithmic)] {
            guard let range else { continue }
            lines.append("set \(axis)range [\(number(range.low)):\(number(range.high))]")
            if logarithmic, let tics = FigureLayout.logTics(range) {
                lines.append("set \(axis)tics (" + tics.map(number).joined(separator: ", ") + ")")
            }
        }
        var plots: [String] = []
        switch figure.content {
        case .lines(let series):
            lines.append("set style fill transparent solid 0.2 noborder")
            for (index, s) in series.enumerated() where s.spread != nil && !FigureLayout.drawsAsPoint(s) {
                plots.append("'\(dat)' index \(firstIndex + index) using 1:($2-$3):($2+$3) with filledcurves lc \(index + 1) notitle")
            }
            for (index, s) in series.enumerated() {
                let style = !FigureLayout.drawsAsPoint(s) ? "using 1:2 with lines lw 2"
                    : s.spread == nil ? "using 1:2 with points \(FigureLayout.singlePoint)"
                    : "using 1:2:3 with yerrorbars \(FigureLayout.singlePoint)"
                plots.append("'\(dat)' index \(firstIndex + index) \(style) lc \(index + 1) title \(quote(s.label))")
            }
        case .scatter(let series):
            for (index, s) in series.enumerated() {
                let size = FigureLayout.drawsAsPoint(s) ? FigureLayout.singlePoint : "pt 7 ps 0.6"
                plots.append("'\(dat)' index \(firstIndex + index) using 1:2 with points \(size) lc \(index + 1) title \(quote(s.label))")
            }
        case .histogram(let samples, let bins):
            let edges = histogramEdges(samples, bins: bins)
            lines.append("set style fill transparent solid 0.35 border")
            lines.append("set boxwidth \(number(edges.width)) absolute")
            for (index, sample) in samples.enumerated() {
                plots.append("'\(dat)' index \(firstIndex + index) using 1:2 with boxes lc \(index + 1) title \(quote(sample.label))")
            }
        case .bars(_, let series):
            lines.append("set style data histograms")
            lines.append("set style histogram clustered gap 1")
            lines.append("set style fill solid 0.8 border -1")
            var labelsFromData = true
            switch layout.categoryLabels {
            case .horizontal:
                lines.append("set xtics nomirror")
            case .rotated(let degrees):
                lines.append("set xtics nomirror rotate by \(degrees) right")
            case .wrapped(let labels):
                // Written here, not read from the data, so "\n" breaks the line.
                let list = labels.enumerated().map { "\(doubleQuote($0.element)) \($0.offset)" }
                lines.append("set xtics nomirror (" + list.joined(separator: ", ") + ")")
                labelsFromData = false
            }
            for (index, s) in series.enumerated() {
                let using = index == 0 && labelsFromData ? "using 2:xtic(1)" : "using \(index + 2)"
                let source = firstIndex == 0 ? "'\(dat)'" : "'\(dat)' index \(firstIndex)"
                plots.append("\(source) \(using) lc \(index + 1) title \(quote(s.label))")
            }
        case .panels:
            preconditionFailure("FigureScript.plot: a panel holds no panels (validate rejects them)")
        }
        var dash = 2
        for reference in figure.references {
            switch reference.orientation {
            case .horizontal:
                plots.append("\(number(reference.value)) with lines dt \(dash) lw 1.5 lc rgb '#333333' title \(quote(reference.label))")
            case .diagonal:
                plots.append("x with lines dt \(dash) lw 1.5 lc rgb '#333333' title \(quote(reference.label))")
            case .vertical:
                lines.append("set arrow from first \(number(reference.value)), graph 0 to first \(number(reference.value)), graph 1 nohead dt \(dash) lw 1.5 lc rgb '#333333' front")
                // The label on the side of the line with more room, so it stays on the canvas.
                let side = layout.labelGoesLeft(ofLineAt: reference.value) ? "right offset -0.5,0" : "offset 0.5,0"
                lines.append("set label \(quote(reference.label)) at first \(number(reference.value)), graph 0.96 \(side) front")
            }
            dash = dash % 5 + 2
        }
        lines.append("plot " + plots.joined(separator: ", \\\n     "))
        return lines
    }

    // MARK: - Histogram binning

    /// Equal-width bins spanning every value of every sample (non-finite values are left out).
    /// When all values are equal, one unit-wide range is centred on them.
    static func histogramEdges(_ samples: [PlotSample], bins: Int) -> (low: Double, width: Double, count: Int) {
        let finite = samples.flatMap(\.values).filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if high <= low { low -= 0.5; high += 0.5 }
        let count = max(1, bins)
        return (low, (high - low) / Double(count), count)
    }

    /// The fraction of `values` in each bin; the maximum falls in the last bin.
    static func histogramFractions(_ values: [Double], edges: (low: Double, width: Double, count: Int)) -> [Double] {
        var counts = Array(repeating: 0, count: edges.count)
        var total = 0
        for value in values where value.isFinite {
            let bin = min(edges.count - 1, max(0, Int((value - edges.low) / edges.width)))
            counts[bin] += 1
            total += 1
        }
        return counts.map { total > 0 ? Double($0) / Double(total) : 0 }
    }

    // MARK: - Checks and text

    /// Throws when the figure's data cannot be drawn: no series, an empty series, or
    /// x, y and spread of different lengths.
    static func validate(_ figure: Figure) throws {
        func fail(_ problem: String) -> FigureError { FigureError(description: "figure \(figure.name): \(problem)") }
        guard !figure.name.isEmpty, !figure.name.contains("/") else {
            throw fail("the name must be a plain file name without '/'")
        }
        switch figure.content {
        case .panels(let panels, let columns):
            guard !panels.isEmpty, columns >= 1 else { throw fail("no panels, or fewer than one column") }
            for panel in panels {
                if case .panels = panel.content { throw fail("panel '\(panel.title)' holds panels itself") }
                try validate(Figure(name: figure.name, title: panel.title, x: panel.x, y: panel.y, content: panel.content,
                                    references: panel.references))
            }
        case .lines(let series), .scatter(let series):
            guard !series.isEmpty else { throw fail("no series to draw") }
            for s in series {
                guard !s.x.isEmpty else { throw fail("series '\(s.label)' is empty") }
                guard s.x.count == s.y.count else {
                    throw fail("series '\(s.label)' has \(s.x.count) x values but \(s.y.count) y values")
                }
                if let spread = s.spread, spread.count != s.y.count {
                    throw fail("series '\(s.label)' has \(s.y.count) y values but \(spread.count) spreads")
                }
            }
        case .histogram(let samples, let bins):
            guard !samples.isEmpty else { throw fail("no samples to draw") }
            guard bins >= 1 else { throw fail("a histogram needs at least one bin, not \(bins)") }
            for s in samples where !s.values.contains(where: \.isFinite) {
                throw fail("sample '\(s.label)' has no finite values")
            }
        case .bars(let categories, let series):
            guard !categories.isEmpty, !series.isEmpty else { throw fail("no categories or no series to draw") }
            for s in series where s.y.count != categories.count {
                throw fail("series '\(s.label)' has \(s.y.count) values for \(categories.count) categories")
            }
        }
    }

    /// A number as the data file holds it: enough digits to round-trip a Float, and NaN
    /// (which gnuplot skips as undefined) for non-finite values.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "NaN" }
        return String(format: "%.9g", x)
    }

    /// A gnuplot single-quoted string (a quote inside is written twice).
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A gnuplot double-quoted string, in which "\n" breaks the line (a backslash or double
    /// quote inside is escaped).
    static func doubleQuote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    /// A data-file text field in double quotes (inner double quotes become single ones).
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "'") + "\""
    }
}
