import Foundation
import TensorCore

/// The few numbers that define a GPT-2-style model (as in nanoGPT's `GPTConfig`).
///
/// Stored on disk as Hugging Face's GPT-2 `config.json`, so a checkpoint written by the
/// course with GPT-2's learned positions loads in `transformers` as `GPT2LMHeadModel`.
/// A model with rotary positions keeps every other name and shape, but GPT-2's class has
/// no rotary positions: its config says `"model_type": "gpt2-rotary"`, which `transformers`
/// refuses instead of loading it without positions.
public struct GPTConfig: Equatable, Sendable {
    /// How the model knows where a token stands.
    public enum PositionEncoding: String, Equatable, Sendable {
        /// GPT-2's: a learned table wpe [T, d] added to the token embeddings.
        case learned
        /// Rotary (RoPE): queries and keys turned by an angle proportional to their
        /// position, in every attention layer (`rotaryPositions`); no position table.
        case rotary
    }

    /// V: the number of token ids (the tokenizer's vocabulary size).
    public var vocabularySize: Int
    /// T: the longest sequence the model reads (the learned position table has T rows).
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
    /// GPT-2's learned position table, or rotary positions.
    public var positionEncoding: PositionEncoding

    public init(vocabularySize: Int, contextLength: Int, layerCount: Int, headCount: Int, modelWidth: Int,
                layerNormEpsilon: Double = 1e-5, initializerRange: Double = 0.02, endOfTextTokenId: Int? = nil,
                positionEncoding: PositionEncoding = .learned) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.layerCount = layerCount
        self.headCount = headCount
        self.modelWidth = modelWidth
        self.layerNormEpsilon = layerNormEpsilon
        self.initializerRange = initializerRange
        self.endOfTextTokenId = endOfTextTokenId ?? vocabularySize - 1
        self.positionEncoding = positionEncoding
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
    /// total = (V + T) d + L (12 d^2 + 13 d) + 2 d, without the T d of wpe when the
    /// positions are rotary (they have no weights).
    public var parameterCount: Int {
        let d = modelWidth
        let positionTable = positionEncoding == .learned ? contextLength * d : 0
        return vocabularySize * d + positionTable + layerCount * (12 * d * d + 13 * d) + 2 * d
    }

    /// A config that cannot describe a model, and why.
    public struct InvalidError: Error, LocalizedError, CustomStringConvertible {
        public let problem: String
        public var description: String { "invalid GPT config: \(problem)" }
        public var errorDescription: String? { description }
    }

    /// The largest size each field may have. They are far beyond this course's models (and
    /// GPT-2 XL's: V 50,257, T 1,024, L 48, d 1,600), and small enough that every product of
    /// sizes in the package (the largest is (V + T)·d < 2^35 elements) fits in an Int with
    /// room to spare. A config.json beyond them is damaged, and is refused before anything
    /// is allocated for it.
    public static let sizeLimits: [(key: String, limit: Int)] = [
        ("vocab_size", 1 << 20), ("n_positions", 1 << 20), ("n_layer", 1 << 10), ("n_head", 1 << 10), ("n_embd", 1 << 14),
    ]

    /// Throws if any size is not positive or beyond `sizeLimits`, the width does not split
    /// evenly into heads, the end-of-text id is not in the vocabulary, or the floats are not
    /// positive numbers that a Float can hold.
    public func validate() throws {
        let sizes = [vocabularySize, contextLength, layerCount, headCount, modelWidth]
        for ((name, limit), value) in zip(Self.sizeLimits, sizes) {
            guard value > 0 else { throw InvalidError(problem: "\(name) is \(value), must be positive") }
            guard value <= limit else { throw InvalidError(problem: "\(name) is \(value), more than the \(limit) this course accepts") }
        }
        guard modelWidth % headCount == 0 else {
            throw InvalidError(problem: "n_embd \(modelWidth) is not divisible by n_head \(headCount)")
        }
        if positionEncoding == .rotary && headWidth % 2 != 0 {
            throw InvalidError(problem: "rotary positions need an even head width, not \(headWidth)")
        }
        guard endOfTextTokenId >= 0 && endOfTextTokenId < vocabularySize else {
            throw InvalidError(problem: "eos_token_id \(endOfTextTokenId) is outside the vocabulary 0..<\(vocabularySize)")
        }
        // The model computes in Float: 1e-50 would become 0 and 1e39 infinity.
        guard Float(layerNormEpsilon) > 0, Float(layerNormEpsilon).isFinite else {
            throw InvalidError(problem: "layer_norm_epsilon is \(layerNormEpsilon), must be a positive number a Float can hold")
        }
        guard Float(initializerRange) > 0, Float(initializerRange).isFinite else {
            throw InvalidError(problem: "initializer_range is \(initializerRange), must be a positive number a Float can hold")
        }
    }

    /// Every weight of the model this config describes, by GPT-2's name and shape, in the
    /// order of `GPT.parameters`: what a checkpoint must hold, known before any weight is
    /// allocated.
    public var weightShapes: [SafeTensors.TensorSpec] {
        let d = modelWidth
        func layerNorm(_ prefix: String) -> [SafeTensors.TensorSpec] { [.init(prefix + ".weight", [d]), .init(prefix + ".bias", [d])] }
        var specs: [SafeTensors.TensorSpec] = [.init("transformer.wte.weight", [vocabularySize, d])]
        if positionEncoding == .learned { specs.append(.init("transformer.wpe.weight", [contextLength, d])) }
        for l in 0..<layerCount {
            let prefix = "transformer.h.\(l)."
            specs += layerNorm(prefix + "ln_1")
            specs += [.init(prefix + "attn.c_attn.weight", [d, 3 * d]), .init(prefix + "attn.c_attn.bias", [3 * d]),
                      .init(prefix + "attn.c_proj.weight", [d, d]), .init(prefix + "attn.c_proj.bias", [d])]
            specs += layerNorm(prefix + "ln_2")
            specs += [.init(prefix + "mlp.c_fc.weight", [d, 4 * d]), .init(prefix + "mlp.c_fc.bias", [4 * d]),
                      .init(prefix + "mlp.c_proj.weight", [4 * d, d]), .init(prefix + "mlp.c_proj.bias", [d])]
        }
        return specs + layerNorm("transformer.ln_f")
    }
}

// MARK: - config.json

extension GPTConfig: Encodable {
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
        try container.encode(positionEncoding == .learned ? "gpt2" : Self.rotaryModelType, forKey: .modelType)
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

    /// Reads and validates a GPT-2 config from its JSON (config.json, or the copy inside
    /// a reward model's metadata). The sizes are required; the rest default to GPT-2's
    /// values. A config for a different architecture (another activation, an MLP width
    /// other than 4d, untied embeddings) is refused rather than silently misread. Throws an
    /// `InvalidError` whose problem is one line: a JSON syntax error with its line, a key
    /// that is missing or of the wrong kind, or a value `validate()` refuses.
    public static func fromJSON(_ data: Data) throws(InvalidError) -> GPTConfig {
        let value: JSONValue
        do { value = try JSONValue.parse(data) } catch {
            throw InvalidError(problem: "not valid JSON (\(error))")
        }
        let config: GPTConfig
        do {
            config = try fromFields(try JSONFields(value, what: "the config"))
        } catch {
            throw InvalidError(problem: error.description)
        }
        do { try config.validate() } catch let error as InvalidError { throw error } catch {
            throw InvalidError(problem: "\(error)")
        }
        return config
    }

    /// The config from the fields of config.json, before `validate()`.
    private static func fromFields(_ fields: JSONFields) throws(JSONFields.Problem) -> GPTConfig {
        func key(_ key: CodingKeys) -> String { key.stringValue }
        func refuse(_ problem: String) -> JSONFields.Problem { JSONFields.Problem(description: problem) }
        let type = try fields.optionalString(key(.modelType)) ?? "gpt2"
        guard type == "gpt2" || type == rotaryModelType else {
            throw refuse("model_type is \(type.jsonQuoted), expected \"gpt2\" or \"\(rotaryModelType)\"")
        }
        let width = try fields.integer(key(.modelWidth))
        if let inner = try fields.optionalInteger(key(.innerWidth)), inner != 4 * width {
            throw refuse("n_inner is \(inner), only 4 * n_embd is supported")
        }
        if let activation = try fields.optionalString(key(.activation)), activation != "gelu_new" {
            throw refuse("activation_function is \(activation.jsonQuoted), only \"gelu_new\" (GELU, tanh form) is supported")
        }
        if try fields.optionalBool(key(.tieEmbeddings)) == false {
            throw refuse("tie_word_embeddings is false, only a tied LM head is supported")
        }
        // Fields the course does not use but transformers does: a damaged value there is
        // still a damaged file.
        for dropout in [CodingKeys.residualDropout, .embeddingDropout, .attentionDropout] {
            if let p = try fields.optionalNumber(key(dropout)), !(0...1).contains(p) {
                throw refuse("\(key(dropout)) is \(p), must be in [0, 1]")
            }
        }
        let vocabularySize = try fields.integer(key(.vocabularySize))
        let contextLength = try fields.integer(key(.contextLength))
        if let alias = try fields.optionalInteger(key(.contextLengthAlias)), alias != contextLength {
            throw refuse("n_ctx is \(alias) but n_positions is \(contextLength); the two must agree")
        }
        if let begin = try fields.optionalInteger(key(.beginTokenId)), !(0..<max(vocabularySize, 0)).contains(begin) {
            throw refuse("bos_token_id \(begin) is outside the vocabulary 0..<\(vocabularySize)")
        }
        return GPTConfig(
            vocabularySize: vocabularySize,
            contextLength: contextLength,
            layerCount: try fields.integer(key(.layerCount)),
            headCount: try fields.integer(key(.headCount)),
            modelWidth: width,
            layerNormEpsilon: try fields.optionalNumber(key(.layerNormEpsilon)) ?? 1e-5,
            initializerRange: try fields.optionalNumber(key(.initializerRange)) ?? 0.02,
            endOfTextTokenId: try fields.optionalInteger(key(.endTokenId)),
            positionEncoding: type == rotaryModelType ? .rotary : .learned)
    }

    /// The model_type of a GPT-2 with rotary positions (not a type `transformers` knows).
    public static let rotaryModelType = "gpt2-rotary"

    public static let fileName = "config.json"

    /// A config.json that cannot be read or written: which file, and what is wrong.
    public struct FileError: Error, LocalizedError, CustomStringConvertible {
        public let file: String
        public let problem: String
        public var description: String { "\(file): \(problem)".singleLine }
        public var errorDescription: String? { description }
    }

    /// Writes the config as pretty, key-sorted JSON to `url`, atomically.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder.sortingKeys(pretty: true)
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

    /// Reads and validates a config.json (see `fromJSON`).
    public static func load(from url: URL) throws -> GPTConfig {
        let data: Data
        do { data = try FileBytes.read(url) } catch {
            throw FileError(file: url.path, problem: "cannot read (\(error.reason))")
        }
        do {
            return try fromJSON(data)
        } catch {
            throw FileError(file: url.path, problem: error.problem)
        }
    }
}
