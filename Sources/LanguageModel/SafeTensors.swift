import Foundation
import TensorCore

/// A named array of Float32 values with its shape (row-major, last index fastest).
public struct NamedTensor: Equatable, Sendable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// Reading and writing the safetensors format, the checkpoint format of Hugging Face.
///
/// A file is three parts:
///
///     8 bytes      N, the header length, a little-endian UInt64
///     N bytes      a UTF-8 JSON object, padded with spaces to a multiple of 8 bytes:
///                  {"__metadata__": {"key": "value"},
///                   "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...}
///     the rest     the tensors' raw little-endian bytes
///
/// `data_offsets` are `[begin, end)` byte offsets counted from the first byte after the
/// header. The format keeps no code, only numbers, so reading a file cannot run anything,
/// and a reader can check every offset against the file before touching the data, which
/// is what `read(from:)` does: a bad file gives one `SafeTensors.Error`, never a crash.
public enum SafeTensors {
    /// Writes the tensors (as F32) and the metadata to `url`, atomically: the bytes go to
    /// a temporary file that is renamed over `url`, so a failed write leaves any earlier
    /// file intact. Tensors are laid out sorted by name, so the same tensors always give
    /// the same bytes.
    public static func write(_ tensors: [NamedTensor], metadata: [String: String] = [:], to url: URL) throws {
        let file = url.path
        let sorted = tensors.sorted { $0.name < $1.name }
        var header = "{"
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\($0.jsonQuoted):\(metadata[$0]!.jsonQuoted)" }
            header += "\"__metadata__\":{" + pairs.joined(separator: ",") + "}"
        }
        var offset = 0
        var previousName: String?
        for tensor in sorted {
            guard tensor.name != "__metadata__", !tensor.name.isEmpty else {
                throw Error.cannotWrite(file: file, reason: "a tensor cannot be named \(tensor.name.jsonQuoted)")
            }
            guard tensor.name != previousName else {
                throw Error.cannotWrite(file: file, reason: "two tensors are named \(tensor.name)")
            }
            previousName = tensor.name
            guard tensor.shape.allSatisfy({ $0 >= 0 }), elementCount(tensor.shape) == tensor.values.count else {
                throw Error.cannotWrite(file: file, reason: "tensor \(tensor.name) has shape \(tensor.shape) but \(tensor.values.count) values")
            }
            let end = offset + 4 * tensor.values.count
            if !header.hasSuffix("{") { header += "," }
            header += "\(tensor.name.jsonQuoted):{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}"
            offset = end
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }

        var data = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for tensor in sorted {
            #if _endian(little)
            tensor.values.withUnsafeBytes { data.append(contentsOf: $0) }
            #else
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
            #endif
        }
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw Error.cannotWrite(file: file, reason: error.localizedDescription)
        }
    }

    /// Reads and validates a safetensors file. F32 tensors are read bit-exactly; F16,
    /// BF16 and F64 tensors are converted to Float.
    public static func read(from url: URL) throws -> Contents {
        let file = url.path
        let data: Data
        do {
            data = try FileBytes.read(url, mapped: true)
        } catch {
            throw Error.unreadable(file: file, reason: error.reason)
        }
        return try data.withUnsafeBytes { raw in
            try parse(UnsafeRawBufferPointer(raw), file: file)
        }
    }

    /// The largest header accepted, as in the reference implementation (100 MB): a larger
    /// length field is almost surely a file that is not safetensors at all.
    static let maximumHeaderLength: UInt64 = 100_000_000

    private static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws -> Contents {
        guard bytes.count >= 8 else {
            throw Error.tooShort(file: file, byteCount: bytes.count)
        }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(bytes.count - 8), headerLength <= maximumHeaderLength else {
            throw Error.headerLengthTooLarge(file: file, headerLength: headerLength, fileLength: bytes.count)
        }
        let dataStart = 8 + Int(headerLength)
        let dataLength = bytes.count - dataStart
        let headerData = Data(bytes[8..<dataStart])
        let json: JSONValue
        do {
            json = try JSONValue.parse(headerData)
        } catch {
            throw Error.headerNotJSON(file: file, reason: "the \(headerLength)-byte header is not valid JSON (\(error))")
        }
        guard case .object(let header) = json else {
            throw Error.headerNotJSON(file: file, reason: "the header is JSON but not an object")
        }

        var metadata: [String: String] = [:]
        if let rawMetadata = header["__metadata__"] {
            guard case .object(let object) = rawMetadata else {
                throw Error.badEntry(file: file, tensor: "__metadata__", problem: "is not an object of strings")
            }
            for (key, value) in object {
                guard case .string(let text) = value else {
                    throw Error.badEntry(file: file, tensor: "__metadata__", problem: "value of \(key.jsonQuoted) is not a string")
                }
                metadata[key] = text
            }
        }

        // Every entry's fields, sizes and offsets, before any data is read.
        struct Entry { let name: String; let dtype: DType; let shape: [Int]; let begin: Int; let end: Int }
        var entries: [Entry] = []
        for (name, value) in header where name != "__metadata__" {
            guard case .object(let fields) = value else {
                throw Error.badEntry(file: file, tensor: name, problem: "is not an object")
            }
            guard case .string(let dtypeName) = fields["dtype"] else {
                throw Error.badEntry(file: file, tensor: name, problem: "has no \"dtype\" string")
            }
            guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw Error.badEntry(file: file, tensor: name, problem: "has no \"shape\" list of non-negative integers")
            }
            guard let offsets = integers(fields["data_offsets"]),
                  offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw Error.badEntry(file: file, tensor: name, problem: "has no \"data_offsets\" pair [begin, end] with 0 <= begin <= end")
            }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw Error.unknownDType(file: file, tensor: name, dtype: dtypeName)
            }
            guard dtype.isConvertible else {
                throw Error.unsupportedDType(file: file, tensor: name, dtype: dtypeName)
            }
            guard offsets[1] <= dataLength else {
                throw Error.offsetsOutOfRange(file: file, tensor: name, begin: offsets[0], end: offsets[1], dataLength: dataLength)
            }
            let elements = checkedElementCount(shape)
            guard let elements, elements.multipliedReportingOverflow(by: dtype.byteCount).overflow == false,
                  elements * dtype.byteCount == offsets[1] - offsets[0] else {
                throw Error.sizeMismatch(file: file, tensor: name, shape: shape, dtype: dtypeName, byteCount: offsets[1] - offsets[0])
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1]))
        }

        // The tensors must tile the data section: no overlaps, no holes, nothing after.
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var covered = 0
        var previous: Entry?
        for entry in entries {
            if entry.begin < covered, let previous {
                throw Error.overlapping(file: file, first: previous.name, second: entry.name)
            }
            if entry.begin > covered {
                throw Error.hole(file: file, begin: covered, end: entry.begin)
            }
            covered = entry.end
            previous = entry
        }
        if covered != dataLength {
            throw Error.hole(file: file, begin: covered, end: dataLength)
        }

        let dataBytes = UnsafeRawBufferPointer(rebasing: bytes[dataStart...])
        var tensors: [String: NamedTensor] = [:]
        for entry in entries {
            let values = entry.dtype.floats(UnsafeRawBufferPointer(rebasing: dataBytes[entry.begin..<entry.end]))
            tensors[entry.name] = NamedTensor(name: entry.name, shape: entry.shape, values: values)
        }
        return Contents(file: file, tensors: tensors, metadata: metadata)
    }

    /// What a file holds, with checks for the tensors a model expects.
    public struct Contents: Sendable {
        /// The path the tensors came from, for error messages.
        public let file: String
        public let tensors: [String: NamedTensor]
        public let metadata: [String: String]

        /// An error about the file's metadata (`header entry "__metadata__" PROBLEM`).
        public func metadataError(_ problem: String) -> Error {
            .badEntry(file: file, tensor: "__metadata__", problem: problem)
        }

        /// The metadata entry `key`, read by `parse`. Missing, it throws "has no " + `missing`;
        /// rejected, "has an invalid KEY: " and what `describe` makes of `parse`'s error.
        public func metadata<Value, Failure: Swift.Error>(
            _ key: String, missing: String, describing describe: (Failure) -> String = { "\($0)" },
            _ parse: (String) throws(Failure) -> Value
        ) throws(Error) -> Value {
            guard let text = metadata[key] else { throw metadataError("has no " + missing) }
            do { return try parse(text) } catch { throw metadataError("has an invalid \(key): \(describe(error))") }
        }

        /// The values of tensor `name`, which must exist with exactly `shape`.
        public func require(_ name: String, shape: [Int]) throws -> [Float] {
            guard let tensor = tensors[name] else {
                throw Error.missingTensor(file: file, tensor: name)
            }
            guard tensor.shape == shape else {
                throw Error.shapeMismatch(file: file, tensor: name, found: tensor.shape, expected: shape)
            }
            return tensor.values
        }

        /// The values of the tensors `expected` lists, in its order, after checking that the
        /// file holds exactly those: each present with its shape and only finite values, and
        /// no other tensor but those `ignoring` accepts. `source` names what the expectation
        /// comes from ("config.json"), so that a disagreement names both sides.
        ///
        /// This is what every loader of a model runs before it builds anything: the shapes
        /// are checked here, against sizes already bounded, so no size a file gives reaches an
        /// allocation unchecked. A NaN or infinite weight is refused because it would turn
        /// every output that depends on it into NaN, far from where it came from.
        public func values(of expected: [TensorSpec], describedBy source: String,
                           ignoring isIgnorable: (String) -> Bool = { _ in false }) throws -> [[Float]] {
            var result: [[Float]] = []
            result.reserveCapacity(expected.count)
            for spec in expected {
                guard let tensor = tensors[spec.name] else {
                    throw Error.missingTensor(file: file, tensor: spec.name, expectedBy: source)
                }
                guard tensor.shape == spec.shape else {
                    throw Error.shapeMismatch(file: file, tensor: spec.name, found: tensor.shape, expected: spec.shape,
                                              expectedBy: source)
                }
                if let index = tensor.values.firstIndex(where: { !$0.isFinite }) {
                    throw Error.nonFinite(file: file, tensor: spec.name, index: index, value: tensor.values[index])
                }
                result.append(tensor.values)
            }
            let names = Set(expected.map(\.name))
            if let extra = tensors.keys.sorted().first(where: { !names.contains($0) && !isIgnorable($0) }) {
                throw Error.unexpectedTensor(file: file, tensor: extra, expectedBy: source)
            }
            return result
        }
    }

    /// The name and shape of a tensor a loader expects.
    public struct TensorSpec: Equatable, Sendable, CustomStringConvertible {
        public var name: String
        public var shape: [Int]

        public init(_ name: String, _ shape: [Int]) {
            self.name = name
            self.shape = shape
        }

        public var description: String { "\(name) \(shape)" }
    }

    /// The element types a file may declare, with their sizes in bytes.
    enum DType: String {
        case F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL
        case F8_E4M3, F8_E5M2

        var byteCount: Int {
            switch self {
            case .F64, .I64, .U64: return 8
            case .F32, .I32, .U32: return 4
            case .F16, .BF16, .I16, .U16: return 2
            case .I8, .U8, .BOOL, .F8_E4M3, .F8_E5M2: return 1
            }
        }

        /// Converts little-endian raw values of this type to Float. Only the floating
        /// types that checkpoints use are converted; `parse` rejects the others first.
        func floats(_ raw: UnsafeRawBufferPointer) -> [Float] {
            let count = raw.count / byteCount
            return [Float](unsafeUninitializedCapacity: count) { out, initialized in
                switch self {
                case .F32:
                    #if _endian(little)
                    if count > 0 { UnsafeMutableRawPointer(out.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
                    #else
                    for i in 0..<count {
                        out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    }
                    #endif
                case .F64:
                    for i in 0..<count {
                        out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                    }
                case .BF16:
                    // bfloat16 is the top half of a float32.
                    for i in 0..<count {
                        let half = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                        out[i] = Float(bitPattern: UInt32(half) << 16)
                    }
                case .F16:
                    for i in 0..<count {
                        out[i] = floatFromHalf(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                    }
                default:
                    preconditionFailure("dtype \(rawValue) is not converted to Float")
                }
                initialized = count
            }
        }

        var isConvertible: Bool { [.F32, .F64, .F16, .BF16].contains(self) }
    }

    /// IEEE half precision (1 sign, 5 exponent, 10 fraction bits) to Float, written out
    /// so that it does not depend on the platform having `Float16`.
    static func floatFromHalf(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = UInt32(bits & 0x3FF)
        if exponent == 0x1F {  // infinity or NaN, keeping the payload
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        }
        if exponent == 0 {  // zero or subnormal: fraction * 2^-24
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | fraction << 13)
    }

    private static func elementCount(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// The product of the shape, or nil if it overflows.
    private static func checkedElementCount(_ shape: [Int]) -> Int? {
        var product = 1
        for dimension in shape {
            let (result, overflow) = product.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            product = result
        }
        return product
    }

    /// A JSON list of integers as Ints, or nil if it is not a list or any element is not
    /// an integer that fits (`2.0`, `true` and `2^63` are not).
    private static func integers(_ value: JSONValue?) -> [Int]? {
        guard case .array(let elements) = value else { return nil }
        var result: [Int] = []
        for element in elements {
            guard case .integer(let number) = element else { return nil }
            result.append(number)
        }
        return result
    }
}

extension SafeTensors {
    /// Everything that can be wrong with a safetensors file, each naming the file.
    public enum Error: Swift.Error, LocalizedError, CustomStringConvertible, Equatable {
        case unreadable(file: String, reason: String)
        case cannotWrite(file: String, reason: String)
        case tooShort(file: String, byteCount: Int)
        case headerLengthTooLarge(file: String, headerLength: UInt64, fileLength: Int)
        case headerNotJSON(file: String, reason: String)
        case badEntry(file: String, tensor: String, problem: String)
        case unknownDType(file: String, tensor: String, dtype: String)
        case unsupportedDType(file: String, tensor: String, dtype: String)
        case offsetsOutOfRange(file: String, tensor: String, begin: Int, end: Int, dataLength: Int)
        case sizeMismatch(file: String, tensor: String, shape: [Int], dtype: String, byteCount: Int)
        case overlapping(file: String, first: String, second: String)
        case hole(file: String, begin: Int, end: Int)
        /// `expectedBy` names what calls for the tensor ("config.json"), when known.
        case missingTensor(file: String, tensor: String, expectedBy: String? = nil)
        case shapeMismatch(file: String, tensor: String, found: [Int], expected: [Int], expectedBy: String? = nil)
        case unexpectedTensor(file: String, tensor: String, expectedBy: String)
        case nonFinite(file: String, tensor: String, index: Int, value: Float)

        /// The file the problem is in.
        public var file: String {
            switch self {
            case let .unreadable(file, _), let .cannotWrite(file, _), let .tooShort(file, _),
                 let .headerLengthTooLarge(file, _, _), let .headerNotJSON(file, _), let .badEntry(file, _, _),
                 let .unknownDType(file, _, _), let .unsupportedDType(file, _, _),
                 let .offsetsOutOfRange(file, _, _, _, _), let .sizeMismatch(file, _, _, _, _),
                 let .overlapping(file, _, _), let .hole(file, _, _), let .missingTensor(file, _, _),
                 let .shapeMismatch(file, _, _, _, _), let .unexpectedTensor(file, _, _), let .nonFinite(file, _, _, _):
                return file
            }
        }

        /// What is wrong, in one line.
        public var problem: String {
            switch self {
            case let .unreadable(_, reason):
                return "cannot read the file (\(reason))"
            case let .cannotWrite(_, reason):
                return "cannot write the file (\(reason))"
            case let .tooShort(_, byteCount):
                return "file is \(byteCount) bytes, too short for the 8-byte header length"
            case let .headerLengthTooLarge(_, headerLength, fileLength):
                return "header length \(headerLength) is larger than the \(fileLength)-byte file allows"
            case let .headerNotJSON(_, reason):
                return reason
            case let .badEntry(_, tensor, problem):
                return "header entry \(tensor.jsonQuoted) \(problem)"
            case let .unknownDType(_, tensor, dtype):
                return "tensor \(tensor) has unknown dtype \(dtype.jsonQuoted)"
            case let .unsupportedDType(_, tensor, dtype):
                return "tensor \(tensor) has dtype \(dtype), which is not read here (F32, F16, BF16 and F64 are)"
            case let .offsetsOutOfRange(_, tensor, begin, end, dataLength):
                return "tensor \(tensor) has data_offsets [\(begin), \(end)] outside the \(dataLength)-byte data section"
            case let .sizeMismatch(_, tensor, shape, dtype, byteCount):
                return "tensor \(tensor) has shape \(shape) of \(dtype) but its data_offsets span \(byteCount) bytes"
            case let .overlapping(_, first, second):
                return "tensors \(first) and \(second) overlap in the data section"
            case let .hole(_, begin, end):
                return "bytes \(begin)..<\(end) of the data section belong to no tensor"
            case let .missingTensor(_, tensor, source):
                return "missing tensor \(tensor)" + (source.map { ", which \($0) calls for" } ?? "")
            case let .shapeMismatch(_, tensor, found, expected, source):
                return "tensor \(tensor) has shape \(found), " + (source.map { "but \($0) calls for \(expected)" } ?? "expected \(expected)")
            case let .unexpectedTensor(_, tensor, source):
                return "holds tensor \(tensor), which \(source) does not call for"
            case let .nonFinite(_, tensor, index, value):
                return "tensor \(tensor) holds \(value) at element \(index) (weights must be finite numbers)"
            }
        }

        /// "file: problem", on one line whatever names the file holds.
        public var description: String { "\(file): \(problem)".singleLine }
        public var errorDescription: String? { description }
    }
}
