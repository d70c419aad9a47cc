import Foundation

/// A chapter folder name such as `01-pretrained-model`, read as its number and its name.
public struct ChapterName: Sendable, Equatable {
    /// The folder name, e.g. `01-pretrained-model`; also the name of its run and figure folders.
    public let folder: String
    /// The two-digit number, e.g. `01`.
    public let number: String
    /// The words of the name, e.g. `pretrained model`.
    public let words: String

    public init(_ folder: String) {
        self.folder = folder
        let parts = folder.split(separator: "-", maxSplits: 1)
        if parts.count == 2, parts[0].allSatisfy(\.isNumber) {
            number = String(parts[0])
            words = parts[1].replacingOccurrences(of: "-", with: " ")
        } else {
            number = folder
            words = folder
        }
    }

    /// The make target that runs the chapter, e.g. `make chapter-01`.
    public var makeTarget: String { "make chapter-\(number)" }
}

/// The exit codes a chapter stops with when what it needs from an earlier chapter is not
/// usable (from BSD's sysexits.h, as the options' 64 is).
public enum ArtifactExitCode {
    /// EX_DATAERR: the file exists but cannot be read (truncated, corrupt, wrong shape).
    public static let unreadable: Int32 = 65
    /// EX_NOINPUT: the file does not exist.
    public static let missing: Int32 = 66
}

/// The one-line messages a chapter stops with when an artifact from an earlier chapter is
/// missing or unreadable; they name the file, the chapter that writes it, and the `make`
/// target to run.
public enum ArtifactMessage {
    /// "chapter 02 needs runs/01-pretrained-model/model.safetensors, which chapter 01
    /// (pretrained model) writes: run `make chapter-01` first."
    public static func missing(_ path: String, consumer: ChapterName, producer: ChapterName) -> String {
        "chapter \(consumer.number) needs \(path), which chapter \(producer.number) (\(producer.words)) writes: "
            + "run `\(producer.makeTarget)` first."
    }

    /// "chapter 02 cannot read runs/01-pretrained-model/model.safetensors (the header is
    /// truncated), which chapter 01 (pretrained model) writes: run `make chapter-01` again."
    public static func unreadable(_ path: String, consumer: ChapterName, producer: ChapterName, reason: String) -> String {
        "chapter \(consumer.number) cannot read \(path) (\(reason)), which chapter \(producer.number) "
            + "(\(producer.words)) writes: run `\(producer.makeTarget)` again."
    }

    /// The reason an error gives, on one line: its `LocalizedError` description when it has
    /// one, Foundation's prose for Foundation's errors, otherwise its `description`.
    public static func reason(_ error: any Error) -> String {
        let text: String
        let bridged = error as NSError
        if let localized = error as? LocalizedError, let description = localized.errorDescription {
            text = description
        } else if let description = bridged.userInfo[NSLocalizedDescriptionKey] as? String {
            text = description
        } else if bridged.domain == NSCocoaErrorDomain || bridged.domain == NSPOSIXErrorDomain {
            // Foundation's own errors (a file that cannot be opened) describe themselves in prose.
            text = bridged.localizedDescription
        } else {
            text = String(describing: error)
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

/// What a chapter needs from earlier ones, checked before the work starts.
///
///     let model = chapter.load("runs/01-pretrained-model/model.safetensors",
///                              from: "01-pretrained-model") { url in try GPT.load(url) }
///
/// A missing file stops the chapter with ``ArtifactMessage/missing(_:consumer:producer:)``
/// and exit code 66; a file the loader rejects stops it with
/// ``ArtifactMessage/unreadable(_:consumer:producer:reason:)`` and exit code 65. Never a
/// stack trace: a missing checkpoint is the learner skipping a step, not a bug.
public struct Artifacts: Sendable {
    /// The chapter that needs the artifacts.
    public let consumer: ChapterName
    /// The directory relative paths are resolved against (the repository root).
    public let root: URL

    public init(consumer: ChapterName, root: URL) {
        self.consumer = consumer
        self.root = root
    }

    /// What checking a path found.
    public enum Check: Equatable, Sendable {
        case present(URL)
        /// The one-line message and the exit code to stop with.
        case problem(String, code: Int32)
    }

    /// Checks that `path` (relative to the root) is a readable file written by `producer`.
    public func check(_ path: String, from producer: String) -> Check {
        let url = root.appendingPathComponent(path)
        let producerName = ChapterName(producer)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            return .problem(ArtifactMessage.missing(path, consumer: consumer, producer: producerName),
                            code: ArtifactExitCode.missing)
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: url.path) else {
            let reason = isDirectory.boolValue ? "it is a directory" : "permission denied"
            return .problem(ArtifactMessage.unreadable(path, consumer: consumer, producer: producerName, reason: reason),
                            code: ArtifactExitCode.unreadable)
        }
        return .present(url)
    }

    /// Loads `path` with `loader`; a missing file or an error thrown by the loader becomes
    /// the one-line message and exit code to stop with.
    public func load<T>(_ path: String, from producer: String, _ loader: (URL) throws -> T) -> Result<T, ArtifactFailure> {
        switch check(path, from: producer) {
        case .problem(let message, let code):
            return .failure(ArtifactFailure(message: message, exitCode: code))
        case .present(let url):
            do {
                return .success(try loader(url))
            } catch {
                let message = ArtifactMessage.unreadable(path, consumer: consumer, producer: ChapterName(producer),
                                                         reason: ArtifactMessage.reason(error))
                return .failure(ArtifactFailure(message: message, exitCode: ArtifactExitCode.unreadable))
            }
        }
    }
}

/// An artifact that could not be used: the line to print and the code to exit with.
public struct ArtifactFailure: Error, Equatable, CustomStringConvertible {
    public let message: String
    public let exitCode: Int32
    public var description: String { message }
}
