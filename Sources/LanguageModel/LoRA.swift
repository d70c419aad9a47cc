import Foundation
import TensorCore

/// A projection of a transformer block that a LoRA adapter can adapt.
public enum LoRATarget: String, CaseIterable, Codable, Sendable {
    /// The query, key and value parts of the fused `attn.c_attn` [d, 3d]: columns
    /// 0..<d, d..<2d and 2d..<3d.
    case query = "q", key = "k", value = "v"
    /// `attn.c_proj` [d, d].
    case attentionOutput = "attn.c_proj"
    /// `mlp.c_fc` [d, 4d].
    case mlpInput = "mlp.c_fc"
    /// `mlp.c_proj` [4d, d].
    case mlpOutput = "mlp.c_proj"

    /// Column offset inside c_attn, for the three parts of the fused projection.
    var fusedColumnBlock: Int? {
        switch self {
        case .query: return 0
        case .key: return 1
        case .value: return 2
        default: return nil
        }
    }

    /// (in, out) widths of the adapted projection for model width d.
    func shape(width d: Int) -> (input: Int, output: Int) {
        switch self {
        case .query, .key, .value, .attentionOutput: return (d, d)
        case .mlpInput: return (d, 4 * d)
        case .mlpOutput: return (4 * d, d)
        }
    }

    /// The tensor-name stem of the adapter's matrices in block `l`.
    func name(layer l: Int, matrix: String) -> String {
        switch self {
        case .query, .key, .value: return "transformer.h.\(l).attn.c_attn.\(matrix).\(rawValue)"
        default: return "transformer.h.\(l).\(rawValue).\(matrix)"
        }
    }
}

/// LoRA's hyperparameters (Hu et al., 2021). The defaults are the seed's.
public struct LoRAConfig: Equatable, Encodable, Sendable {
    /// r: the rank of the update ΔW = A·B. Usually 4 to 64.
    public var rank: Int
    /// α: the update is scaled by α / r, so changing r does not change the step size
    /// much. Usually r to 2r.
    public var alpha: Float
    /// Dropout on the adapter's input during training; usually 0 to 0.1.
    public var dropout: Float
    /// Which projections of every block get an adapter; the seed adapts q and v.
    public var targets: [LoRATarget]

    public init(rank: Int = 16, alpha: Float = 32, dropout: Float = 0.05, targets: [LoRATarget] = [.query, .value]) {
        if let problem = Self.problem(rank: rank, alpha: alpha, dropout: dropout, targets: targets) {
            preconditionFailure("LoRAConfig: \(problem)")
        }
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        // A fixed order, whatever order the caller listed them in.
        self.targets = LoRATarget.allCases.filter { targets.contains($0) }
    }

    /// α / r, the factor in front of A·B.
    public var scale: Float { alpha / Float(rank) }

    /// The largest rank accepted, the largest model width `GPTConfig` accepts (a rank above
    /// the width adds parameters but no expressive power).
    public static let maximumRank = 1 << 14

    /// What is wrong with these hyperparameters, or nil: the one check behind both the
    /// initializer's precondition and the refusal of a bad adapter file.
    static func problem(rank: Int, alpha: Float, dropout: Float, targets: [LoRATarget]) -> String? {
        guard rank > 0, rank <= maximumRank else { return "rank is \(rank), must be in 1...\(maximumRank)" }
        guard alpha > 0, alpha.isFinite else { return "alpha is \(alpha), must be a positive number" }
        guard dropout >= 0, dropout < 1 else { return "dropout is \(dropout), must be in [0, 1)" }
        guard !targets.isEmpty else { return "targets is empty, must name at least one projection" }
        return nil
    }

    /// Reads the config from its JSON (the adapter file's `lora_config` metadata), with the
    /// same checks as the initializer, and refuses a target that is unknown or listed twice.
    /// Throws a one-line description of the problem.
    public static func fromJSON(_ text: String) throws(JSONFields.Problem) -> LoRAConfig {
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch {
            throw JSONFields.Problem(description: "not valid JSON (\(error))")
        }
        let fields = try JSONFields(value, what: "the config")
        let rank = try fields.integer("rank")
        let alpha = Float(try fields.number("alpha"))
        let dropout = Float(try fields.number("dropout"))
        var targets: [LoRATarget] = []
        for name in try fields.strings("targets") {
            guard let target = LoRATarget(rawValue: name) else {
                let known = LoRATarget.allCases.map(\.rawValue.jsonQuoted).joined(separator: ", ")
                throw JSONFields.Problem(description: "target \(name.jsonQuoted) is not one of \(known)")
            }
            guard !targets.contains(target) else {
                throw JSONFields.Problem(description: "target \(name.jsonQuoted) is listed twice")
            }
            targets.append(target)
        }
        if let problem = problem(rank: rank, alpha: alpha, dropout: dropout, targets: targets) {
            throw JSONFields.Problem(description: problem)
        }
        return LoRAConfig(rank: rank, alpha: alpha, dropout: dropout, targets: targets)
    }

    /// The A and B matrices an adapter with this config has on `model`, by name and shape,
    /// in the order of `LoRAAdapter.parameters`: what an adapter file must hold, known
    /// before anything is allocated.
    public func weightShapes(for model: GPTConfig) -> [SafeTensors.TensorSpec] {
        (0..<model.layerCount).flatMap { l in
            targets.flatMap { target -> [SafeTensors.TensorSpec] in
                let (input, output) = target.shape(width: model.modelWidth)
                return [.init(target.name(layer: l, matrix: "lora_A"), [input, rank]),
                        .init(target.name(layer: l, matrix: "lora_B"), [rank, output])]
            }
        }
    }
}

/// Low-rank adapters on a frozen GPT: each adapted projection W [in, out] becomes
///
///     y = x·W + b + (α/r) · dropout(x)·A·B,      A [in, r],  B [r, out]
///
/// with only A and B trained. B starts at zero, so a fresh adapter leaves the model
/// exactly as it was, and A starts random (uniform in ±1/√in, as PEFT's Kaiming-uniform
/// init), so that B's first gradient, (x·A)ᵀ·dy, is not zero.
/// Attach with `model.adapter = adapter`; `model.withAdapterDisabled { }` gives back the
/// base model (RLHF's reference policy) with no second copy of the weights.
public final class LoRAAdapter {
    public let config: LoRAConfig
    /// The model shape the adapter fits.
    public let modelWidth: Int
    public let layers: [LoRALayer]
    /// Dropout on the adapter input is applied only while training is true.
    public var isTraining = false
    /// The source of the dropout masks.
    public var dropoutGenerator: RandomGenerator
    /// Base weights as they were before `merge(into:)`, per tensor name; empty when not merged.
    var savedBaseWeights: [String: [Float]] = [:]

    /// True while the update is folded into the model's weights.
    public var isMerged: Bool { !savedBaseWeights.isEmpty }

    public init(config: LoRAConfig = LoRAConfig(), for model: GPTConfig, rng: inout RandomGenerator) {
        self.config = config
        self.modelWidth = model.modelWidth
        var layers: [LoRALayer] = []
        for l in 0..<model.layerCount {
            var pairs: [LoRATarget: LoRALayer.Pair] = [:]
            for target in config.targets {
                let (input, output) = target.shape(width: model.modelWidth)
                let bound = 1 / Float(input).squareRoot()
                let a = Tensor.randomUniform([input, config.rank], low: -bound, high: bound, using: &rng)
                pairs[target] = LoRALayer.Pair(
                    a: Tensor(parameter: a.data, shape: a.shape, name: target.name(layer: l, matrix: "lora_A")),
                    b: .zeroParameter([config.rank, output], target.name(layer: l, matrix: "lora_B")))
            }
            layers.append(LoRALayer(index: l, pairs: pairs, owner: nil))
        }
        self.layers = layers
        self.dropoutGenerator = rng.derived("lora-dropout")
        for layer in layers { layer.owner = self }
    }

    /// A and B of every adapted projection, block by block, in target order.
    public var parameters: [Tensor] {
        layers.flatMap { layer in config.targets.flatMap { [layer.pairs[$0]!.a, layer.pairs[$0]!.b] } }
    }

    func matches(_ model: GPTConfig) -> Bool {
        model.modelWidth == modelWidth && model.layerCount == layers.count
    }

    /// ΔW = (α/r)·A·B for one target of one block, [in, out].
    func update(layer l: Int, target: LoRATarget) -> [Float] {
        let pair = layers[l].pairs[target]!
        let (input, output) = target.shape(width: modelWidth)
        var delta = [Float](repeating: 0, count: input * output)
        pair.a.data.withUnsafeBufferPointer { a in
            pair.b.data.withUnsafeBufferPointer { b in
                delta.withUnsafeMutableBufferPointer { c in
                    BLAS.sgemm(transposeA: false, transposeB: false, m: input, n: output, k: config.rank,
                               alpha: config.scale, a: a.baseAddress!, lda: config.rank,
                               b: b.baseAddress!, ldb: output, c: c.baseAddress!, ldc: output)
                }
            }
        }
        return delta
    }

    /// The base weight tensor a target adapts in block `block`.
    static func baseWeight(_ target: LoRATarget, in block: TransformerBlock) -> Tensor {
        switch target {
        case .query, .key, .value: return block.attentionWeight
        case .attentionOutput: return block.attentionProjectionWeight
        case .mlpInput: return block.expandWeight
        case .mlpOutput: return block.contractWeight
        }
    }

    /// The weights with the update folded in, W' = W + (α/r)·A·B, for each adapted
    /// matrix of `model` (by tensor name); what inference runs on.
    func effectiveWeights(of model: GPT) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (l, block) in model.blocks.enumerated() {
            for target in config.targets {
                let base = Self.baseWeight(target, in: block)
                var w = result[base.name] ?? base.data
                let delta = update(layer: l, target: target)
                let (input, output) = target.shape(width: modelWidth)
                let columns = base.shape[1]
                let offset = (target.fusedColumnBlock ?? 0) * output
                w.withUnsafeMutableBufferPointer { pw in
                    for i in 0..<input {
                        for j in 0..<output { pw[i * columns + offset + j] += delta[i * output + j] }
                    }
                }
                result[base.name] = w
            }
        }
        return result
    }

    /// Folds the update into `model`'s weights (W ← W + (α/r)·A·B), so inference costs
    /// nothing extra; the forward pass then skips the adapter. The base weights are kept
    /// so that `unmerge` restores them bit for bit.
    public func merge(into model: GPT) {
        precondition(model.adapter === self, "LoRAAdapter.merge: attach the adapter to the model first")
        precondition(!isMerged, "LoRAAdapter.merge: already merged")
        let merged = effectiveWeights(of: model)
        for block in model.blocks {
            for target in config.targets {
                let base = Self.baseWeight(target, in: block)
                if savedBaseWeights[base.name] == nil {
                    savedBaseWeights[base.name] = base.data
                    base.data = merged[base.name]!
                }
            }
        }
    }

    /// Takes the update back out of the weights: they return to the exact base values.
    public func unmerge(from model: GPT) {
        precondition(isMerged, "LoRAAdapter.unmerge: not merged")
        for block in model.blocks {
            for target in config.targets {
                let base = Self.baseWeight(target, in: block)
                if let saved = savedBaseWeights[base.name] { base.data = saved }
            }
        }
        savedBaseWeights = [:]
    }

    /// When merged, swaps the base weights back in and returns the closure that swaps
    /// the merged ones back (array swaps: no copy).
    func temporarilyRestoreBase(of model: GPT) -> (() -> Void)? {
        guard isMerged else { return nil }
        var mergedWeights: [String: [Float]] = [:]
        for block in model.blocks {
            for target in config.targets {
                let base = Self.baseWeight(target, in: block)
                if let saved = savedBaseWeights[base.name], mergedWeights[base.name] == nil {
                    mergedWeights[base.name] = base.data
                    base.data = saved
                }
            }
        }
        return {
            for block in model.blocks {
                for target in self.config.targets {
                    let base = Self.baseWeight(target, in: block)
                    if let merged = mergedWeights[base.name] { base.data = merged }
                }
            }
        }
    }
}

/// The adapters of one transformer block.
public final class LoRALayer {
    public struct Pair {
        /// A [in, r], random at the start.
        public let a: Tensor
        /// B [r, out], zero at the start.
        public let b: Tensor
    }

    public let index: Int
    public let pairs: [LoRATarget: Pair]
    weak var owner: LoRAAdapter?

    init(index: Int, pairs: [LoRATarget: Pair], owner: LoRAAdapter?) {
        self.index = index
        self.pairs = pairs
        self.owner = owner
    }

    /// dropout(x) when training, x otherwise.
    private func adapterInput(_ x: Tensor) -> Tensor {
        guard let owner, owner.isTraining, owner.config.dropout > 0 else { return x }
        return dropout(x, rate: owner.config.dropout, using: &owner.dropoutGenerator)
    }

    /// qkv + (α/r)·x·A·B for the q, k, v targets, as two GEMMs over all rows: the
    /// targets' A matrices side by side [d, n·r], times a block matrix [n·r, 3d] that
    /// holds each B in its own rows and in the columns of its part (zeros elsewhere).
    func addAttentionDelta(to qkv: Tensor, input x: Tensor) -> Tensor {
        guard let owner else { return qkv }
        let parts = owner.config.targets.filter { $0.fusedColumnBlock != nil }
        guard !parts.isEmpty else { return qkv }
        let r = owner.config.rank, d = owner.modelWidth
        let zeros = Tensor.zeros([r, d])
        let stackedA = parts.count == 1 ? pairs[parts[0]]!.a : concat(parts.map { pairs[$0]!.a }, axis: 1)
        let rowsOfB = parts.map { target -> Tensor in
            let columns = (0..<3).map { $0 == target.fusedColumnBlock! ? pairs[target]!.b : zeros }
            return concat(columns, axis: 1)
        }
        let blockB = (rowsOfB.count == 1 ? rowsOfB[0] : concat(rowsOfB, axis: 0)) * owner.config.scale
        let low = linear(adapterInput(x), weight: stackedA, bias: nil)
        return qkv + linear(low, weight: blockB, bias: nil)
    }

    /// y + (α/r)·x·A·B for one of the unfused projections, if it is adapted.
    func addDelta(_ target: LoRATarget, to y: Tensor, input x: Tensor) -> Tensor {
        guard let owner, let pair = pairs[target] else { return y }
        let low = linear(adapterInput(x), weight: pair.a, bias: nil)
        return y + linear(low, weight: pair.b * owner.config.scale, bias: nil)
    }
}

// MARK: - Files

extension LoRAAdapter {
    /// The metadata key under which the adapter's config is stored, as JSON.
    public static let configMetadataKey = "lora_config"
    public static let fileName = "adapter.safetensors"

    /// Writes A and B of every adapted projection to a safetensors file, atomically,
    /// with the config (r, α, dropout, targets) and the model width in the metadata.
    /// Names: `transformer.h.<l>.attn.c_attn.lora_A.q` (and `.k`, `.v`) for the fused
    /// projection, `transformer.h.<l>.mlp.c_fc.lora_A` for the others; `lora_B` likewise.
    /// The same adapter always gives the same bytes (the config's JSON has sorted keys).
    public func save(to url: URL) throws {
        let json = String(decoding: try JSONEncoder.sortingKeys().encode(config), as: UTF8.self)
        let tensors = parameters.map { NamedTensor(name: $0.name, shape: $0.shape, values: $0.data) }
        try SafeTensors.write(tensors, metadata: [Self.configMetadataKey: json, "format": "pt",
                                                  "n_embd": String(modelWidth), "n_layer": String(layers.count)],
                              to: url)
    }

    /// Reads an adapter for `model` (whose shape it must fit). The config in the metadata
    /// is checked as `LoRAConfig`'s initializer checks it, the model shape the file records
    /// (if any) must be `model`'s, and every tensor is checked by name, shape and value,
    /// all before the adapter is built; a problem gives one `SafeTensors.Error` naming the file.
    public static func load(from url: URL, for model: GPTConfig) throws -> LoRAAdapter {
        let contents = try SafeTensors.read(from: url)
        let config = try contents.metadata(configMetadataKey, missing: "\(configMetadataKey) (rank, alpha, dropout, targets)",
                                           LoRAConfig.fromJSON)
        for (key, size) in [("n_embd", model.modelWidth), ("n_layer", model.layerCount)] {
            if let text = contents.metadata[key], Int(text) != size {
                throw contents.metadataError("says \(key) \(text.jsonQuoted), but the model has \(key) \(size): the adapter was made for another model")
            }
        }
        let targets = config.targets.map(\.rawValue).joined(separator: ", ")
        let values = try contents.values(of: config.weightShapes(for: model),
                                         describedBy: "its \(configMetadataKey) (rank \(config.rank) on \(targets))")
        var rng = RandomGenerator(seed: 0)
        let adapter = LoRAAdapter(config: config, for: model, rng: &rng)
        WeightSnapshot(values: values).restore(into: adapter.parameters)
        return adapter
    }
}
