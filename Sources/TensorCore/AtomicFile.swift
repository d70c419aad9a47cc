import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader never sees half of one: the bytes go to a temporary file
/// in the same directory, which `rename(2)` then moves over the target. POSIX promises the
/// rename is atomic, so a crash or a full disk mid-write leaves the previous version
/// (checkpoint, figure, metrics) intact. (Foundation's `replaceItemAt` is not used: on
/// Linux it fails when the target already exists.)
public enum AtomicFile {
    /// Writes `data` to `url` atomically, creating the parent directory if needed.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = temporaryURL(beside: url)
        do {
            try data.write(to: temporary)
            try move(temporary, over: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes UTF-8 text to `url` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// A hidden, process-specific name in the target's directory (same file system, so the
    /// final rename cannot turn into a copy).
    public static func temporaryURL(beside url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// Renames `source` over `destination` in one step, replacing it if it exists.
    public static func move(_ source: URL, over destination: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSLocalizedDescriptionKey: "could not move \(source.lastPathComponent) over \(destination.path): \(reason)"])
        }
    }
}
