import XCTest
@testable import World

final class DeterminismTests: XCTestCase {
    func testSameSeedGivesIdenticalWorld() {
        let a = SyntheticWorld(seed: 3), b = SyntheticWorld(seed: 3)
        XCTAssertEqual(a.trainPrompts, b.trainPrompts)
        XCTAssertEqual(a.heldOutPrompts, b.heldOutPrompts)
        XCTAssertEqual(a.demonstrations, b.demonstrations)
        XCTAssertEqual(a.heldOutDemonstrations, b.heldOutDemonstrations)
        let ca = a.corpus(targetBytes: 100_000), cb = b.corpus(targetBytes: 100_000)
        XCTAssertEqual(ca.train, cb.train)
        XCTAssertEqual(ca.validation, cb.validation)
    }

    func testDifferentSeedsGiveDifferentWorlds() {
        let a = SyntheticWorld(seed: 3), b = SyntheticWorld(seed: 4)
        XCTAssertNotEqual(a.demonstrations.map(\.response), b.demonstrations.map(\.response))
        XCTAssertNotEqual(a.corpus(targetBytes: 20_000).train, b.corpus(targetBytes: 20_000).train)
    }
}
