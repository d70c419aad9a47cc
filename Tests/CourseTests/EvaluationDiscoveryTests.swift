import XCTest
import Notebook
@testable import Course

/// Chapter 10 finds what the earlier chapters saved from their evaluations.json, not from
/// file names it repeats: an evaluation a chapter saves for the comparison is found.
final class EvaluationDiscoveryTests: XCTestCase {
    private let options = try! ChapterOptions.parse(["--quick", "--no-prose"])

    private func temporaryRoot() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("discovery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func chapter(_ folder: String, in root: URL) -> Chapter {
        Chapter(folder, title: folder, options: options, root: root, console: Console(width: 80, isTerminal: false) { _ in },
                gnuplot: nil)
    }

    private func evaluation(_ policy: String) -> PolicyEvaluation {
        PolicyEvaluationTests.evaluation(policy, [PolicyEvaluationTests.answer("a", gold: 5)])
    }

    func testChapter10FindsEveryEvaluationTheChaptersSaved() throws {
        let root = try temporaryRoot()
        let trpo = chapter(CourseChapter.trpo, in: root)
        trpo.save(evaluation("TRPO"), showdown: .method)
        trpo.save(evaluation("vanilla PG"), name: "vanilla PG", showdown: .baseline)
        trpo.finish()
        let ppo = chapter(CourseChapter.ppo, in: root)
        ppo.save(evaluation("PPO (kl_coef 0.05)"), showdown: .method, sweep: SweepPoint("PPO, kl_coef sweep", value: 0.05))
        ppo.save(evaluation("PPO (kl_coef 0.7)"), name: "kl_coef 0.7", sweep: SweepPoint("PPO, kl_coef sweep", value: 0.7))
        ppo.save(evaluation("an ablation"), name: "ablation")
        ppo.finish()

        let showdown = chapter(CourseChapter.showdown, in: root)
        let saved = showdown.savedEvaluations(from: CourseChapter.before(CourseChapter.showdown))
        XCTAssertEqual(saved.map { $0.producer + "/" + $0.saved.file }, [
            "05-trpo/evaluation.json", "05-trpo/evaluation-vanilla-pg.json",
            "06-ppo/evaluation.json", "06-ppo/evaluation-kl-coef-0-7.json", "06-ppo/evaluation-ablation.json",
        ], "every evaluation saved, chapter by chapter, in the order saved")
        XCTAssertEqual(saved.map(\.saved.showdown), [.method, .baseline, .method, nil, nil])
        XCTAssertEqual(saved.map(\.saved.sweep), [nil, nil, SweepPoint("PPO, kl_coef sweep", value: 0.05),
                                                  SweepPoint("PPO, kl_coef sweep", value: 0.7), nil])
        for entry in saved {
            XCTAssertEqual(showdown.loadEvaluation(from: entry.producer, name: entry.saved.name).policy, entry.saved.policy)
        }
    }

    func testChapter10ReadsBackTheIterationsAChapterLogged() throws {
        let root = try temporaryRoot()
        let ppo = chapter(CourseChapter.ppo, in: root)
        var iteration = PPOIteration()
        (iteration.kl, iteration.gold) = (0.5, 0.1 + 0.2)
        ppo.log(iteration, series: "PPO (kl_coef 0)", step: 1)
        iteration.kl = 1.5
        ppo.log(iteration, series: "PPO (kl_coef 0)", step: 2)
        ppo.log(DPOStep(), series: "DPO (β 0.1)", step: 1)
        ppo.finish()
        let showdown = chapter(CourseChapter.showdown, in: root)
        let read = showdown.loadRecords(PPOIteration.self, series: "PPO (kl_coef 0)", from: CourseChapter.ppo)
        XCTAssertEqual(read.map(\.kl), [0.5, 1.5])
        XCTAssertEqual(read.map(\.gold), [0.1 + 0.2, 0.1 + 0.2])
        XCTAssertTrue(showdown.loadRecords(PPOIteration.self, series: "DPO (β 0.1)", from: CourseChapter.ppo).isEmpty,
                      "another record type's rows are not PPO iterations")
    }

    func testARerunReplacesTheListOfTheRunBefore() throws {
        let root = try temporaryRoot()
        let first = chapter(CourseChapter.dpo, in: root)
        first.save(evaluation("DPO (β 0.1)"), showdown: .method)
        first.save(evaluation("DPO (β 3)"), name: "beta 3")
        first.finish()
        Thread.sleep(forTimeInterval: 0.01)
        let second = chapter(CourseChapter.dpo, in: root)
        second.save(evaluation("DPO (β 0.1)"), showdown: .method)
        second.save(evaluation("DPO (β 0.1)"), showdown: .method)
        second.finish()
        let saved = chapter(CourseChapter.showdown, in: root).savedEvaluations(from: [CourseChapter.dpo])
        XCTAssertEqual(saved.map(\.saved.file), ["evaluation.json"], "an entry saved twice is listed once; the last run's only")
    }

    func testAChapterThatSavedNothingAddsNothing() throws {
        let root = try temporaryRoot()
        chapter(CourseChapter.rlBasics, in: root).finish()
        XCTAssertTrue(chapter(CourseChapter.showdown, in: root).savedEvaluations(from: [CourseChapter.rlBasics]).isEmpty)
    }
}
