import ArgumentParser
import XCTest
@testable import Notebook

final class ChapterOptionsTests: XCTestCase {
    func testDefaultsAreTheFullRunWithSeedZero() throws {
        let options = try ChapterOptions.parse([])
        XCTAssertFalse(options.quick)
        XCTAssertEqual(options.seed, 0)
        XCTAssertFalse(options.noProse)
        XCTAssertNil(options.steps)
        XCTAssertEqual(options.budget(full: 3000, quick: 30), 3000)
    }

    func testFlagsAndValuesAreRead() throws {
        let options = try ChapterOptions.parse(["--quick", "--seed", "42", "--no-prose", "--steps", "5"])
        XCTAssertTrue(options.quick)
        XCTAssertEqual(options.seed, 42)
        XCTAssertTrue(options.noProse)
        XCTAssertEqual(options.steps, 5)
        XCTAssertEqual(options.budget(full: 3000, quick: 30), 5, "--steps overrides both budgets")
        XCTAssertEqual(try ChapterOptions.parse(["--quick"]).budget(full: 3000, quick: 30), 30)
    }

    func testBadInputIsAUsageErrorWithExitCode64() {
        for arguments in [["--seed", "minus-one"], ["--seed", "-1"], ["--steps", "0"], ["--steps"], ["--fast"], ["extra"]] {
            XCTAssertThrowsError(try ChapterOptions.parse(arguments), "\(arguments)") { error in
                XCTAssertEqual(ChapterOptions.exitCode(for: error), ExitCode(64), "\(arguments)")
                XCTAssertFalse(ChapterOptions.message(for: error).isEmpty)
            }
        }
    }

    func testHelpIsNotAnError() {
        XCTAssertThrowsError(try ChapterOptions.parse(["--help"])) { error in
            XCTAssertEqual(ChapterOptions.exitCode(for: error), ExitCode.success)
        }
        let help = ChapterOptions.helpMessage()
        for flag in ["--quick", "--seed", "--no-prose", "--steps"] { XCTAssertTrue(help.contains(flag), flag) }
    }

    /// The pattern a chapter with options of its own follows.
    struct DPOOptions: ParsableArguments {
        @OptionGroup var common: ChapterOptions
        @Option var beta: Double = 0.1
    }

    func testChaptersAddTheirOwnOptionsBesideTheCommonOnes() throws {
        let options = try DPOOptions.parse(["--beta", "0.3", "--quick", "--seed", "3"])
        XCTAssertEqual(options.beta, 0.3)
        XCTAssertTrue(options.common.quick)
        XCTAssertEqual(options.common.seed, 3)
        XCTAssertThrowsError(try DPOOptions.parse(["--steps", "-2"])) { error in
            XCTAssertEqual(DPOOptions.exitCode(for: error), ExitCode(64))
        }
    }
}
