import Foundation

/// Wraps prose to a width, the way a notebook's markdown cell is rendered in a terminal.
///
/// The text is read as markdown-like paragraphs:
/// - paragraphs are separated by blank lines, and their lines are joined and re-filled;
/// - a line starting with `- `, `* `, `• ` or `1. ` starts a list item, whose continuation
///   lines are indented under its first word (a hanging indent);
/// - a line indented by two or more spaces (or a tab) is code or math and is kept as it is,
///   never re-filled; so is a line starting with `|` (a small hand-written table).
public enum TextWrapping {
    /// `text` filled to at most `width` columns (a single word longer than that stays whole).
    public static func wrap(_ text: String, width: Int) -> String {
        var output: [String] = []
        var words: [Substring] = []   // the paragraph or list item being filled
        var firstIndent = ""
        var hangingIndent = ""

        func flush() {
            if !words.isEmpty {
                output += fill(words, width: width, firstIndent: firstIndent, hangingIndent: hangingIndent)
            }
            words = []
            firstIndent = ""
            hangingIndent = ""
        }

        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.replacingTabs()
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.isEmpty {
                flush()
                if output.last != "" { output.append("") }
            } else if line.hasPrefix("  ") || trimmed.hasPrefix("|") {
                flush()
                output.append(String(line))
            } else if let marker = listMarker(trimmed) {
                flush()
                firstIndent = ""
                hangingIndent = String(repeating: " ", count: marker.count)
                words = [Substring(marker.trimmingTrailingSpace())] + trimmed.dropFirst(marker.count).split(separator: " ")
            } else {
                words += trimmed.split(separator: " ")
            }
        }
        flush()
        while output.first == "" { output.removeFirst() }
        while output.last == "" { output.removeLast() }
        return output.joined(separator: "\n")
    }

    /// The list marker (with its trailing space) that starts `line`, if any.
    static func listMarker(_ line: Substring) -> String? {
        for bullet in ["- ", "* ", "• "] where line.hasPrefix(bullet) { return bullet }
        let digits = line.prefix(while: { $0.isNumber })
        if !digits.isEmpty, digits.count <= 3 {
            let rest = line.dropFirst(digits.count)
            if rest.hasPrefix(". ") || rest.hasPrefix(") ") { return String(digits) + String(rest.prefix(2)) }
        }
        return nil
    }

    /// Greedy line filling: as many words per line as fit in `width`.
    static func fill(_ words: [Substring], width: Int, firstIndent: String, hangingIndent: String) -> [String] {
        var lines: [String] = []
        var current = firstIndent
        var currentHasWord = false
        for word in words {
            if currentHasWord && current.count + 1 + word.count > width {
                lines.append(current)
                current = hangingIndent
                currentHasWord = false
            }
            current += (currentHasWord ? " " : "") + word
            currentHasWord = true
        }
        if currentHasWord { lines.append(current) }
        return lines
    }
}

extension StringProtocol {
    fileprivate func replacingTabs() -> String {
        String(self).replacingOccurrences(of: "\t", with: "    ")
    }

    fileprivate func trimmingTrailingSpace() -> String {
        var s = String(self)
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
