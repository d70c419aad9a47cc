import TensorCore

/// When generation stops, and how tokens are drawn.
public struct GenerationSettings: Equatable, Sendable {
    /// The most tokens generated per row (fewer if the context fills up first).
    public var maxNewTokens: Int
    public var sampling: SamplingSettings
    /// A row stops after emitting this token (nil: only the length limits stop it).
    /// Defaults to the model's `<|endoftext|>`.
    public var stopToken: Int?

    public init(maxNewTokens: Int, sampling: SamplingSettings = SamplingSettings(), stopToken: Int? = nil) {
        precondition(maxNewTokens >= 0, "GenerationSettings: maxNewTokens must not be negative")
        self.maxNewTokens = maxNewTokens
        self.sampling = sampling
        self.stopToken = stopToken
    }
}

/// One generated response.
public struct GeneratedSequence: Equatable, Sendable {
    /// The prompt it continues.
    public var prompt: [Int]
    /// The generated tokens, the stop token included when the row stopped on it.
    public var tokens: [Int]
    /// log π(token_t | prompt, tokens_<t) under the model at temperature 1, per token.
    public var logProbs: [Float]
    /// The same under the distribution sampled from (temperature, top-k, top-p applied).
    public var samplingLogProbs: [Float]
    /// True when the row ended by emitting the stop token (not by a length limit).
    public var endedWithStopToken: Bool

    /// 1 for every generated token: the response mask of this row, unpadded.
    public var responseMask: [Float] { [Float](repeating: 1, count: tokens.count) }
}

extension GPT {
    /// Continues each prompt, all rows at once, with a KV cache: the prompts are padded on
    /// the left and run through the model in one chunk, then each step feeds one token per
    /// row still generating. A row stops at the stop token, at `maxNewTokens`, or when the
    /// longest prompt plus the generated tokens fill the context; a row that has stopped
    /// leaves the batch, so it costs nothing more.
    ///
    /// Runs without building a graph. A LoRA adapter, if active, is folded into the
    /// weights for the duration.
    ///
    /// `logitBiases`, one row of V per prompt, is added to that row's logits before each
    /// draw (how test-time methods steer sampling without touching weights); `logProbs`
    /// stay the model's own, `samplingLogProbs` are those of the biased distribution.
    public func generate(prompts: [[Int]], settings: GenerationSettings, logitBiases: [[Float]]? = nil,
                         rng: inout RandomGenerator) -> [GeneratedSequence] {
        precondition(!prompts.isEmpty, "generate: no prompts")
        if let logitBiases {
            precondition(logitBiases.count == prompts.count && logitBiases.allSatisfy { $0.count == config.vocabularySize },
                         "generate: one logit bias of \(config.vocabularySize) per prompt is needed")
        }
        let longest = prompts.map(\.count).max()!
        precondition(longest < config.contextLength,
                     "generate: a prompt of \(longest) tokens leaves no room in the context of \(config.contextLength)")
        let steps = min(settings.maxNewTokens, config.contextLength - longest)
        var results = prompts.map {
            GeneratedSequence(prompt: $0, tokens: [], logProbs: [], samplingLogProbs: [], endedWithStopToken: false)
        }
        guard steps > 0 else { return results }
        let stopToken = settings.stopToken ?? config.endOfTextTokenId
        let V = config.vocabularySize
        let decoder = IncrementalDecoder(model: self, batch: prompts.count, capacity: longest + steps)
        var sampler = TokenSampler(settings: settings.sampling)
        var logits = decoder.prefill(prompts: prompts)
        // The rows still generating; `logits` holds one row of V per active row, in order.
        var active = Array(0..<prompts.count)
        for step in 0..<steps {
            var next: [Int] = [], stillActive: [Int] = []
            logits.withUnsafeBufferPointer { all in
                for (k, b) in active.enumerated() {
                    let row = UnsafeBufferPointer(rebasing: all[(k * V)..<((k + 1) * V)])
                    var drawn: SampledToken
                    if let bias = logitBiases?[b] {
                        let biased = zip(row, bias).map { $0 + $1 }
                        drawn = biased.withUnsafeBufferPointer { sampler.sample($0, rng: &rng) }
                        drawn.logProb = row[drawn.token] - TokenSampler.logSumExp(row)
                    } else {
                        drawn = sampler.sample(row, rng: &rng)
                    }
                    results[b].tokens.append(drawn.token)
                    results[b].logProbs.append(drawn.logProb)
                    results[b].samplingLogProbs.append(drawn.samplingLogProb)
                    if drawn.token == stopToken {
                        results[b].endedWithStopToken = true
                    } else {
                        stillActive.append(b)
                        next.append(drawn.token)
                    }
                }
            }
            if step == steps - 1 || stillActive.isEmpty { break }
            // Rows that stopped leave the batch: the next steps run only the others.
            logits = decoder.step(tokens: next, rows: stillActive)
            active = stillActive
        }
        return results
    }

    /// Continues one prompt.
    public func generate(prompt: [Int], settings: GenerationSettings, rng: inout RandomGenerator) -> GeneratedSequence {
        generate(prompts: [prompt], settings: settings, rng: &rng)[0]
    }
}
