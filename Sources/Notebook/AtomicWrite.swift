import Foundation
import TensorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Atomic file replacement for the notebook's files (metrics, run.json, figures).
///
/// The bytes go to a temporary file beside the target, which `rename(2)` then moves over
/// it: POSIX promises that a reader sees the old file or the new one, never a mix. New
/// files go through ``TensorCore/AtomicFile``; replacing an existing file uses `rename(2)`
/// directly, because Foundation's `replaceItemAt` fails on Linux with "The file doesn't
/// exist" when the target already exists (swift-corelibs-foundation, Swift 6.3).
enum AtomicWrite {
    static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    static func write(_ data: Data, to url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            try AtomicFile.write(data, to: url)
            return
        }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try data.write(to: temporary)
            try move(temporary, over: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Renames `source` over `destination` in one step (both in the same directory).
    static func move(_ source: URL, over destination: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey:
                "could not rename \(source.lastPathComponent) to \(destination.path): \(reason)"])
        }
    }
}
