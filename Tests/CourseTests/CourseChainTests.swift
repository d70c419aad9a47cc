import XCTest
import Notebook
@testable import Course

/// The chapter list and the artifact chain are stated once, in Course; the Makefile and
/// Package.swift repeat them for make and SwiftPM, and these tests keep them in step.
final class CourseChainTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The Makefile's `NAME := value` lines, with $(NAME) references expanded.
    private func makeVariables() throws -> [String: String] {
        let text = try String(contentsOf: repository.appendingPathComponent("Makefile"), encoding: .utf8)
        var raw: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.components(separatedBy: " := ")
            if parts.count == 2, parts[0].allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) { raw[parts[0]] = parts[1] }
        }
        func expand(_ value: String) -> String {
            var result = value
            while let range = result.range(of: #"\$\(([A-Z0-9_]+)\)"#, options: .regularExpression) {
                let name = String(result[range].dropFirst(2).dropLast())
                result.replaceSubrange(range, with: expand(raw[name] ?? ""))
            }
            return result
        }
        return raw.mapValues(expand)
    }

    private func words(_ text: String?) -> [String] { (text ?? "").split(separator: " ").map(String.init).sorted() }

    func testTheMakefileStatesTheSameArtifactChainAsCourseChain() throws {
        let variables = try makeVariables()
        for number in CourseChapter.all.map({ ChapterName($0).number }) {
            XCTAssertEqual(words(variables["ARTIFACTS_" + number]), (CourseChain.artifacts[number] ?? []).sorted(),
                           "ARTIFACTS_\(number)")
            XCTAssertEqual(words(variables["NEEDS_" + number]), (CourseChain.needs[number] ?? []).sorted(), "NEEDS_\(number)")
        }
    }

    func testPackageSwiftAndTheChapterFoldersNameTheChaptersOfCourseChapter() throws {
        let package = try String(contentsOf: repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        let declared = package.matches(of: #/\("(\d\d-[a-z0-9-]+)", "chapter-(\d\d)"\)/#).map { String($0.output.1) }
        XCTAssertEqual(declared, CourseChapter.all)
        let folders = try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("Chapters").path)
            .filter { $0.first?.isNumber == true }.sorted()
        XCTAssertEqual(folders, CourseChapter.all)
        let first = try String(contentsOf: repository.appendingPathComponent("Chapters/\(CourseChapter.pretrainedModel)/main.swift"),
                               encoding: .utf8)
        XCTAssertTrue(first.contains("Chapter(\"\(CourseChapter.pretrainedModel)\""), "chapter 01 names its own folder")
    }
}
