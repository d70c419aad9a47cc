import XCTest
@testable import TensorCore

/// A shape mismatch stops the program with a message naming both shapes, never a silent
/// wrong answer. XCTest cannot catch a precondition failure in-process, so these tests read
/// the messages from the internal functions the preconditions print.
final class ShapeErrorMessageTests: XCTestCase {
    func testMatmulOfThreeByFourAndFiveBySixNamesBothShapes() {
        let message = matmulShapeProblem([3, 4], [5, 6], transposeA: false, transposeB: false)
        XCTAssertNotNil(message)
        XCTAssertTrue(message?.contains("[3, 4]") ?? false, message ?? "")
        XCTAssertTrue(message?.contains("[5, 6]") ?? false, message ?? "")
        XCTAssertEqual(message, "matmul shapes do not fit: [3, 4] · [5, 6] (inner extents 4 and 5 differ)")
    }

    func testMatmulMessagesMarkTransposesAndBatches() {
        XCTAssertEqual(matmulShapeProblem([3, 4], [5, 4], transposeA: true, transposeB: true),
                       "matmul shapes do not fit: [3, 4]ᵀ · [5, 4]ᵀ (inner extents 3 and 4 differ)")
        XCTAssertEqual(matmulShapeProblem([2, 3, 4], [3, 4, 5], transposeA: false, transposeB: false),
                       "matmul shapes do not fit: [2, 3, 4] · [3, 4, 5] (batch extents [2] and [3] differ)")
        XCTAssertEqual(matmulShapeProblem([4], [4, 5], transposeA: false, transposeB: false),
                       "matmul needs at least 2 axes on each side, got [4] · [4, 5]")
    }

    func testMatmulAcceptsEveryShapeItComputes() {
        XCTAssertNil(matmulShapeProblem([3, 4], [4, 6], transposeA: false, transposeB: false))
        XCTAssertNil(matmulShapeProblem([4, 3], [6, 4], transposeA: true, transposeB: true))
        XCTAssertNil(matmulShapeProblem([2, 3, 4], [2, 4, 6], transposeA: false, transposeB: false))
        XCTAssertNil(matmulShapeProblem([2, 3, 4], [4, 6], transposeA: false, transposeB: false))
    }

    func testBroadcastMismatchNamesBothShapes() throws {
        guard case .failure(let problem) = Broadcast.result([2, 3], [4], op: "add") else {
            return XCTFail("[2, 3] and [4] must not broadcast")
        }
        XCTAssertEqual(problem.message, "add: shapes [2, 3] and [4] do not broadcast")
        XCTAssertEqual(try Broadcast.result([2, 1, 4], [3, 1], op: "add").get(), [2, 3, 4])
    }
}
