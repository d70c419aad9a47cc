import Foundation
import XCTest
import TensorCore
@testable import LanguageModel

final class SafeTensorsTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Floats whose bits a careless writer or reader would change.
    private let awkwardValues: [Float] = [
        0, -0.0, 1, -1, .pi, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNormalMagnitude / 3,
        .greatestFiniteMagnitude, Float(bitPattern: 0x7FC0_1234), Float(bitPattern: 0xFFA0_0001), .ulpOfOne,
    ]

    func testRoundTripIsBitExact() throws {
        var rng = RandomGenerator(seed: 5)
        let tensors = [
            NamedTensor(name: "transformer.wte.weight", shape: [4, 3], values: (0..<12).map { _ in Float(rng.normal()) }),
            NamedTensor(name: "awkward", shape: [awkwardValues.count], values: awkwardValues),
            NamedTensor(name: "scalar", shape: [], values: [42]),
            NamedTensor(name: "empty", shape: [0, 5], values: []),
        ]
        let url = directory.appendingPathComponent("model.safetensors")
        try SafeTensors.write(tensors, metadata: ["format": "pt", "note": "quote \" and \\ and é"], to: url)
        let contents = try SafeTensors.read(from: url)
        XCTAssertEqual(contents.metadata, ["format": "pt", "note": "quote \" and \\ and é"])
        XCTAssertEqual(Set(contents.tensors.keys), Set(tensors.map(\.name)))
        for tensor in tensors {
            let read = try XCTUnwrap(contents.tensors[tensor.name])
            XCTAssertEqual(read.shape, tensor.shape)
            XCTAssertEqual(read.values.map(\.bitPattern), tensor.values.map(\.bitPattern), tensor.name)
        }
    }

    func testLayoutIsSortedPaddedAndDeterministic() throws {
        let a = NamedTensor(name: "b", shape: [2, 1], values: [1, 2])
        let b = NamedTensor(name: "a", shape: [1], values: [3])
        let first = directory.appendingPathComponent("1.safetensors")
        let second = directory.appendingPathComponent("2.safetensors")
        try SafeTensors.write([a, b], to: first)
        try SafeTensors.write([b, a], to: second)
        let bytes = try Data(contentsOf: first)
        XCTAssertEqual(bytes, try Data(contentsOf: second))

        let headerLength = Int(bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        XCTAssertEqual(headerLength % 8, 0)
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        XCTAssertEqual(header.trimmingCharacters(in: .whitespaces),
                       #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2,1],"data_offsets":[4,12]}}"#)
        // a = 3.0 comes first: 0x40400000 little-endian.
        XCTAssertEqual(Array(bytes[(8 + headerLength)..<(12 + headerLength)]), [0x00, 0x00, 0x40, 0x40])
        XCTAssertEqual(bytes.count, 8 + headerLength + 12)
    }

    func testReadsHalfBFloatAndDouble() throws {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, smallest subnormal 2^-24 = 0x0001, inf = 0x7C00.
        // BF16: 1.0 = 0x3F80, -0.5 = 0xBF00.   F64: 0.1 and -3.
        var data = Data()
        for half: UInt16 in [0x3C00, 0xC000, 0x0001, 0x7C00] { withUnsafeBytes(of: half.littleEndian) { data.append(contentsOf: $0) } }
        for half: UInt16 in [0x3F80, 0xBF00] { withUnsafeBytes(of: half.littleEndian) { data.append(contentsOf: $0) } }
        for double in [0.1, -3.0] { withUnsafeBytes(of: double.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        let url = try writeCrafted(header: #"{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"# +
                                   #""b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},"# +
                                   #""d":{"dtype":"F64","shape":[2],"data_offsets":[12,28]}}"#, data: data)
        let contents = try SafeTensors.read(from: url)
        XCTAssertEqual(contents.tensors["h"]?.values, [1, -2, 0x1p-24, .infinity])
        XCTAssertEqual(contents.tensors["b"]?.values, [1, -0.5])
        XCTAssertEqual(contents.tensors["d"]?.values, [Float(0.1), -3])
    }

    func testRequireChecksNameAndShape() throws {
        let url = directory.appendingPathComponent("model.safetensors")
        try SafeTensors.write([NamedTensor(name: "w", shape: [2, 3], values: Array(repeating: 1, count: 6))], to: url)
        let contents = try SafeTensors.read(from: url)
        XCTAssertEqual(try contents.require("w", shape: [2, 3]), Array(repeating: 1, count: 6))
        assertError(try contents.require("v", shape: [2, 3]), mentions: "missing tensor v")
        assertError(try contents.require("w", shape: [3, 2]), mentions: "tensor w has shape [2, 3], expected [3, 2]")
    }

    // MARK: Bad files: one test per problem, each message naming the file.

    func testFileShorterThanEightBytes() throws {
        let url = directory.appendingPathComponent("short.safetensors")
        try Data([1, 2, 3]).write(to: url)
        assertError(try SafeTensors.read(from: url), mentions: "file is 3 bytes, too short", file: url)
    }

    func testMissingFile() {
        let url = directory.appendingPathComponent("absent.safetensors")
        assertError(try SafeTensors.read(from: url), mentions: "cannot read the file", file: url)
    }

    func testHeaderLengthLargerThanFile() throws {
        var data = Data()
        withUnsafeBytes(of: UInt64(1000).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array("{}".utf8))
        let url = directory.appendingPathComponent("long.safetensors")
        try data.write(to: url)
        assertError(try SafeTensors.read(from: url), mentions: "header length 1000 is larger than the 10-byte file", file: url)
        // A length near 2^64 must not overflow any arithmetic.
        data.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        try data.write(to: url)
        assertError(try SafeTensors.read(from: url), mentions: "is larger than the 10-byte file", file: url)
    }

    func testHeaderNotJSON() throws {
        let url = try writeCrafted(header: "{not json", data: Data())
        assertError(try SafeTensors.read(from: url), mentions: "header is not valid JSON", file: url)
    }

    func testHeaderNotAnObject() throws {
        let url = try writeCrafted(header: "[1, 2, 3]", data: Data())
        assertError(try SafeTensors.read(from: url), mentions: "header is JSON but not an object", file: url)
    }

    func testEntryMissingFields() throws {
        let noDtype = try writeCrafted(header: #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, data: Data(count: 4))
        assertError(try SafeTensors.read(from: noDtype), mentions: #"header entry "w" has no "dtype""#, file: noDtype)
        let noShape = try writeCrafted(header: #"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, data: Data(count: 4))
        assertError(try SafeTensors.read(from: noShape), mentions: #"has no "shape""#, file: noShape)
        let badShape = try writeCrafted(header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: Data(count: 4))
        assertError(try SafeTensors.read(from: badShape), mentions: #"has no "shape""#, file: badShape)
        let noOffsets = try writeCrafted(header: #"{"w":{"dtype":"F32","shape":[1]}}"#, data: Data(count: 4))
        assertError(try SafeTensors.read(from: noOffsets), mentions: #"has no "data_offsets""#, file: noOffsets)
        let reversed = try writeCrafted(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, data: Data(count: 4))
        assertError(try SafeTensors.read(from: reversed), mentions: #"has no "data_offsets""#, file: reversed)
        let notObject = try writeCrafted(header: #"{"w":7}"#, data: Data())
        assertError(try SafeTensors.read(from: notObject), mentions: #"header entry "w" is not an object"#, file: notObject)
        let badMetadata = try writeCrafted(header: #"{"__metadata__":{"k":1}}"#, data: Data())
        assertError(try SafeTensors.read(from: badMetadata), mentions: #"value of "k" is not a string"#, file: badMetadata)
    }

    func testUnknownDType() throws {
        let url = try writeCrafted(header: #"{"w":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}"#, data: Data(count: 4))
        assertError(try SafeTensors.read(from: url), mentions: #"tensor w has unknown dtype "F31""#, file: url)
    }

    func testUnsupportedDType() throws {
        let url = try writeCrafted(header: #"{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: Data(count: 8))
        assertError(try SafeTensors.read(from: url), mentions: "tensor w has dtype I64, which is not read here", file: url)
    }

    func testOffsetsOutOfRange() throws {
        let url = try writeCrafted(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: Data(count: 4))
        assertError(try SafeTensors.read(from: url), mentions: "tensor w has data_offsets [0, 8] outside the 4-byte data section", file: url)
    }

    func testSizeNotMatchingShape() throws {
        let url = try writeCrafted(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Data(count: 8))
        assertError(try SafeTensors.read(from: url), mentions: "tensor w has shape [3] of F32 but its data_offsets span 8 bytes", file: url)
        let huge = try writeCrafted(header: #"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, data: Data(count: 8))
        assertError(try SafeTensors.read(from: huge), mentions: "but its data_offsets span 8 bytes", file: huge)
    }

    func testOverlappingTensors() throws {
        let url = try writeCrafted(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"# +
                                   #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: Data(count: 12))
        assertError(try SafeTensors.read(from: url), mentions: "tensors a and b overlap", file: url)
    }

    func testHoleInData() throws {
        let gap = try writeCrafted(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"# +
                                   #""b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, data: Data(count: 12))
        assertError(try SafeTensors.read(from: gap), mentions: "bytes 4..<8 of the data section belong to no tensor", file: gap)
        let trailing = try writeCrafted(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: Data(count: 6))
        assertError(try SafeTensors.read(from: trailing), mentions: "bytes 4..<6 of the data section belong to no tensor", file: trailing)
    }

    /// Foundation's readers would take these; safetensors' reference reader (serde) does not.
    func testHeaderThatIsNotStrictJSON() throws {
        let comma = try writeCrafted(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},}"#, data: Data(count: 4))
        assertError(try SafeTensors.read(from: comma), mentions: "header is not valid JSON (line 1, column 55: trailing comma before })", file: comma)
        let twice = try writeCrafted(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                                     data: Data(count: 4))
        assertError(try SafeTensors.read(from: twice), mentions: "the key \"w\" appears twice", file: twice)
        // Sizes are integers: not 1.0, not true (which JSONSerialization reads as 1 on Linux).
        for shape in ["[1.0]", "[true]", "[9223372036854775808]"] {
            let url = try writeCrafted(header: #"{"w":{"dtype":"F32","shape":"# + shape + #","data_offsets":[0,4]}}"#, data: Data(count: 4))
            assertError(try SafeTensors.read(from: url), mentions: #"has no "shape" list of non-negative integers"#, file: url)
        }
    }

    /// A name taken from the file is quoted with its line break escaped, so the message
    /// stays one line.
    func testNamesWithLineBreaksKeepTheMessageOnOneLine() throws {
        let url = try writeCrafted(header: #"{"bad\nname":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, data: Data(count: 8))
        assertError(try SafeTensors.read(from: url), mentions: #"tensor bad\nname has shape [1] of F32"#, file: url)
    }

    func testADirectoryWhereTheFileShouldBe() throws {
        let url = directory.appendingPathComponent("model.safetensors")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        assertError(try SafeTensors.read(from: url), mentions: "cannot read the file (it is a directory, not a file)", file: url)
    }

    // MARK: The tensors a loader expects

    func testValuesOfExpectedTensorsChecksNamesShapesAndFiniteness() throws {
        let url = directory.appendingPathComponent("model.safetensors")
        let expected = [SafeTensors.TensorSpec("a", [2]), SafeTensors.TensorSpec("b", [1])]
        try SafeTensors.write([NamedTensor(name: "a", shape: [2], values: [1, 2]), NamedTensor(name: "b", shape: [1], values: [3]),
                               NamedTensor(name: "lm_head", shape: [1], values: [0])], to: url)
        let contents = try SafeTensors.read(from: url)
        XCTAssertEqual(try contents.values(of: expected, describedBy: "config.json", ignoring: { $0 == "lm_head" }), [[1, 2], [3]])
        assertError(try contents.values(of: expected, describedBy: "config.json"),
                    mentions: "holds tensor lm_head, which config.json does not call for", file: url)
        assertError(try contents.values(of: expected + [.init("c", [1])], describedBy: "config.json", ignoring: { _ in true }),
                    mentions: "missing tensor c, which config.json calls for", file: url)
        assertError(try contents.values(of: [.init("a", [1, 2])], describedBy: "config.json", ignoring: { _ in true }),
                    mentions: "tensor a has shape [2], but config.json calls for [1, 2]", file: url)
        for bad in [Float.nan, .infinity, -.infinity] {
            try SafeTensors.write([NamedTensor(name: "a", shape: [2], values: [1, bad]), NamedTensor(name: "b", shape: [1], values: [3])], to: url)
            assertError(try SafeTensors.read(from: url).values(of: expected, describedBy: "config.json"),
                        mentions: "tensor a holds \(bad) at element 1 (weights must be finite numbers)", file: url)
        }
    }

    // MARK: Writes

    func testFailedWriteLeavesExistingFileIntact() throws {
        let url = directory.appendingPathComponent("model.safetensors")
        let good = [NamedTensor(name: "w", shape: [2], values: [1, 2])]
        try SafeTensors.write(good, to: url)
        let before = try Data(contentsOf: url)

        // A tensor whose values do not fill its shape is refused before the file is touched.
        let bad = [NamedTensor(name: "w", shape: [3], values: [1, 2])]
        assertError(try SafeTensors.write(bad, to: url), mentions: "tensor w has shape [3] but 2 values", file: url)
        XCTAssertEqual(try Data(contentsOf: url), before)

        // A destination whose directory cannot be made (its "parent" is our file).
        let impossible = url.appendingPathComponent("inside/model.safetensors")
        assertError(try SafeTensors.write(good, to: impossible), mentions: "cannot write the file", file: impossible)
        XCTAssertEqual(try Data(contentsOf: url), before)

        // Duplicate names are refused too.
        assertError(try SafeTensors.write(good + good, to: url), mentions: "two tensors are named w", file: url)
        XCTAssertEqual(try Data(contentsOf: url), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["model.safetensors"],
                       "no temporary files are left behind")
    }

    // MARK: Helpers

    /// Writes a file with the given header (not padded) and data section.
    private func writeCrafted(header: String, data: Data, name: String = #function) throws -> URL {
        let url = directory.appendingPathComponent(name.replacingOccurrences(of: "()", with: "") + "-\(UUID().uuidString.prefix(8)).safetensors")
        var bytes = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8))
        bytes.append(data)
        try bytes.write(to: url)
        return url
    }

    private func assertError<T>(_ expression: @autoclosure () throws -> T, mentions fragment: String, file url: URL? = nil,
                                line: UInt = #line) {
        XCTAssertThrowsError(try expression(), line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(error is SafeTensors.Error, "\(type(of: error))", line: line)
            XCTAssertTrue(message.contains(fragment), "\"\(message)\" should mention \"\(fragment)\"", line: line)
            if let url { XCTAssertTrue(message.hasPrefix(url.path + ": "), "\"\(message)\" should name the file", line: line) }
            XCTAssertFalse(message.contains("\n"), "one line", line: line)
        }
    }
}
