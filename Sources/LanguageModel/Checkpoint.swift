import Foundation
import TensorCore

/// Checkpoints as Hugging Face lays out a GPT-2 model directory: `model.safetensors`
/// (GPT-2's tensor names, Conv1D [in, out] layout, F32) and `config.json` (GPT-2's keys).
/// With the tokenizer's `vocab.json` and `merges.txt` beside them, `transformers` loads
/// the directory as `GPT2LMHeadModel`; the LM head is not stored, being tied to wte.
extension GPT {
    public static let weightsFileName = "model.safetensors"

    /// Tensors that a GPT-2 checkpoint written by `transformers` may hold besides the
    /// weights, and that carry nothing the model needs: the tied LM head and old versions'
    /// stored causal masks.
    static func isIgnorableExtra(_ name: String) -> Bool {
        name == "lm_head.weight" || name.hasSuffix(".attn.bias") && !name.contains("c_attn")
            || name.hasSuffix(".attn.masked_bias")
    }

    /// Writes `model.safetensors` and `config.json` into `directory` (created if needed),
    /// each atomically. A merged LoRA adapter is written as part of the weights; save an
    /// unmerged adapter on its own with `LoRAAdapter.save(to:)`.
    public func save(to directory: URL) throws {
        let tensors = parameters.map { NamedTensor(name: $0.name, shape: $0.shape, values: $0.data) }
        try SafeTensors.write(tensors, metadata: ["format": "pt"],
                              to: directory.appendingPathComponent(Self.weightsFileName))
        try config.save(to: directory.appendingPathComponent(GPTConfig.fileName))
    }

    /// Reads a model written by `save(to:)` (or by `transformers` for a GPT-2 of the same
    /// architecture). Every tensor the config calls for must be present with its exact
    /// shape, and nothing else may be: a problem gives one error naming the file.
    public static func load(from directory: URL) throws -> GPT {
        let config = try GPTConfig.load(from: directory.appendingPathComponent(GPTConfig.fileName))
        let contents = try SafeTensors.read(from: directory.appendingPathComponent(weightsFileName))
        var rng = RandomGenerator(seed: 0)
        let model = GPT(config: config, rng: &rng)
        try model.loadWeights(from: contents)
        return model
    }

    /// Replaces every weight by the tensor of the same name in `contents`, after checking
    /// all names and shapes (so a bad file leaves the model untouched).
    public func loadWeights(from contents: SafeTensors.Contents) throws {
        var loaded: [[Float]] = []
        for p in parameters {
            loaded.append(try contents.require(p.name, shape: p.shape))
        }
        let expected = Set(parameters.map(\.name))
        if let extra = contents.tensors.keys.sorted().first(where: { !expected.contains($0) && !Self.isIgnorableExtra($0) }) {
            throw SafeTensors.Error.badEntry(file: contents.file, tensor: extra,
                                             problem: "is not a weight of a GPT-2 model with this config.json")
        }
        for (p, values) in zip(parameters, loaded) { p.data = values }
    }
}
