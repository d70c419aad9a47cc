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

    /// Writes `file` into `producer`'s run folder under `root`, with the run.json a finished
    /// run of `variant` leaves.
    @discardableResult
    func leave(_ file: String, _ bytes: Data, from producer: String, in root: URL,
               made variant: RunVariant = RunVariant(quick: false, seed: 0), finished: Bool = true) throws -> URL {
        let folder = root.appendingPathComponent(Artifacts(consumer: ChapterName("99-x"), root: root, variant: variant)
            .folder(of: producer))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var options = try ChapterOptions.parse(variant.quick ? ["--quick"] : [])
        options.seed = variant.seed
        options.steps = variant.steps
        var record = RunRecord(chapter: producer, title: "", arguments: [], options: options, started: Date())
        if finished { record.finished = Date() }
        try record.write(to: folder.appendingPathComponent(RunRecord.fileName))
        let url = folder.appendingPathComponent(file)
        try bytes.write(to: url)
        return url
    }

    func testAMissingFileNamesTheChapterAndTheMakeTargetThatWritesIt() throws {
        let artifacts = Artifacts(consumer: ChapterName("02-supervised-fine-tuning"), root: try temporaryDirectory())
        let check = artifacts.check("model.safetensors", from: "01-pretrained-model")
        XCTAssertEqual(check, .problem(
            "chapter 02 needs runs/01-pretrained-model/model.safetensors, which chapter 01 (pretrained model) writes: "
                + "run `make chapter-01` first.", code: 66))
        let quick = Artifacts(consumer: ChapterName("02-supervised-fine-tuning"), root: try temporaryDirectory(),
                              variant: RunVariant(quick: true, seed: 3))
        XCTAssertEqual(quick.check("model.safetensors", from: "01-pretrained-model"), .problem(
            "chapter 02 needs runs/quick-seed-3/01-pretrained-model/model.safetensors, which chapter 01 (pretrained model) "
                + "writes: run `make chapter-01 QUICK=1 SEED=3` first.", code: 66))
    }

    func testAPresentFileIsFoundInTheProducersRunFolder() throws {
        let root = try temporaryDirectory()
        let url = try leave("model.safetensors", Data([1, 2, 3]), from: "01-pretrained-model", in: root)
        let artifacts = Artifacts(consumer: ChapterName("02-supervised-fine-tuning"), root: root)
        guard case .present(let found) = artifacts.check("model.safetensors", from: "01-pretrained-model") else {
            return XCTFail("the file is there")
        }
        XCTAssertEqual(found.standardizedFileURL.path, url.standardizedFileURL.path)
        let bytes = artifacts.load("model.safetensors", from: "01-pretrained-model") { try Data(contentsOf: $0).count }
        XCTAssertEqual(try bytes.get(), 3)
    }

    func testAFileFromAnotherKindOfRunIsRefusedInOneLine() throws {
        let root = try temporaryDirectory()
        // A quick run's files copied where the default run's belong.
        try leave("model.safetensors", Data([1]), from: "02-supervised-fine-tuning", in: root,
                  made: RunVariant(quick: false, seed: 0))
        let record = root.appendingPathComponent("runs/02-supervised-fine-tuning/run.json")
        var options = try ChapterOptions.parse(["--quick"])
        options.seed = 0
        try RunRecord(chapter: "02-supervised-fine-tuning", title: "", arguments: [], options: options, started: Date())
            .finishedNow().write(to: record)
        let artifacts = Artifacts(consumer: ChapterName("03-rl-basics"), root: root)
        XCTAssertEqual(artifacts.check("model.safetensors", from: "02-supervised-fine-tuning"), .problem(
            "chapter 03 cannot use runs/02-supervised-fine-tuning/model.safetensors: its run.json says a quick run "
                + "made it, and this is a default run; run `make chapter-02` again.", code: 65))
        // Another seed.
        let seeded = Artifacts(consumer: ChapterName("03-rl-basics"), root: root, variant: RunVariant(quick: false, seed: 2))
        try leave("model.safetensors", Data([1]), from: "02-supervised-fine-tuning", in: root,
                  made: RunVariant(quick: false, seed: 2))
        XCTAssertEqual(seeded.check("model.safetensors", from: "02-supervised-fine-tuning").isPresent, true)
        try RunRecord(chapter: "02", title: "", arguments: [], options: try ChapterOptions.parse(["--seed", "5"]),
                      started: Date()).finishedNow()
            .write(to: root.appendingPathComponent("runs/seed-2/02-supervised-fine-tuning/run.json"))
        guard case .problem(let message, 65) = seeded.check("model.safetensors", from: "02-supervised-fine-tuning") else {
            return XCTFail("seed 5's model is not seed 2's")
        }
        XCTAssertTrue(message.contains("a run with seed 5 made it, and this is a run with seed 2"), message)
        XCTAssertTrue(message.hasSuffix("run `make chapter-02 SEED=2` again."), message)
    }

    func testAFileLeftByAnUnfinishedRunOrWithoutARecordIsRefused() throws {
        let root = try temporaryDirectory()
        try leave("model.safetensors", Data([1]), from: "01-pretrained-model", in: root, finished: false)
        let artifacts = Artifacts(consumer: ChapterName("02-supervised-fine-tuning"), root: root)
        guard case .problem(let message, 65) = artifacts.check("model.safetensors", from: "01-pretrained-model") else {
            return XCTFail("an unfinished run vouches for nothing")
        }
        XCTAssertTrue(message.contains("the last run of chapter 01 there did not finish"), message)
        try FileManager.default.removeItem(at: root.appendingPathComponent("runs/01-pretrained-model/run.json"))
        guard case .problem(let missing, 65) = artifacts.check("model.safetensors", from: "01-pretrained-model") else {
            return XCTFail("no record, no provenance")
        }
        XCTAssertTrue(missing.contains("runs/01-pretrained-model/run.json, which says which run made it, is missing"), missing)
    }

    func testALoaderErrorBecomesOneLineNamingTheFileAndTheFix() throws {
        let root = try temporaryDirectory()
        try leave("reward_model.safetensors", Data("garbage".utf8), from: "04-reward-model", in: root)
        let artifacts = Artifacts(consumer: ChapterName("06-ppo"), root: root)
        let result: Result<Int, ArtifactFailure> = artifacts.load("reward_model.safetensors",
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
        let check = Artifacts(consumer: ChapterName("02-b"), root: root).check("model.safetensors", from: "01-a")
        guard case .problem(let message, let code) = check else { return XCTFail("a directory is not a checkpoint") }
        XCTAssertEqual(code, 65)
        XCTAssertTrue(message.contains("(it is a directory)"), message)
    }

    func testRunVariantsKeepToFoldersOfTheirOwn() {
        let runs = [RunVariant(quick: false, seed: 0), RunVariant(quick: true, seed: 0), RunVariant(quick: false, seed: 3),
                    RunVariant(quick: true, seed: 3), RunVariant(quick: false, seed: 0, steps: 200),
                    RunVariant(quick: true, seed: 0, steps: 20)]
        XCTAssertEqual(runs.map(\.outputFolder), ["", "quick", "seed-3", "quick-seed-3", "steps-200", "quick-steps-20"])
        XCTAssertEqual(runs.map(\.inputFolder), ["", "quick", "seed-3", "quick-seed-3", "", "quick"])
        XCTAssertEqual(runs.map(\.isDefault), [true, false, false, false, false, false])
        XCTAssertEqual(runs.map(\.makeArguments), ["", " QUICK=1", " SEED=3", " QUICK=1 SEED=3", "", " QUICK=1"])
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

extension Artifacts.Check {
    var isPresent: Bool { if case .present = self { return true } else { return false } }
}

extension RunRecord {
    func finishedNow() -> RunRecord {
        var copy = self
        copy.finished = Date()
        return copy
    }
}
