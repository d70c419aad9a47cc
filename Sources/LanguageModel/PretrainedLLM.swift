import Foundation
import TensorCore

/// A language model ready to use: a tokenizer, the GPT it was trained with, and an
/// optional LoRA adapter, saved together in one directory:
///
///     config.json, model.safetensors      the GPT (Hugging Face's GPT-2 layout)
///     vocab.json, merges.txt              the tokenizer (GPT-2's files)
///     tokenizer.json                      the same for Hugging Face's AutoTokenizer
///     adapter.safetensors                 the LoRA adapter, if any (with its config)
public final class PretrainedLLM {
    public let tokenizer: BytePairTokenizer
    public let model: GPT

    public init(tokenizer: BytePairTokenizer, model: GPT) {
        precondition(tokenizer.vocabularySize == model.config.vocabularySize,
                     "PretrainedLLM: the tokenizer has \(tokenizer.vocabularySize) tokens but the model \(model.config.vocabularySize)")
        self.tokenizer = tokenizer
        self.model = model
    }

    /// The adapter on the model, if any.
    public var adapter: LoRAAdapter? {
        get { model.adapter }
        set { model.adapter = newValue }
    }

    /// A problem with a model directory as a whole (the files themselves report their own).
    public struct DirectoryError: Error, LocalizedError, CustomStringConvertible {
        public let directory: String
        public let problem: String
        public var description: String { "\(directory): \(problem)".singleLine }
        public var errorDescription: String? { description }
    }

    /// Reads a directory written by `save(to:)`. Each file is checked on its own, then
    /// against the others: config.json's vocab_size and eos_token_id must be vocab.json's.
    public static func load(from directory: URL) throws -> PretrainedLLM {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw DirectoryError(directory: directory.path, problem: "no such directory")
        }
        guard isDirectory.boolValue else {
            throw DirectoryError(directory: directory.path, problem: "is a file, not a model directory")
        }
        let tokenizer = try BytePairTokenizer.load(from: directory)
        let model = try GPT.load(from: directory)
        let configFile = directory.appendingPathComponent(GPTConfig.fileName).path
        guard tokenizer.vocabularySize == model.config.vocabularySize else {
            throw GPTConfig.FileError(file: configFile,
                                      problem: "vocab_size is \(model.config.vocabularySize), but \(BytePairTokenizer.vocabularyFileName) beside it has \(tokenizer.vocabularySize) tokens")
        }
        guard tokenizer.endOfText == model.config.endOfTextTokenId else {
            throw GPTConfig.FileError(file: configFile,
                                      problem: "eos_token_id is \(model.config.endOfTextTokenId), but \(BytePairTokenizer.vocabularyFileName) beside it gives \(BytePairTokenizer.endOfTextToken) id \(tokenizer.endOfText)")
        }
        let adapterURL = directory.appendingPathComponent(LoRAAdapter.fileName)
        if FileManager.default.fileExists(atPath: adapterURL.path) {
            model.adapter = try LoRAAdapter.load(from: adapterURL, for: model.config)
        }
        return PretrainedLLM(tokenizer: tokenizer, model: model)
    }

    /// Writes the model, the tokenizer and the adapter (unmerged, if attached) into
    /// `directory`, each file atomically. A merged adapter is saved inside the weights.
    public func save(to directory: URL) throws {
        let adapter = model.adapter
        if let adapter, !adapter.isMerged {
            try model.withAdapterDisabled { try model.save(to: directory) }
            try adapter.save(to: directory.appendingPathComponent(LoRAAdapter.fileName))
        } else {
            try model.save(to: directory)
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(LoRAAdapter.fileName))
        }
        try tokenizer.save(to: directory)
        try tokenizer.saveHuggingFaceTokenizer(to: directory)
    }

    /// One generated reply: the text and the tokens it came from.
    public struct Completion: Sendable {
        public var text: String
        public var sequence: GeneratedSequence
    }

    /// Continues each prompt (batched, KV-cached), stopping at `<|endoftext|>` or after
    /// `maxNewTokens`; the returned text leaves the end-of-text token out. The chat format
    /// ("User: ...\n\nAssistant:") is the caller's to apply.
    public func generate(prompts: [String], maxNewTokens: Int, temperature: Float = 1, topK: Int = 0,
                         topP: Float = 1, rng: inout RandomGenerator) -> [Completion] {
        // An empty prompt starts from <|endoftext|>, GPT-2's start of a document.
        let ids = prompts.map { prompt -> [Int] in
            let encoded = tokenizer.encode(prompt)
            return encoded.isEmpty ? [tokenizer.endOfText] : encoded
        }
        let settings = GenerationSettings(maxNewTokens: maxNewTokens,
                                          sampling: SamplingSettings(temperature: temperature, topK: topK, topP: topP),
                                          stopToken: tokenizer.endOfText)
        return model.generate(prompts: ids, settings: settings, rng: &rng).map { sequence in
            let text = sequence.endedWithStopToken ? Array(sequence.tokens.dropLast()) : sequence.tokens
            return Completion(text: tokenizer.decode(text), sequence: sequence)
        }
    }

    /// Continues one prompt and returns the new text.
    public func generate(prompt: String, maxNewTokens: Int, temperature: Float = 1, topP: Float = 1,
                         rng: inout RandomGenerator) -> String {
        generate(prompts: [prompt], maxNewTokens: maxNewTokens, temperature: temperature, topP: topP, rng: &rng)[0].text
    }
}
