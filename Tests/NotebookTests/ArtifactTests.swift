import XCTest
@testable import Notebook

final class ArtifactTests: XCTestCase {
    struct CorruptCheckpoint: Error, CustomStringConvertible {
        var description: String { "header says 4096 bytes but the file holds 12" }
    }

    func testChapterNamesSplitIntoNumberAndWords() {
        let name = ChapterName("04-reward-model")
        XCTAssertEqual(name.number, "04")
        XCTAssertEqual(name.words, "reward model")
        XCTAssertEqual(name.makeTarget, "make chapter-04")
    }

    func testAMissingFileNamesTheChapterAndTheMakeTargetThatWritesIt() throws {
        let artifacts = Artifacts(consumer: ChapterName("02-supervised-fine-tuning"), root: try temporaryDirectory())
        let check = artifacts.check("runs/01-pretrained-model/model.safetensors", from: "01-pretrained-model")
        XCTAssertEqual(check, .problem(
            "chapter 02 needs runs/01-pretrained-model/model.safetensors, which chapter 01 (pretrained model) writes: "
                + "run `make chapter-01` first.", code: 66))
    }

    func testAPresentFileIsFoundRelativeToTheRoot() throws {
        let root = try temporaryDirectory()
        let url = root.appendingPathComponent("runs/01-pretrained-model/model.safetensors")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: url)
        let artifacts = Artifacts(consumer: ChapterName("02-supervised-fine-tuning"), root: root)
        guard case .present(let found) = artifacts.check("runs/01-pretrained-model/model.safetensors",
                                                         from: "01-pretrained-model") else {
            return XCTFail("the file is there")
        }
        XCTAssertEqual(found.standardizedFileURL.path, url.standardizedFileURL.path)
        let bytes = artifacts.load("runs/01-pretrained-model/model.safetensors", from: "01-pretrained-model") {
            try Data(contentsOf: $0).count
        }
        XCTAssertEqual(try bytes.get(), 3)
    }

    func testALoaderErrorBecomesOneLineNamingTheFileAndTheFix() throws {
        let root = try temporaryDirectory()
        let url = root.appendingPathComponent("runs/04-reward-model/reward_model.safetensors")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("garbage".utf8).write(to: url)
        let artifacts = Artifacts(consumer: ChapterName("06-ppo"), root: root)
        let result: Result<Int, ArtifactFailure> = artifacts.load("runs/04-reward-model/reward_model.safetensors",
                                                                  from: "04-reward-model") { _ in throw CorruptCheckpoint() }
        XCTAssertEqual(result, .failure(ArtifactFailure(
            message: "chapter 06 cannot read runs/04-reward-model/reward_model.safetensors (header says 4096 bytes "
                + "but the file holds 12), which chapter 04 (reward model) writes: run `make chapter-04` again.",
            exitCode: 65)))
    }

    func testADirectoryInPlaceOfTheFileIsUnreadable() throws {
        let root = try temporaryDirectory()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("runs/01-a/model.safetensors"),
                                                withIntermediateDirectories: true)
        let check = Artifacts(consumer: ChapterName("02-b"), root: root).check("runs/01-a/model.safetensors", from: "01-a")
        guard case .problem(let message, let code) = check else { return XCTFail("a directory is not a checkpoint") }
        XCTAssertEqual(code, 65)
        XCTAssertTrue(message.contains("(it is a directory)"), message)
    }

    func testMultiLineErrorReasonsAreFoldedIntoOneLine() {
        struct Chatty: Error, LocalizedError { var errorDescription: String? { "first\nsecond" } }
        XCTAssertEqual(ArtifactMessage.reason(Chatty()), "first second")
    }

    func testFoundationErrorsGiveTheirProse() {
        let corrupt = CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "the header is truncated"])
        XCTAssertEqual(ArtifactMessage.reason(corrupt), "the header is truncated")
        XCTAssertThrowsError(try Data(contentsOf: URL(fileURLWithPath: "/nonexistent-notebook-test/x"))) { error in
            XCTAssertFalse(ArtifactMessage.reason(error).contains("Domain="), ArtifactMessage.reason(error))
        }
    }
}
