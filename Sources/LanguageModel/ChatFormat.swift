/// The chat format of the course (the seed's): "User: {prompt}\n\nAssistant: {response}",
/// then `<|endoftext|>`. It is plain text, not special tokens, so the pretrained model has
/// seen every piece of it before, just never in this arrangement.
///
/// Prompt and response are tokenized separately and split at the space after
/// "Assistant:", so the response's first word carries its leading space, as words do
/// everywhere else in the corpus. A model conditioned on `promptTokens` produces the
/// response tokens exactly as SFT trained it to.
public enum ChatFormat {
    /// "User: {prompt}\n\nAssistant:": what the model is conditioned on.
    public static func promptText(_ prompt: String) -> String {
        "User: \(prompt)\n\nAssistant:"
    }

    /// The whole exchange as text, without the end-of-text token.
    public static func text(prompt: String, response: String) -> String {
        promptText(prompt) + " " + response
    }

    /// The token ids of the prompt part.
    public static func promptTokens(_ prompt: String, tokenizer: BytePairTokenizer) -> [Int] {
        tokenizer.encode(promptText(prompt))
    }

    /// The token ids of a response: " {response}" followed by `<|endoftext|>`, which is how
    /// the model learns to stop.
    public static func responseTokens(_ response: String, tokenizer: BytePairTokenizer) -> [Int] {
        tokenizer.encode(" " + response) + [tokenizer.endOfText]
    }

    /// The text of generated response tokens: the end-of-text token and the leading space
    /// removed.
    public static func responseText(_ tokens: [Int], tokenizer: BytePairTokenizer) -> String {
        let body = tokens.last == tokenizer.endOfText ? Array(tokens.dropLast()) : tokens
        let text = tokenizer.decode(body)
        return text.hasPrefix(" ") ? String(text.dropFirst()) : text
    }
}
