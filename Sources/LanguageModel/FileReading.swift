import Foundation

/// What every loader of the course does first and last: read a file's bytes, split text
/// into lines, and report a problem on one line.
///
/// A learner hands the chapters files that were truncated by a full disk, edited by hand,
/// written by another tool or left by a killed run. Each loader answers a bad file with one
/// line that names the file and the problem, and these helpers keep that promise for the
/// parts all loaders share.
public enum FileBytes {
    /// Why a file could not be read, in a few words: "no such file", "it is a directory,
    /// not a file", "permission denied".
    public struct Unreadable: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// The bytes of the file at `url`. `mapped` maps a large file instead of copying it.
    /// (Foundation on Linux says only "The operation could not be completed" when the path
    /// is a directory, so the usual reasons are checked first.)
    public static func read(_ url: URL, mapped: Bool = false) throws(Unreadable) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw Unreadable(reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw Unreadable(reason: "it is a directory, not a file") }
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw Unreadable(reason: "permission denied") }
        do {
            return try Data(contentsOf: url, options: mapped ? .mappedIfSafe : [])
        } catch {
            throw Unreadable(reason: error.localizedDescription)
        }
    }
}

extension String {
    /// The string with line breaks and other control characters written as escapes
    /// (`\n`, `\r`, `\u{7}`), so that a message quoting a name taken from a file (a tensor
    /// name, a dtype, a path) stays on one line whatever the file holds.
    public var singleLine: String {
        var result = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}":
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The lines of a text file, ending in LF or in Windows' CRLF. (Swift reads "\r\n" as a
    /// single character, so splitting on "\n" alone would see a CRLF file as one long line.)
    /// A final line break does not start another line.
    public var fileLines: [Substring] {
        var lines = split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}
