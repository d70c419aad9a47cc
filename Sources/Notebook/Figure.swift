import Foundation

/// An axis of a figure: its label and unit, shown as "label (unit)", and its scale.
public struct PlotAxis: Sendable {
    /// How values are laid out along the axis.
    public enum Scale: Sendable {
        /// Logarithmic when every value drawn on the axis is positive and they span more than
        /// two decades (largest / smallest > 100); linear otherwise.
        case automatic
        /// Always linear.
        case linear
        /// Logarithmic whenever every value drawn on the axis is positive (a log axis cannot
        /// show zero or a negative value, so the axis stays linear rather than drop points).
        case logarithmic
    }

    public var label: String
    public var unit: String?
    public var scale: Scale

    /// An axis whose scale follows its data (see ``Scale/automatic``).
    public init(_ label: String, unit: String? = nil, scale: Scale = .automatic) {
        self.label = label
        self.unit = unit
        self.scale = scale
    }

    /// An axis asked to be logarithmic (for losses over orders of magnitude, say) or linear.
    public init(_ label: String, unit: String? = nil, logarithmic: Bool) {
        self.init(label, unit: unit, scale: logarithmic ? .logarithmic : .linear)
    }

    /// The text gnuplot prints on the axis.
    public var title: String { unit.map { "\(label) (\($0))" } ?? label }
}

/// One curve or point cloud: a label for the legend, x and y values, and optionally a
/// spread per point (a standard deviation across seeds, say) drawn as a band y ± spread.
public struct PlotSeries: Sendable {
    public var label: String
    public var x: [Double]
    public var y: [Double]
    public var spread: [Double]?

    public init(_ label: String, x: [Double], y: [Double], spread: [Double]? = nil) {
        self.label = label
        self.x = x
        self.y = y
        self.spread = spread
    }

    /// A series over steps 1, 2, ..., y.count.
    public init(_ label: String, y: [Double], spread: [Double]? = nil) {
        self.init(label, x: y.indices.map { Double($0 + 1) }, y: y, spread: spread)
    }
}

/// A set of values for a histogram, with the label the legend shows.
public struct PlotSample: Sendable {
    public var label: String
    public var values: [Double]

    public init(_ label: String, values: [Double]) {
        self.label = label
        self.values = values
    }
}

/// A straight dashed line across the plot marking a reference value (the unigram entropy,
/// a KL limit, the annotators' agreement) or the diagonal y = x (a prediction against what
/// was realized). Horizontal and diagonal lines appear in the legend; vertical ones carry
/// their label at the top of the plot.
public struct ReferenceLine: Sendable {
    public enum Orientation: Sendable {
        case horizontal, vertical
        /// The line y = x; `value` is unused (0).
        case diagonal
    }
    public var orientation: Orientation
    public var value: Double
    public var label: String

    /// A horizontal line at `y`.
    public static func horizontal(_ y: Double, _ label: String) -> ReferenceLine {
        ReferenceLine(orientation: .horizontal, value: y, label: label)
    }

    /// A vertical line at `x`.
    public static func vertical(_ x: Double, _ label: String) -> ReferenceLine {
        ReferenceLine(orientation: .vertical, value: x, label: label)
    }

    /// The diagonal y = x, where a point's y equals its x. Both axes then share one range,
    /// so the line runs corner to corner and distances above and below it compare.
    public static func diagonal(_ label: String = "y = x") -> ReferenceLine {
        ReferenceLine(orientation: .diagonal, value: 0, label: label)
    }
}

/// A figure a chapter draws: its kind and data, title, axes and reference lines.
/// ``FigureWriter`` turns it into `NAME.dat`, `NAME.gp` and `NAME.png`; ``FigureLayout``
/// decides what makes it readable (the legend below the plot, scales, ranges, labels).
public struct Figure: Sendable {
    /// What is drawn.
    public enum Content: Sendable {
        /// Curves, one per series, each with an optional band y ± spread.
        case lines([PlotSeries])
        /// Points, one colour per series.
        case scatter([PlotSeries])
        /// Overlaid histograms over shared bins; bar heights are fractions of each sample.
        /// Both axes stay linear, whatever their scale: the bins are of equal width.
        case histogram([PlotSample], bins: Int)
        /// Clustered bars: one group per category, one bar per series in each group
        /// (`PlotSeries.y[i]` is the height for `categories[i]`; `PlotSeries.x` is unused).
        case bars(categories: [String], [PlotSeries])
        /// Several plots in one image (gnuplot's multiplot), in rows of `columns`, each a
        /// figure of its own kind with its own title, axes, ranges and key. A panel holds no
        /// panels itself; the panels' names are not used.
        indirect case panels([Figure], columns: Int)
    }

    /// The file name without extension: `loss` gives `loss.dat`, `loss.gp`, `loss.png`.
    public var name: String
    public var title: String
    public var x: PlotAxis
    public var y: PlotAxis
    public var content: Content
    public var references: [ReferenceLine]

    public init(name: String, title: String, x: PlotAxis, y: PlotAxis, content: Content,
                references: [ReferenceLine] = []) {
        self.name = name
        self.title = title
        self.x = x
        self.y = y
        self.content = content
        self.references = references
    }

    /// Curves over a shared kind of x (steps, KL, beta), with optional bands.
    public static func lines(_ name: String, title: String, x: PlotAxis, y: PlotAxis, series: [PlotSeries],
                             references: [ReferenceLine] = []) -> Figure {
        Figure(name: name, title: title, x: x, y: y, content: .lines(series), references: references)
    }

    /// A scatter plot (reward model score against gold score, say).
    public static func scatter(_ name: String, title: String, x: PlotAxis, y: PlotAxis, series: [PlotSeries],
                               references: [ReferenceLine] = []) -> Figure {
        Figure(name: name, title: title, x: x, y: y, content: .scatter(series), references: references)
    }

    /// Histograms of several samples over the same bins, overlaid with transparency.
    public static func histogram(_ name: String, title: String, x: PlotAxis, samples: [PlotSample], bins: Int = 30,
                                 y: PlotAxis = PlotAxis("fraction of samples"), references: [ReferenceLine] = []) -> Figure {
        Figure(name: name, title: title, x: x, y: y, content: .histogram(samples, bins: bins),
               references: references)
    }

    /// A bar chart: categories along x, one bar per series in each category.
    public static func bars(_ name: String, title: String, categories: [String], x: PlotAxis = PlotAxis(""), y: PlotAxis,
                            series: [PlotSeries], references: [ReferenceLine] = []) -> Figure {
        Figure(name: name, title: title, x: x, y: y, content: .bars(categories: categories, series),
               references: references)
    }
}

extension Figure {
    /// Several figures side by side in one image, `columns` to a row, under one title: one
    /// panel per run or per setting, where a single plot would hold too many crossing curves.
    /// Each panel keeps its own axes and ranges, so read the tics before comparing heights.
    public static func panels(_ name: String, title: String, panels: [Figure], columns: Int = 2) -> Figure {
        Figure(name: name, title: title, x: PlotAxis(""), y: PlotAxis(""), content: .panels(panels, columns: columns))
    }
}

/// A figure whose data cannot be drawn; the message names the figure and the problem.
public struct FigureError: Error, CustomStringConvertible {
    public let description: String
}
