import XCTest
@testable import World

final class WorldSmokeTests: XCTestCase {
    func testModuleLoads() {}
}
