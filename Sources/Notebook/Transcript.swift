import Foundation
import TensorCore

/// What a chapter printed, element by element, so that the course can be read as a book
/// without running it: a default run writes `transcript.jsonl` beside its figures
/// (committed like the figures' data), and `make book` turns each transcript into a
/// Markdown page (`BookPage`). Progress lines are left out; everything else is there, with
/// the run's own numbers.
public enum TranscriptEntry: Codable, Equatable, Sendable {
    case heading(String)
    case section(String)
    /// Prose as written in the chapter (paragraphs, lists and indented math lines).
    case prose(String)
    case line(String)
    case result(label: String, value: String)
    case table(title: String?, columns: [String], rows: [[String]])
    case sample(prompt: String, response: String, note: String?, chat: Bool)
    /// A rendered figure: its name (NAME.png beside the transcript) and title.
    case figure(name: String, title: String)
    /// The number the chapter exists to show, for the book's index and the README.
    case headline(String)

    public static let fileName = "transcript.jsonl"

    /// One JSON object per line, keys sorted: the same run, the same bytes.
    public static func jsonLines(_ entries: [TranscriptEntry]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for entry in entries {
            data.append(try encoder.encode(entry))
            data.append(0x0A)
        }
        return data
    }

    /// Reads a transcript; a line that is not an entry throws an error naming the line.
    public static func read(_ data: Data, file: String) throws -> [TranscriptEntry] {
        let decoder = JSONDecoder()
        var entries: [TranscriptEntry] = []
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: true).enumerated() {
            do { entries.append(try decoder.decode(TranscriptEntry.self, from: Data(line))) } catch {
                throw TranscriptError(description: "\(file):\(index + 1): not a transcript entry")
            }
        }
        return entries
    }
}

public struct TranscriptError: Error, LocalizedError, CustomStringConvertible {
    public let description: String
    public var errorDescription: String? { description }
}

/// A chapter's transcript as a Markdown page.
public enum BookPage {
    /// The chapter's heading, its headline and its "done in" line, for the index.
    public static func summary(_ entries: [TranscriptEntry]) -> (title: String, headline: String?, time: String?) {
        var title = "", headline: String? = nil, time: String? = nil
        for entry in entries {
            switch entry {
            case .heading(let text): title = text
            case .headline(let text): headline = text
            case .line(let text) where text.contains(" done in "):
                time = text.components(separatedBy: " done in ").last?.components(separatedBy: ";").first
            default: break
            }
        }
        return (title, headline, time)
    }

    /// The page for `entries`; figures are linked as `figurePath/NAME.png`.
    public static func markdown(_ entries: [TranscriptEntry], figurePath: String) -> String {
        var out: [String] = []
        for entry in entries {
            switch entry {
            case .heading(let title):
                out.append("# \(title)")
            case .section(let heading):
                out.append("## \(heading)")
            case .prose(let text):
                out.append(prose(text))
            case .line(let text):
                out.append("`" + text.replacingOccurrences(of: "`", with: "'") + "`")
            case .result(let label, let value):
                out.append("- **\(escape(label))**: \(escape(value))")
            case .table(let title, let columns, let rows):
                var lines: [String] = []
                if let title { lines.append("*\(escape(title))*") ; lines.append("") }
                lines.append("| " + columns.map(escape).joined(separator: " | ") + " |")
                lines.append("|" + columns.map { _ in " --- |" }.joined())
                for row in rows { lines.append("| " + row.map(escape).joined(separator: " | ") + " |") }
                out.append(lines.joined(separator: "\n"))
            case .sample(let prompt, let response, let note, let chat):
                var lines: [String] = []
                if let note { lines.append("**\(escape(note))**"); lines.append("") }
                lines.append("```text")
                if chat {
                    lines.append("User: \(prompt)")
                    lines.append("")
                    lines.append("Assistant: \(response)")
                } else {
                    lines.append(prompt.isEmpty ? response : "\(prompt)\(response)")
                }
                lines.append("```")
                out.append(lines.joined(separator: "\n"))
            case .figure(let name, let title):
                out.append("![\(escape(title))](\(figurePath)/\(name).png)")
            case .headline(let text):
                out.append("> **\(escape(text))**")
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    /// Prose source to Markdown: indented lines (formulas, steps) become code blocks, the
    /// rest stays as written (paragraphs and "-" lists are already Markdown).
    static func prose(_ text: String) -> String {
        var out: [String] = [], code: [String] = []
        func flushCode() {
            guard !code.isEmpty else { return }
            while code.last == "" { code.removeLast() }
            if let last = out.last, !last.isEmpty { out.append("") }
            out += ["```text"] + code + ["```", ""]
            code = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("    ") {
                code.append(String(line.dropFirst(4)))
            } else if line.isEmpty && !code.isEmpty {
                code.append("")
            } else {
                flushCode()
                if !(line.isEmpty && out.last == "") { out.append(line) }
            }
        }
        flushCode()
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n")
    }

    /// Markdown table cells and emphasis cannot hold a bare `|` or a line break.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
