import XCTest
@testable import TensorCore

final class TensorCoreSmokeTests: XCTestCase {
    func testModuleLoads() {}
}
