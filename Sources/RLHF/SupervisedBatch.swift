import LanguageModel

/// One chat exchange as token ids: the prompt part ("User: ...\n\nAssistant:") and the
/// response part (" ..." followed by `<|endoftext|>`).
public struct ChatExample: Sendable, Equatable {
    public var prompt: [Int]
    public var response: [Int]

    public init(prompt: [Int], response: [Int]) {
        self.prompt = prompt
        self.response = response
    }

    public var tokens: [Int] { prompt + response }

    /// Plain text as examples: `tokens` cut into windows of `width`, each with its first
    /// token as the prompt, so the response-only mask counts every later token, as
    /// pretraining's loss does. A last window of 16 tokens or fewer is dropped (the first
    /// window is always kept).
    public static func textWindows(_ tokens: [Int], width: Int) -> [ChatExample] {
        precondition(width > 1, "ChatExample.textWindows: a window needs at least 2 tokens")
        guard !tokens.isEmpty else { return [] }
        return stride(from: 0, to: max(tokens.count - 16, 1), by: width).map { start in
            let window = Array(tokens[start..<min(start + width, tokens.count)])
            return ChatExample(prompt: [window[0]], response: Array(window.dropFirst()))
        }
    }
}

/// Which next-token predictions an SFT loss counts.
public enum LossMask: Sendable {
    /// Only the response and its end-of-text token: the model learns to answer and to
    /// stop, and is not trained to imitate users' prompts. (What this course does.)
    case responseOnly
    /// Every token except `<|endoftext|>`: what a pipeline gets when it trains on whole
    /// sequences and pads with the end-of-text token, then ignores padding by id. The
    /// model learns to write prompts too, and never learns to stop.
    case everythingButEndOfText
    /// The response without its end-of-text token: for measuring how well a model writes
    /// the answer's content, apart from whether it knows where to stop.
    case responseWithoutEndOfText
    /// The end-of-text target alone: how well a model knows where an answer stops.
    case endOfTextOnly
}

/// A right-padded training batch of chat examples with next-token targets, -100 (ignored)
/// wherever the loss mask says not to count: position t's target is token t + 1.
/// Examples longer than `contextLength` + 1 tokens are cut at the end.
public func supervisedBatch(_ examples: [ChatExample], mask: LossMask, endOfText: Int, contextLength: Int)
    -> (batch: TokenBatch, targets: [Int]) {
    precondition(!examples.isEmpty, "supervisedBatch: no examples")
    let ignore = -100
    let rows = examples.map { Array($0.tokens.prefix(contextLength + 1)) }
    let time = rows.map { $0.count - 1 }.max()!
    var inputRows: [[Int]] = []
    var targets = [Int](repeating: ignore, count: rows.count * time)
    for (b, (row, example)) in zip(rows, examples).enumerated() {
        inputRows.append(Array(row.dropLast()))
        for t in 0..<(row.count - 1) {
            let target = row[t + 1]
            let isResponse = t + 1 >= example.prompt.count
            let counted: Bool
            switch mask {
            case .responseOnly: counted = isResponse
            case .everythingButEndOfText: counted = target != endOfText
            case .responseWithoutEndOfText: counted = isResponse && target != endOfText
            case .endOfTextOnly: counted = isResponse && target == endOfText
            }
            if counted { targets[b * time + t] = target }
        }
    }
    return (TokenBatch(rows: inputRows, padding: .right, padTokenId: endOfText), targets)
}
