import Foundation
import TensorCore

/// The few numbers that define a GPT-2-style model (as in nanoGPT's `GPTConfig`).
///
/// Stored on disk as Hugging Face's GPT-2 `config.json`, so a checkpoint written by the
/// course loads in `transformers` as `GPT2LMHeadModel`.
public struct GPTConfig: Equatable, Sendable {
    /// V: the number of token ids (the tokenizer's vocabulary size).
    public var vocabularySize: Int
    /// T: the longest sequence the model reads; the position table has T rows.
    public var contextLength: Int
    /// L: the number of transformer blocks.
    public var layerCount: Int
    /// H: attention heads per block; each sees `headWidth = modelWidth / headCount` dims.
    public var headCount: Int
    /// d (GPT-2's n_embd, d_model): the width of the residual stream.
    public var modelWidth: Int
    /// The epsilon inside every LayerNorm's square root; GPT-2 uses 1e-5.
    public var layerNormEpsilon: Double
    /// The standard deviation of the normal initialization of the weights; GPT-2 uses 0.02.
    public var initializerRange: Double
    /// The id of `<|endoftext|>`, GPT-2's beginning- and end-of-sequence token.
    public var endOfTextTokenId: Int

    public init(vocabularySize: Int, contextLength: Int, layerCount: Int, headCount: Int, modelWidth: Int,
                layerNormEpsilon: Double = 1e-5, initializerRange: Double = 0.02, endOfTextTokenId: Int? = nil) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.layerCount = layerCount
        self.headCount = headCount
        self.modelWidth = modelWidth
        self.layerNormEpsilon = layerNormEpsilon
        self.initializerRange = initializerRange
        self.endOfTextTokenId = endOfTextTokenId ?? vocabularySize - 1
    }

    /// The benchmark's small model: 0.88M parameters.
    public static let small = GPTConfig(vocabularySize: 512, contextLength: 128, layerCount: 4, headCount: 4, modelWidth: 128)
    /// The benchmark's medium model: 11.5M parameters.
    public static let medium = GPTConfig(vocabularySize: 2048, contextLength: 256, layerCount: 6, headCount: 6, modelWidth: 384)

    /// The width of one attention head, d / H.
    public var headWidth: Int { modelWidth / headCount }

    /// The number of trainable parameters of GPT-2 with its LM head tied to the token
    /// embedding. With d = modelWidth, V = vocabularySize, T = contextLength, L = layerCount:
    ///
    ///     wte  V d      wpe  T d      ln_f  2d
    ///     per block:  ln_1 2d + c_attn (3d^2 + 3d) + attn.c_proj (d^2 + d)
    ///               + ln_2 2d + c_fc (4d^2 + 4d)   + mlp.c_proj (4d^2 + d)  =  12 d^2 + 13 d
    ///
    /// total = (V + T) d + L (12 d^2 + 13 d) + 2 d.
    public var parameterCount: Int {
        let d = modelWidth
        return (vocabularySize + contextLength) * d + layerCount * (12 * d * d + 13 * d) + 2 * d
    }

    /// A config that cannot describe a model, and why.
    public struct InvalidError: Error, LocalizedError, CustomStringConvertible {
        public let problem: String
        public var description: String { "invalid GPT config: \(problem)" }
        public var errorDescription: String? { description }
    }

    /// Throws if any size is not positive, the width does not split evenly into heads,
    /// the end-of-text id is not in the vocabulary, or the floats are not positive.
    public func validate() throws {
        for (name, value) in [("vocab_size", vocabularySize), ("n_positions", contextLength),
                              ("n_layer", layerCount), ("n_head", headCount), ("n_embd", modelWidth)] where value <= 0 {
            throw InvalidError(problem: "\(name) is \(value), must be positive")
        }
        guard modelWidth % headCount == 0 else {
            throw InvalidError(problem: "n_embd \(modelWidth) is not divisible by n_head \(headCount)")
        }
        guard endOfTextTokenId >= 0 && endOfTextTokenId < vocabularySize else {
            throw InvalidError(problem: "eos_token_id \(endOfTextTokenId) is outside the vocabulary 0..<\(vocabularySize)")
        }
        guard layerNormEpsilon > 0, layerNormEpsilon.isFinite else {
            throw InvalidError(problem: "layer_norm_epsilon is \(layerNormEpsilon), must be positive")
        }
        guard initializerRange > 0, initializerRange.isFinite else {
            throw InvalidError(problem: "initializer_range is \(initializerRange), must be positive")
        }
    }
}

// MARK: - config.json

extension GPTConfig: Codable {
    /// Hugging Face's names for the fields of `GPT2Config`.
    private enum CodingKeys: String, CodingKey {
        case architectures
        case modelType = "model_type"
        case vocabularySize = "vocab_size"
        case contextLength = "n_positions"
        case contextLengthAlias = "n_ctx"
        case modelWidth = "n_embd"
        case layerCount = "n_layer"
        case headCount = "n_head"
        case innerWidth = "n_inner"
        case activation = "activation_function"
        case layerNormEpsilon = "layer_norm_epsilon"
        case initializerRange = "initializer_range"
        case residualDropout = "resid_pdrop"
        case embeddingDropout = "embd_pdrop"
        case attentionDropout = "attn_pdrop"
        case beginTokenId = "bos_token_id"
        case endTokenId = "eos_token_id"
        case tieEmbeddings = "tie_word_embeddings"
        case scaleAttention = "scale_attn_weights"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(["GPT2LMHeadModel"], forKey: .architectures)
        try container.encode("gpt2", forKey: .modelType)
        try container.encode(vocabularySize, forKey: .vocabularySize)
        try container.encode(contextLength, forKey: .contextLength)
        try container.encode(contextLength, forKey: .contextLengthAlias)
        try container.encode(modelWidth, forKey: .modelWidth)
        try container.encode(layerCount, forKey: .layerCount)
        try container.encode(headCount, forKey: .headCount)
        try container.encodeNil(forKey: .innerWidth)
        try container.encode("gelu_new", forKey: .activation)
        try container.encode(layerNormEpsilon, forKey: .layerNormEpsilon)
        try container.encode(initializerRange, forKey: .initializerRange)
        // The course trains without dropout (small models, little data, short runs).
        try container.encode(0.0, forKey: .residualDropout)
        try container.encode(0.0, forKey: .embeddingDropout)
        try container.encode(0.0, forKey: .attentionDropout)
        try container.encode(endOfTextTokenId, forKey: .beginTokenId)
        try container.encode(endOfTextTokenId, forKey: .endTokenId)
        try container.encode(true, forKey: .tieEmbeddings)
        try container.encode(true, forKey: .scaleAttention)
    }

    /// Reads a GPT-2 config. The sizes are required; the rest default to GPT-2's values.
    /// A config for a different architecture (another activation, an MLP width other
    /// than 4d, untied embeddings) is refused rather than silently misread.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let type = try container.decodeIfPresent(String.self, forKey: .modelType), type != "gpt2" {
            throw DecodingError.dataCorruptedError(forKey: .modelType, in: container,
                                                   debugDescription: "model_type is \"\(type)\", expected \"gpt2\"")
        }
        let vocabularySize = try container.decode(Int.self, forKey: .vocabularySize)
        let width = try container.decode(Int.self, forKey: .modelWidth)
        self.init(
            vocabularySize: vocabularySize,
            contextLength: try container.decode(Int.self, forKey: .contextLength),
            layerCount: try container.decode(Int.self, forKey: .layerCount),
            headCount: try container.decode(Int.self, forKey: .headCount),
            modelWidth: width,
            layerNormEpsilon: try container.decodeIfPresent(Double.self, forKey: .layerNormEpsilon) ?? 1e-5,
            initializerRange: try container.decodeIfPresent(Double.self, forKey: .initializerRange) ?? 0.02,
            endOfTextTokenId: try container.decodeIfPresent(Int.self, forKey: .endTokenId))
        if let inner = try container.decodeIfPresent(Int.self, forKey: .innerWidth), inner != 4 * width {
            throw DecodingError.dataCorruptedError(forKey: .innerWidth, in: container,
                                                   debugDescription: "n_inner is \(inner), only 4 * n_embd = \(4 * width) is supported")
        }
        if let activation = try container.decodeIfPresent(String.self, forKey: .activation), activation != "gelu_new" {
            throw DecodingError.dataCorruptedError(forKey: .activation, in: container,
                                                   debugDescription: "activation_function is \"\(activation)\", only \"gelu_new\" (GELU, tanh form) is supported")
        }
        if try container.decodeIfPresent(Bool.self, forKey: .tieEmbeddings) == false {
            throw DecodingError.dataCorruptedError(forKey: .tieEmbeddings, in: container,
                                                   debugDescription: "tie_word_embeddings is false, only a tied LM head is supported")
        }
    }

    public static let fileName = "config.json"

    /// A config.json that cannot be read or written: which file, and what is wrong.
    public struct FileError: Error, LocalizedError, CustomStringConvertible {
        public let file: String
        public let problem: String
        public var description: String { "\(file): \(problem)" }
        public var errorDescription: String? { description }
    }

    /// Writes the config as pretty, key-sorted JSON to `url`, atomically.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try validate()
            var data = try encoder.encode(self)
            data.append(UInt8(ascii: "\n"))
            try AtomicFile.write(data, to: url)
        } catch let error as InvalidError {
            throw FileError(file: url.path, problem: "not written: \(error.problem)")
        } catch {
            throw FileError(file: url.path, problem: "cannot write (\(error.localizedDescription))")
        }
    }

    /// Reads and validates a config.json.
    public static func load(from url: URL) throws -> GPTConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FileError(file: url.path, problem: "cannot read (\(error.localizedDescription))")
        }
        let config: GPTConfig
        do {
            config = try JSONDecoder().decode(GPTConfig.self, from: data)
        } catch let error as DecodingError {
            throw FileError(file: url.path, problem: Self.describe(error))
        } catch {
            throw FileError(file: url.path, problem: "not valid JSON")
        }
        do { try config.validate() } catch let error as InvalidError {
            throw FileError(file: url.path, problem: error.problem)
        }
        return config
    }

    /// One line for a decoding error: the key and what was wrong with it.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, _):
            return "missing key \"\(key.stringValue)\""
        case let .typeMismatch(type, context):
            return "\"\(path(context))\" is not \(type == Int.self ? "an integer" : "a \(type)")"
        case let .valueNotFound(type, context):
            return "\"\(path(context))\" is null, expected \(type)"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not valid JSON" : context.debugDescription
        @unknown default:
            return "cannot be decoded"
        }
    }
}
