import Foundation
import TensorCore

/// The tokenizer as Hugging Face's `tokenizers` library describes one, `tokenizer.json`,
/// so that `AutoTokenizer.from_pretrained` on a chapter's checkpoint folder gives exactly
/// the ids the course trained on.
///
/// It states the course's own pre-tokenizer as a regular expression (`chunkPattern`),
/// followed by GPT-2's byte-to-character mapping, the same byte-level BPE model with the
/// same vocabulary and merges, and `<|endoftext|>` as a special token. (From `vocab.json`
/// and `merges.txt` alone, transformers builds GPT-2's tokenizer, which keeps runs of digits
/// together; it happens to give the same ids, because no merge of this vocabulary contains
/// a digit, but only `tokenizer.json` says what the rule is.)
extension BytePairTokenizer {
    public static let huggingFaceFileName = "tokenizer.json"

    /// The contents of `tokenizer.json`, with sorted keys (the same bytes every time).
    public func huggingFaceJSON() throws -> Data {
        var vocabulary: [String: Int] = [:]
        for id in 0..<(256 + merges.count) { vocabulary[Self.fileSpelling(token(id))] = id }
        let mergeLines = merges.map { Self.fileSpelling(token($0.left)) + " " + Self.fileSpelling(token($0.right)) }
        let addedTokens: [[String: Any]] = specialTokens.map { special in
            ["id": specialIds[special]!, "content": special, "single_word": false, "lstrip": false,
             "rstrip": false, "normalized": false, "special": true]
        }
        let byteLevel: [String: Any] = ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true,
                                        "use_regex": false]
        let object: [String: Any] = [
            "version": "1.0",
            "truncation": NSNull(),
            "padding": NSNull(),
            "added_tokens": addedTokens,
            "normalizer": NSNull(),
            "pre_tokenizer": [
                "type": "Sequence",
                "pretokenizers": [
                    ["type": "Split", "pattern": ["Regex": Self.chunkPattern], "behavior": "Isolated", "invert": false],
                    byteLevel,
                ],
            ] as [String: Any],
            "post_processor": byteLevel,
            "decoder": byteLevel,
            "model": [
                "type": "BPE",
                "dropout": NSNull(),
                "unk_token": NSNull(),
                "continuing_subword_prefix": NSNull(),
                "end_of_word_suffix": NSNull(),
                "fuse_unk": false,
                "byte_fallback": false,
                "ignore_merges": false,
                "vocab": vocabulary,
                "merges": mergeLines,
            ] as [String: Any],
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// Writes `tokenizer.json` into `directory`, atomically.
    public func saveHuggingFaceTokenizer(to directory: URL) throws {
        let url = directory.appendingPathComponent(Self.huggingFaceFileName)
        do {
            try AtomicFile.write(try huggingFaceJSON(), to: url)
        } catch {
            throw FileError(file: url.path, problem: "cannot write (\(error.localizedDescription))")
        }
    }
}
