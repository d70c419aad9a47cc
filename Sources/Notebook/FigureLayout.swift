import Foundation

/// What makes a figure readable, decided from its data by one set of rules instead of figure
/// by figure:
/// - the legend (gnuplot's key) sits below the plot, outside the plot area, so it never covers
///   data, and the canvas grows by the key's rows so the plot area keeps its size;
/// - a series of a single point is drawn as a point big enough to see (a line through one
///   point draws nothing);
/// - an axis whose values are all positive and span more than two decades is logarithmic,
///   and an axis holding zero or a negative value is linear (``PlotAxis/Scale``);
/// - each axis range holds every point, band and reference line, so nothing falls off;
///   with a diagonal (y = x) reference, x and y share one range;
/// - category labels too wide for their place under a group of bars are wrapped at spaces,
///   or rotated when a word alone is too wide.
///
/// Widths are estimates in pixels of the PNG, for gnuplot's `Sans,11` font at the base size.
struct FigureLayout {
    /// The estimated width of the plot area at the base canvas width (the canvas less the
    /// margins that hold the y axis's tics and label).
    static let plotWidth = 680.0
    /// The width of an average character of the figure's font, a little generous.
    static let characterWidth = 8.0
    /// The width gnuplot itself allows a character when it lays out the key.
    static let keyCharacterWidth = 9.0
    /// The height of a line of text: one row of the key, one line of a tic label.
    static let lineHeight = 17.0
    /// The length of a key entry's line sample, in characters.
    static let keySample = 2
    /// A series of one point is drawn with this point type (a filled circle) and size.
    static let singlePoint = "pt 7 ps 1.5"

    /// The legend's layout below the plot.
    struct Key: Equatable {
        var entries: Int
        var columns: Int
        var rows: Int { entries == 0 ? 0 : (entries + columns - 1) / columns }
    }

    /// How the category labels under a bar chart are written.
    enum CategoryLabels: Equatable {
        /// On one line each: every label fits its place.
        case horizontal
        /// Each label broken at spaces onto lines (joined by "\n") that fit its place.
        case wrapped([String])
        /// Turned by this many degrees, ending at their tic: a word alone does not fit.
        case rotated(degrees: Int)
    }

    var xLogarithmic = false
    var yLogarithmic = false
    var xRange: (low: Double, high: Double)?
    var yRange: (low: Double, high: Double)?
    var key: Key
    var categoryLabels = CategoryLabels.horizontal
    /// The canvas in pixels.
    var size: (width: Int, height: Int)

    init(_ figure: Figure) {
        let horizontal = figure.references.filter { $0.orientation == .horizontal }.map(\.value)
        let vertical = figure.references.filter { $0.orientation == .vertical }.map(\.value)
        var titles = figure.references.filter { $0.orientation != .vertical }.map(\.label)
        let diagonal = figure.references.contains { $0.orientation == .diagonal }
        switch figure.content {
        case .lines(let series), .scatter(let series):
            titles = series.map(\.label) + titles
            let xs = series.flatMap(\.x) + vertical
            let ys = series.flatMap { s in s.y + (s.spread.map { zip(s.y, $0).flatMap { [$0 - $1, $0 + $1] } } ?? []) } + horizontal
            xLogarithmic = Self.isLogarithmic(figure.x.scale, values: xs)
            yLogarithmic = Self.isLogarithmic(figure.y.scale, values: ys)
            // Curves over steps fill the width; a cloud, or a lone point, keeps off the border.
            let cloud: Bool = { if case .scatter = figure.content { return true } else { return false } }()
            let xMargin = cloud || series.contains(where: Self.drawsAsPoint) ? 0.04 : 0
            xRange = Self.range(xs, logarithmic: xLogarithmic, margin: xMargin)
            yRange = Self.range(ys, logarithmic: yLogarithmic, margin: 0.05)
            // y = x runs corner to corner when both axes show the same span on the same scale.
            if diagonal {
                let shared = xLogarithmic && yLogarithmic
                if shared || (!xLogarithmic && !yLogarithmic) {
                    xRange = Self.range(xs + ys, logarithmic: shared, margin: 0.05)
                    yRange = xRange
                }
            }
        case .histogram(let samples, let bins):
            titles = samples.map(\.label) + titles
            let edges = FigureScript.histogramEdges(samples, bins: bins)
            let tallest = samples.map { FigureScript.histogramFractions($0.values, edges: edges).max() ?? 0 }.max() ?? 0
            xRange = Self.range([edges.low, edges.low + Double(edges.count) * edges.width] + vertical,
                                logarithmic: false, margin: 0.02)
            yRange = (0, Self.headroom(([tallest] + horizontal).filter(\.isFinite).max() ?? 0))
        case .bars(let categories, let series):
            titles = series.map(\.label) + titles
            let values = series.flatMap(\.y) + horizontal
            yLogarithmic = Self.isLogarithmic(figure.y.scale, values: values)
            yRange = yLogarithmic ? Self.range(values, logarithmic: true, margin: 0.1) : Self.barRange(values)
            // Groups sit at x = 0, 1, ..., n - 1; a little room beyond the outer ones.
            xRange = (-0.6, Double(categories.count) - 0.4)
            categoryLabels = Self.categoryLabels(categories)
        case .panels:
            break   // each panel has a layout of its own (FigureScript.script)
        }
        key = Self.key(titles: titles)
        // The key's rows, and the line of space above them (`height 1`).
        var extra = key.entries == 0 ? 0 : Double(key.rows + 1) * Self.lineHeight
        if case .bars(let categories, _) = figure.content {
            extra += Self.labelHeight(categoryLabels, categories: categories) - Self.lineHeight
        }
        size = (FigureScript.size.width, FigureScript.size.height + Int(extra.rounded(.up)))
    }

    /// The gnuplot command that places the key: below the plot and its x label, centred,
    /// sample then label, in as many columns as fit the width, with a line of space above it
    /// (`height 1`: without it the first row touches the x label).
    var keyCommand: String {
        key.entries == 0 ? "unset key"
            : "set key outside below center horizontal Left reverse samplen \(Self.keySample) maxcols \(key.columns) height 1"
    }

    /// Whether the label of a vertical line at `x` goes on its left, ending at the line:
    /// when the line stands in the right half of the x range, where a label on its right
    /// would run off the plot (a line at the last step, say).
    func labelGoesLeft(ofLineAt x: Double) -> Bool {
        guard let range = xRange, x.isFinite else { return false }
        let position = xLogarithmic ? log10(x / range.low) / log10(range.high / range.low)
                                    : (x - range.low) / (range.high - range.low)
        return position > 0.5
    }

    // MARK: - The rules

    /// Whether an axis with this scale, showing these values, is drawn on a log scale: only
    /// when every finite value is positive; then always for ``PlotAxis/Scale/logarithmic``
    /// and, for ``PlotAxis/Scale/automatic``, when they span more than two decades.
    static func isLogarithmic(_ scale: PlotAxis.Scale, values: [Double]) -> Bool {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), low > 0 else { return false }
        switch scale {
        case .linear: return false
        case .logarithmic: return true
        case .automatic: return high / low > 100
        }
    }

    /// A series with at most one point gnuplot can draw is drawn as a point, not a line.
    static func drawsAsPoint(_ series: PlotSeries) -> Bool {
        zip(series.x, series.y).filter { $0.0.isFinite && $0.1.isFinite }.count <= 1
    }

    /// A range holding every finite value, widened by `margin` of its span on each side
    /// (of its span in decades on a log axis); a range around a single value when all are
    /// equal; nil when no value is finite.
    static func range(_ values: [Double], logarithmic: Bool, margin: Double) -> (low: Double, high: Double)? {
        let finite = values.filter(\.isFinite).map { logarithmic ? log10($0) : $0 }
        guard var low = finite.min(), var high = finite.max() else { return nil }
        if high > low {
            let pad = margin * (high - low)
            low -= pad
            high += pad
        } else {
            let pad = logarithmic ? 0.3 : max(0.5, 0.1 * abs(low))
            low -= pad
            high += pad
        }
        return logarithmic ? (pow(10, low), pow(10, high)) : (low, high)
    }

    /// The tics of a log axis over `range` when it spans less than three decades, where
    /// gnuplot's one tic per decade would label one or two values: the sparsest of 1-2-5,
    /// 1-2-3-5 and every digit times each power of ten that puts at least three tics in the
    /// range. Nil for wider ranges (gnuplot's own tics) and for ranges too narrow for two.
    static func logTics(_ range: (low: Double, high: Double)) -> [Double]? {
        let decades = log10(range.high / range.low)
        guard range.low > 0, decades.isFinite, decades < 3 else { return nil }
        let first = Int(log10(range.low).rounded(.down)), last = Int(log10(range.high).rounded(.up))
        let low = range.low * (1 - 1e-12), high = range.high * (1 + 1e-12)
        func tics(_ mantissas: [Double]) -> [Double] {
            (first...last).flatMap { power in mantissas.map { $0 * pow(10, Double(power)) } }.filter { $0 >= low && $0 <= high }
        }
        let choices = [[1, 2, 5], [1, 2, 3, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]].map(tics)
        guard let densest = choices.last, densest.count >= 2 else { return nil }
        return choices.first { $0.count >= 3 } ?? densest
    }

    /// `top` with ten per cent more room above it (1 when it is zero).
    static func headroom(_ top: Double) -> Double {
        top > 0 ? top * 1.1 : 1
    }

    /// The y range of a bar chart on a linear axis: zero and every value inside, plus a tenth
    /// of the span as a margin on each side that holds a value; [0, 1] when all are zero.
    static func barRange(_ values: [Double]) -> (low: Double, high: Double) {
        let finite = values.filter(\.isFinite)
        let low = min(0, finite.min() ?? 0), high = max(0, finite.max() ?? 0)
        guard high > low else { return (0, 1) }
        let margin = 0.1 * (high - low)
        return (low < 0 ? low - margin : 0, high > 0 ? high + margin : 0)
    }

    /// The key for these entry titles: as many columns as fit the plot's width.
    static func key(titles: [String]) -> Key {
        guard !titles.isEmpty else { return Key(entries: 0, columns: 1) }
        let longest = titles.map(\.count).max() ?? 0
        let column = Double(longest + keySample + 4) * keyCharacterWidth
        return Key(entries: titles.count, columns: max(1, min(titles.count, Int(plotWidth / column))))
    }

    /// Labels that fit their place stay on one line; otherwise each is wrapped at spaces
    /// onto at most three lines that fit; when a word alone is too wide, all are rotated:
    /// by 30 degrees, or upright (90) when the places are too narrow for slanted labels.
    static func categoryLabels(_ categories: [String]) -> CategoryLabels {
        let place = plotWidth / (Double(categories.count) + 0.2)
        let fits = max(1, Int(place / characterWidth) - 1)   // characters, with a space between labels
        if categories.allSatisfy({ $0.count <= fits }) { return .horizontal }
        let wrapped = categories.map { wrap($0, width: fits) }
        if wrapped.allSatisfy({ $0.count <= 3 && $0.allSatisfy { $0.count <= fits } }) {
            return .wrapped(wrapped.map { $0.joined(separator: "\n") })
        }
        // Slanted labels lie sin(30°) of a place apart across their baselines.
        return .rotated(degrees: place * 0.5 >= 1.2 * lineHeight ? 30 : 90)
    }

    /// `text`'s words greedily filled onto lines of at most `width` characters (a longer
    /// word stays whole on a line of its own).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for word in text.split(separator: " ") {
            if let last = lines.last, last.count + 1 + word.count <= width {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append(String(word))
            }
        }
        return lines.isEmpty ? [""] : lines
    }

    /// The height the category labels take under the axis, in pixels.
    static func labelHeight(_ labels: CategoryLabels, categories: [String]) -> Double {
        switch labels {
        case .horizontal:
            return lineHeight
        case .wrapped(let lines):
            return Double(lines.map { $0.split(separator: "\n").count }.max() ?? 1) * lineHeight
        case .rotated(let degrees):
            let angle = Double(degrees) * .pi / 180
            let longest = Double(categories.map(\.count).max() ?? 0) * characterWidth
            return longest * sin(angle) + lineHeight * cos(angle)
        }
    }
}
