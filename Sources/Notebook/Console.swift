import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a chapter's text goes: standard output (the default) or a buffer (in tests).
///
/// It knows whether it writes to a terminal, which decides how wide prose is wrapped and
/// whether a progress line redraws itself in place (`\r`) or prints plain lines for logs.
public final class Console {
    /// True when the text goes to a terminal rather than to a file or a pipe.
    public let isTerminal: Bool
    /// The width prose and boxes are wrapped to.
    public let width: Int
    private let sink: (String) -> Void
    /// True while a progress line is on screen without its newline.
    private var lineIsOpen = false

    /// Prose is wrapped to the terminal's width, but no wider than this: long lines are
    /// hard to read, and 100 columns keep a chapter's text comfortable on a wide screen.
    public static let maximumWidth = 100
    /// The width used when the output is not a terminal (logs, files, CI).
    public static let defaultWidth = 88

    /// A console writing to `sink`, for tests and for capturing a chapter's text.
    public init(width: Int = Console.defaultWidth, isTerminal: Bool = false, sink: @escaping (String) -> Void) {
        self.width = width
        self.isTerminal = isTerminal
        self.sink = sink
    }

    /// The process's standard output, flushed after every write so that text and
    /// progress lines appear in order even when stdout is a pipe.
    public static func standardOutput() -> Console {
        let terminal = isatty(STDOUT_FILENO) == 1
        var width = defaultWidth
        if terminal {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 {
                width = min(Int(size.ws_col), maximumWidth)
            }
        }
        return Console(width: width, isTerminal: terminal) { text in
            print(text, terminator: "")
            fflush(nil)
        }
    }

    /// Writes `line` and a newline, ending a progress line first if one is open.
    public func line(_ line: String = "") {
        closeOpenLine()
        sink(line + "\n")
    }

    /// Replaces the open progress line with `text` (terminal only): carriage return,
    /// clear to the end of the line, the text, and no newline.
    func redraw(_ text: String) {
        sink("\r\u{1B}[2K" + text)
        lineIsOpen = true
    }

    /// Ends an open progress line so that the next text starts on a fresh line.
    func closeOpenLine() {
        if lineIsOpen {
            sink("\n")
            lineIsOpen = false
        }
    }

    /// Writes one line to standard error (messages that must not mix with results).
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
