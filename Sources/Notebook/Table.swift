/// A value that can sit in a result table: text is left-aligned, numbers right-aligned.
public protocol TableValue {
    /// The text shown in the cell.
    var tableText: String { get }
    /// The number behind the cell, if it is one; numbers are logged to the metrics file.
    var tableNumber: Double? { get }
}

extension String: TableValue {
    public var tableText: String { self }
    public var tableNumber: Double? { nil }
}

extension Substring: TableValue {
    public var tableText: String { String(self) }
    public var tableNumber: Double? { nil }
}

extension Int: TableValue {
    public var tableText: String { String(self) }
    public var tableNumber: Double? { Double(self) }
}

extension Double: TableValue {
    public var tableText: String { ProgressFormat.scalar(self) }
    public var tableNumber: Double? { self }
}

extension Float: TableValue {
    public var tableText: String { ProgressFormat.scalar(Double(self)) }
    public var tableNumber: Double? { Double(self) }
}

/// Lays out a result table as aligned text columns:
///
///     model       loss (nats)  gold score
///     ----------  -----------  ----------
///     pretrained        3.412        0.21
///     SFT               2.187        0.47
///
/// Units belong in the column headers ("loss (nats)"), so the cells hold bare numbers.
public enum TableLayout {
    /// The table as lines of text, two spaces between columns. Rows shorter than the
    /// header are padded with empty cells; a column is right-aligned when every
    /// non-empty cell in it is a number.
    public static func render(columns: [String], rows: [[any TableValue]]) -> [String] {
        let count = max(columns.count, rows.map(\.count).max() ?? 0)
        let header = columns + Array(repeating: "", count: count - columns.count)
        let cells: [[String]] = rows.map { row in
            row.map(\.tableText) + Array(repeating: "", count: count - row.count)
        }
        var numeric = Array(repeating: true, count: count)
        for row in rows {
            for (index, value) in row.enumerated() where value.tableNumber == nil && !value.tableText.isEmpty {
                numeric[index] = false
            }
        }
        var widths = header.map(\.count)
        for row in cells {
            for (index, text) in row.enumerated() { widths[index] = max(widths[index], text.count) }
        }
        func line(_ texts: [String], alignNumbers: Bool) -> String {
            var parts: [String] = []
            for (index, text) in texts.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - text.count)
                parts.append(alignNumbers && numeric[index] ? padding + text : text + padding)
            }
            var joined = parts.joined(separator: "  ")
            while joined.hasSuffix(" ") { joined.removeLast() }
            return joined
        }
        var lines = [line(header, alignNumbers: true)]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += cells.map { line($0, alignNumbers: true) }
        return lines
    }
}
