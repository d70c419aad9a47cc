import LanguageModel
import TensorCore

/// One response sampled from a policy: in RL terms, one episode. The state at step t is
/// the prompt plus the response so far, the action is the next token, and the episode
/// ends at `<|endoftext|>` or at the length limit.
public struct Rollout: Sendable {
    /// The user's request, as text.
    public let prompt: String
    /// "User: {prompt}\n\nAssistant:" as tokens.
    public let promptTokens: [Int]
    /// The sampled tokens, `<|endoftext|>` included when the policy chose to stop.
    public let responseTokens: [Int]
    /// log π(a_t | s_t) of each sampled token under the policy's own distribution, the
    /// softmax of the raw logits (temperature 1): what policy gradients, importance ratios,
    /// PPO's "old" log-probs and KL estimates are made of.
    public let logProbs: [Float]
    /// log q(a_t | s_t) under the distribution the token was actually drawn from (after
    /// temperature and top-k/top-p). Equal to `logProbs` when sampling at temperature 1 with
    /// no truncation, as the RL chapters do; otherwise the samples follow q, not π, and an
    /// estimator that treats them as draws from π (a PPO ratio, a KL estimate) is biased
    /// unless it reweights by π/q.
    public let samplingLogProbs: [Float]
    /// True when the policy ended the response itself.
    public let endedWithEndOfText: Bool
    /// The response as text, without the end-of-text token.
    public let response: String

    public init(prompt: String, promptTokens: [Int], responseTokens: [Int], logProbs: [Float],
                samplingLogProbs: [Float]? = nil, endedWithEndOfText: Bool, response: String) {
        precondition(logProbs.isEmpty || logProbs.count == responseTokens.count,
                     "Rollout: \(logProbs.count) log-probs for \(responseTokens.count) tokens")
        self.prompt = prompt
        self.promptTokens = promptTokens
        self.responseTokens = responseTokens
        self.logProbs = logProbs
        self.samplingLogProbs = samplingLogProbs ?? logProbs
        self.endedWithEndOfText = endedWithEndOfText
        self.response = response
    }

    /// True when the tokens were drawn from π itself (temperature 1, no truncation), so
    /// that the sampling and the policy log-probs agree.
    public var isOnPolicy: Bool {
        zip(logProbs, samplingLogProbs).allSatisfy { Swift.abs($0 - $1) <= 1e-4 }
    }
}

/// Samples one response per prompt (repeat a prompt to get several), batched with the KV
/// cache, in the chat format, with an optional logit bias per prompt (see `GPT.generate`).
/// Runs without a graph; the log-probs are numbers.
public func sampleRollouts(policy: GPT, tokenizer: BytePairTokenizer, prompts: [String], maxNewTokens: Int,
                           sampling: SamplingSettings, batchSize: Int = 32, logitBiases: [[Float]]? = nil,
                           rng: inout RandomGenerator) -> [Rollout] {
    var rollouts: [Rollout] = []
    rollouts.reserveCapacity(prompts.count)
    let settings = GenerationSettings(maxNewTokens: maxNewTokens, sampling: sampling, stopToken: tokenizer.endOfText)
    for start in stride(from: 0, to: prompts.count, by: batchSize) {
        let chunk = Array(prompts[start..<min(start + batchSize, prompts.count)])
        let promptTokens = chunk.map { ChatFormat.promptTokens($0, tokenizer: tokenizer) }
        let biases = logitBiases.map { Array($0[start..<min(start + batchSize, prompts.count)]) }
        let generated = Autograd.withoutGradients {
            policy.generate(prompts: promptTokens, settings: settings, logitBiases: biases, rng: &rng)
        }
        for (prompt, sequence) in zip(chunk, generated) {
            rollouts.append(Rollout(
                prompt: prompt, promptTokens: sequence.prompt, responseTokens: sequence.tokens,
                logProbs: sequence.logProbs, samplingLogProbs: sequence.samplingLogProbs,
                endedWithEndOfText: sequence.endedWithStopToken,
                response: ChatFormat.responseText(sequence.tokens, tokenizer: tokenizer)))
        }
    }
    return rollouts
}

/// Log-probs of the rollouts' responses under `model` (the policy being trained, with a
/// graph; or the reference, inside `withoutGradients` and `withAdapterDisabled`), as a
/// right-padded [B, T-1] batch with its response mask.
public func responseLogProbs(of rollouts: [Rollout], under model: GPT) -> SequenceLogProbs {
    model.sequenceLogProbs(prompts: rollouts.map(\.promptTokens), responses: rollouts.map(\.responseTokens))
}
