import Foundation

/// What makes a figure readable, decided from its data by one set of rules instead of figure
/// by figure:
/// - the legend (gnuplot's key) sits below the plot, outside the plot area, so it never covers
///   data, and the canvas grows by the key's rows so the plot area keeps its size.
///
/// Widths are estimates in pixels of the PNG, for gnuplot's `Sans,11` font at the base size.
struct FigureLayout {
    /// The estimated width of the plot area at the base canvas width (the canvas less the
    /// margins that hold the y axis's tics and label).
    static let plotWidth = 680.0
    /// The width gnuplot itself allows a character when it lays out the key.
    static let keyCharacterWidth = 9.0
    /// The height of a line of text: one row of the key, one line of a tic label.
    static let lineHeight = 17.0
    /// The length of a key entry's line sample, in characters.
    static let keySample = 2

    /// The legend's layout below the plot.
    struct Key: Equatable {
        var entries: Int
        var columns: Int
        var rows: Int { entries == 0 ? 0 : (entries + columns - 1) / columns }
    }

    var key: Key
    /// The canvas in pixels.
    var size: (width: Int, height: Int)

    init(_ figure: Figure) {
        var titles = figure.references.filter { $0.orientation == .horizontal }.map(\.label)
        switch figure.content {
        case .lines(let series), .scatter(let series), .bars(_, let series):
            titles = series.map(\.label) + titles
        case .histogram(let samples, _):
            titles = samples.map(\.label) + titles
        }
        key = Self.key(titles: titles)
        // The key's rows, and the line of space above them (`height 1`).
        let extra = key.entries == 0 ? 0 : Double(key.rows + 1) * Self.lineHeight
        size = (FigureScript.size.width, FigureScript.size.height + Int(extra.rounded(.up)))
    }

    /// The gnuplot command that places the key: below the plot and its x label, centred,
    /// sample then label, in as many columns as fit the width, with a line of space above it
    /// (`height 1`: without it the first row touches the x label).
    var keyCommand: String {
        key.entries == 0 ? "unset key"
            : "set key outside below center horizontal Left reverse samplen \(Self.keySample) maxcols \(key.columns) height 1"
    }

    // MARK: - The rules

    /// The key for these entry titles: as many columns as fit the plot's width.
    static func key(titles: [String]) -> Key {
        guard !titles.isEmpty else { return Key(entries: 0, columns: 1) }
        let longest = titles.map(\.count).max() ?? 0
        let column = Double(longest + keySample + 4) * keyCharacterWidth
        return Key(entries: titles.count, columns: max(1, min(titles.count, Int(plotWidth / column))))
    }
}
