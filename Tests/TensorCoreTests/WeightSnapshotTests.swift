import XCTest
@testable import TensorCore

final class WeightSnapshotTests: XCTestCase {
    func testARestoredSnapshotPutsBackTheValuesItTook() {
        let weights = [Tensor(shape: [2], data: [1, 2]), Tensor(shape: [1, 3], data: [3, 4, 5])]
        let snapshot = WeightSnapshot(of: weights)
        weights[0].data = [9, 9]
        weights[1].data = [0, 0, 0]
        snapshot.restore(into: weights)
        XCTAssertEqual(weights.map(\.data), [[1, 2], [3, 4, 5]])
        XCTAssertEqual(weights[1].shape, [1, 3])
    }

    /// Inside `substituted` the weights hold the snapshot's values (2, 3); after it, their
    /// own (1, 5) again, whatever the body did to them.
    func testSubstitutedLendsTheValuesAndPutsTheOwnOnesBack() {
        let weights = [Tensor(shape: [2], data: [1, 5])]
        let snapshot = WeightSnapshot(values: [[2, 3]])
        let seen = snapshot.substituted(into: weights) { () -> [Float] in
            let values = weights[0].data
            weights[0].data = [0, 0]
            return values
        }
        XCTAssertEqual(seen, [2, 3])
        XCTAssertEqual(weights[0].data, [1, 5])
    }

    func testTheSnapshotIsACopyNotAView() {
        let weights = [Tensor(shape: [2], data: [1, 2])]
        let snapshot = WeightSnapshot(of: weights)
        weights[0].data[0] = 7
        XCTAssertEqual(snapshot.values, [[1, 2]])
    }

    func testCopyWeightsCopiesTensorByTensor() {
        let source = [Tensor(shape: [2], data: [1, 2]), Tensor(shape: [1], data: [3])]
        let target = [Tensor(shape: [2], data: [0, 0]), Tensor(shape: [1], data: [0])]
        target.copyWeights(from: source)
        XCTAssertEqual(target.map(\.data), [[1, 2], [3]])
        source[0].data = [5, 5]
        XCTAssertEqual(target[0].data, [1, 2], "the copy does not follow the source")
    }
}
