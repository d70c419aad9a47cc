import XCTest
@testable import RLHF

final class RLHFSmokeTests: XCTestCase {
    func testModuleLoads() {}
}
