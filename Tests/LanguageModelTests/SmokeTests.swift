import XCTest
@testable import LanguageModel

final class LanguageModelSmokeTests: XCTestCase {
    func testModuleLoads() {}
}
