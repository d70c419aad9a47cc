import XCTest

/// Elementwise closeness for forward values.
func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count differs \(message)", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated() where !(Swift.abs(a - e) <= tolerance * max(1, Swift.abs(e))) {
        XCTFail("element \(i): \(a) vs expected \(e) \(message)", file: file, line: line)
        return
    }
}
