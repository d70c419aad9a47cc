import Foundation
import LanguageModel
import TensorCore

/// A reward model r_φ(x, y): a GPT backbone (initialized from the SFT model) with a
/// scalar head in place of the LM head, read at the last token of "prompt + response".
///
///     h = backbone(User: x\n\nAssistant: y<|endoftext|>)     [B, T, d]
///     r_φ(x, y) = h[last] · w + b                             [B]
///
/// Every sequence it reads ends with `<|endoftext|>` (appended when a response was cut at
/// the length limit), so the reward is always read at the same kind of token, the one
/// where the causal model has seen the whole exchange. Trained with the Bradley-Terry
/// loss on preference pairs (`pairLoss`), it scores any batch of (prompt, response)
/// pairs (`score`), which is all PPO, GRPO, TPO and best-of-N need from it.
///
/// Saved as one safetensors file: the backbone under GPT-2's names
/// (`transformer.h.0.attn.c_attn.weight`, ...), the head as `score.weight` [d, 1] and
/// `score.bias` [1], and the GPT config (Hugging Face's config.json keys) in the metadata.
public final class RewardModel {
    public let tokenizer: BytePairTokenizer
    /// The transformer: all of its weights train, unless a LoRA adapter is attached (then
    /// only the adapter does).
    public let body: GPT
    /// w and b of r = h · w + b.
    public let head: ScalarHead
    /// The standard deviation of the reward over the reference responses it was centered
    /// on (`center(on:)`); 1 until then. Later chapters may divide by it to put rewards on
    /// a unit scale.
    public private(set) var referenceStandardDeviation: Float = 1

    /// The file name later chapters look for in `runs/04-reward-model/`.
    public static let fileName = "reward_model.safetensors"
    /// The metadata keys of the file.
    public static let configMetadataKey = "gpt_config"
    public static let standardDeviationMetadataKey = "reward_std"

    public init(body: GPT, head: ScalarHead, tokenizer: BytePairTokenizer) {
        precondition(tokenizer.vocabularySize == body.config.vocabularySize,
                     "RewardModel: the tokenizer has \(tokenizer.vocabularySize) tokens but the model \(body.config.vocabularySize)")
        precondition(head.weight.shape == [body.config.modelWidth, 1], "RewardModel: the head does not fit the body's width")
        self.body = body
        self.head = head
        self.tokenizer = tokenizer
    }

    /// A reward model on `backbone` (usually the SFT model) with a fresh scalar head.
    public convenience init(backbone: GPT, tokenizer: BytePairTokenizer, rng: inout RandomGenerator) {
        self.init(body: backbone, head: ScalarHead(modelWidth: backbone.config.modelWidth, rng: &rng), tokenizer: tokenizer)
    }

    /// What an optimizer updates: the body's trainable weights, then w and b.
    public var parameters: [Tensor] { body.trainableParameters + head.parameters }

    // MARK: - Tokens

    /// "User: {prompt}\n\nAssistant: {response}<|endoftext|>" as token ids, cut to the
    /// model's context (the response is shortened, its end-of-text token kept).
    public func tokens(prompt: String, response: String) -> [Int] {
        tokens(promptTokens: ChatFormat.promptTokens(prompt, tokenizer: tokenizer),
               responseTokens: ChatFormat.responseTokens(response, tokenizer: tokenizer))
    }

    /// The same from token ids (a rollout's): `<|endoftext|>` is appended to a response
    /// that lacks it.
    public func tokens(promptTokens: [Int], responseTokens: [Int]) -> [Int] {
        let endOfText = tokenizer.endOfText
        var response = responseTokens.last == endOfText ? Array(responseTokens.dropLast()) : responseTokens
        let room = body.config.contextLength - promptTokens.count - 1
        precondition(room >= 0, "RewardModel: a prompt of \(promptTokens.count) tokens leaves no room in the context of \(body.config.contextLength)")
        if response.count > room { response = Array(response.prefix(room)) }
        return promptTokens + response + [endOfText]
    }

    // MARK: - Rewards

    /// r_φ for each row of token ids, with a graph (training): [B]. Rows are padded on the
    /// right; each reward is read at its row's last real token.
    public func rewards(_ rows: [[Int]]) -> Tensor {
        let batch = TokenBatch(rows: rows, padding: .right, padTokenId: tokenizer.endOfText)
        return head.lastTokenValues(body.hiddenStates(batch), batch: batch)
    }

    /// r_φ for each row, without a graph, in batches of rows of similar length (sorted,
    /// so that little compute goes to padding); results in the rows' order.
    public func score(tokenRows rows: [[Int]], batchSize: Int = 32) -> [Float] {
        precondition(batchSize > 0, "RewardModel.score: batchSize must be positive")
        var result = [Float](repeating: 0, count: rows.count)
        let order = rows.indices.sorted { rows[$0].count < rows[$1].count }
        Autograd.withoutGradients {
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let indices = Array(order[start..<min(start + batchSize, order.count)])
                let values = rewards(indices.map { rows[$0] }).data
                for (i, value) in zip(indices, values) { result[i] = value }
            }
        }
        return result
    }

    /// r_φ(x, y) for each prompt and response text.
    public func score(prompts: [String], responses: [String], batchSize: Int = 32) -> [Float] {
        precondition(prompts.count == responses.count, "RewardModel.score: \(prompts.count) prompts for \(responses.count) responses")
        return score(tokenRows: zip(prompts, responses).map { tokens(prompt: $0, response: $1) }, batchSize: batchSize)
    }

    /// r_φ of sampled rollouts, read from their token ids (no re-tokenization).
    public func score(_ rollouts: [Rollout], batchSize: Int = 32) -> [Float] {
        score(tokenRows: rollouts.map { tokens(promptTokens: $0.promptTokens, responseTokens: $0.responseTokens) },
              batchSize: batchSize)
    }

    /// Best-of-N selection: the candidate with the highest reward, and every reward.
    public func best(of responses: [String], for prompt: String) -> (index: Int, rewards: [Float]) {
        precondition(!responses.isEmpty, "RewardModel.best: no candidates")
        let rewards = score(prompts: Array(repeating: prompt, count: responses.count), responses: responses)
        return (bestIndex(rewards), rewards)
    }

    // MARK: - Training

    /// A preference pair as token ids, ready for `pairLoss`.
    public struct TokenizedPair: Sendable {
        public let chosen: [Int]
        public let rejected: [Int]
        public let margin: Float
        /// P(chosen ≻ rejected) to train towards: 1 for one person's decisive label, the
        /// share of a panel for a panel's labels (see `bradleyTerryLoss`).
        public let target: Float

        public init(chosen: [Int], rejected: [Int], margin: Float = 0, target: Float = 1) {
            self.chosen = chosen
            self.rejected = rejected
            self.margin = margin
            self.target = target
        }
    }

    public func tokenized(_ pair: PreferencePair) -> TokenizedPair {
        TokenizedPair(chosen: tokens(prompt: pair.prompt, response: pair.chosen),
                      rejected: tokens(prompt: pair.prompt, response: pair.rejected), margin: pair.margin)
    }

    /// The loss of one batch of pairs and what TRL's reward trainer logs beside it.
    public struct PairLoss {
        /// −mean log σ(r_c − r_r − m) [+ c · mean (r_c + r_r)²]
        public let loss: Tensor
        /// Share of pairs with r_c > r_r [accuracy].
        public let accuracy: Float
        /// mean(r_c − r_r) [margin].
        public let margin: Float
        /// Mean reward over both responses of every pair [mean_reward].
        public let meanReward: Float
        public let chosenReward: Float
        public let rejectedReward: Float
    }

    /// The Bradley-Terry loss of a batch (see `bradleyTerryLoss`) in one forward pass.
    /// Each distinct sequence of the batch is read once, however many pairs it is in: with
    /// K responses to a prompt and all C(K, 2) of their comparisons in one batch, the
    /// forward pass reads K rows, not K(K − 1) (InstructGPT's trick, which also keeps a
    /// response from being seen K − 1 times in separate steps). With `centeringCoefficient`
    /// c > 0, the term c · mean((r_c + r_r)²) (TRL's `center_rewards_coefficient`, after
    /// Eisenstein et al., 2023) pulls the rewards towards mean 0: the Bradley-Terry
    /// likelihood sees only differences, so without it the level of the rewards drifts freely.
    public func pairLoss(_ pairs: [TokenizedPair], centeringCoefficient: Float = 0) -> PairLoss {
        precondition(!pairs.isEmpty, "RewardModel.pairLoss: no pairs")
        var rows: [[Int]] = [], rowIndex: [[Int]: Int] = [:]
        func index(_ row: [Int]) -> Int {
            if let i = rowIndex[row] { return i }
            rows.append(row)
            rowIndex[row] = rows.count - 1
            return rows.count - 1
        }
        let chosenRows = pairs.map { index($0.chosen) }, rejectedRows = pairs.map { index($0.rejected) }
        let all = rewards(rows).reshaped([rows.count, 1])
        let chosen = select(chosenRows, from: all), rejected = select(rejectedRows, from: all)
        let bt = bradleyTerryLoss(chosenRewards: chosen, rejectedRewards: rejected,
                                  margins: pairs.contains { $0.margin != 0 } ? pairs.map(\.margin) : nil,
                                  targets: pairs.contains { $0.target != 1 } ? pairs.map(\.target) : nil)
        var loss = bt.loss
        if centeringCoefficient > 0 {
            loss = loss + mean(square(chosen + rejected)) * centeringCoefficient
        }
        let b = Float(pairs.count)
        let c = chosen.data.reduce(0, +) / b, r = rejected.data.reduce(0, +) / b
        return PairLoss(loss: loss, accuracy: bt.accuracy, margin: bt.meanMargin, meanReward: (c + r) / 2,
                        chosenReward: c, rejectedReward: r)
    }

    /// Entries `indices` of a column of rewards [R, 1] as a vector [P], differentiably: a
    /// one-hot matrix [P, R] times the column.
    private func select(_ indices: [Int], from column: Tensor) -> Tensor {
        let r = column.shape[0]
        var oneHot = [Float](repeating: 0, count: indices.count * r)
        for (p, i) in indices.enumerated() { oneHot[p * r + i] = 1 }
        return matmul(Tensor(shape: [indices.count, r], data: oneHot), column).reshaped([indices.count])
    }

    /// Shifts the head's bias so that the mean reward over `rows` (reference responses,
    /// usually SFT samples) is exactly 0, and records their standard deviation. The
    /// Bradley-Terry loss is blind to a constant added to every reward, so this changes no
    /// comparison; it only makes "0" mean "as good as a typical SFT answer", the scale PPO's
    /// KL penalty is weighed against. Returns the mean and standard deviation before the shift.
    @discardableResult
    public func center(on rows: [[Int]], batchSize: Int = 32) -> (mean: Float, standardDeviation: Float) {
        precondition(!rows.isEmpty, "RewardModel.center: no reference rows")
        let values = score(tokenRows: rows, batchSize: batchSize).map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(values.count - 1, 1))
        head.bias.data[0] -= Float(mean)
        referenceStandardDeviation = Float(variance.squareRoot())
        return (Float(mean), referenceStandardDeviation)
    }

    // MARK: - Files

    /// Writes the reward model to `url` atomically. An attached, unmerged LoRA adapter is
    /// folded into the written weights, so the file is always a plain GPT-2 body plus head.
    public func save(to url: URL) throws {
        let adapter = body.adapter
        let mergeForSaving = adapter.map { !$0.isMerged && !body.adapterIsDisabled } ?? false
        if mergeForSaving { adapter!.merge(into: body) }
        defer { if mergeForSaving { adapter!.unmerge(from: body) } }
        let tensors = (body.parameters + head.parameters).map { NamedTensor(name: $0.name, shape: $0.shape, values: $0.data) }
        let config = String(decoding: try JSONEncoder.sortingKeys().encode(body.config), as: UTF8.self)
        try SafeTensors.write(tensors, metadata: [
            "format": "pt",
            Self.configMetadataKey: config,
            Self.standardDeviationMetadataKey: String(referenceStandardDeviation),
            "reward_head": "score.weight [n_embd, 1] and score.bias [1], read at the last token (<|endoftext|>)",
        ], to: url)
    }

    /// Reads a reward model written by `save(to:)`, for use with `tokenizer` (chapter 01's).
    /// A missing, truncated or mismatched file throws one error naming the file. The GPT
    /// config in the metadata is bounded and every tensor checked (name, shape, finite
    /// values) before the model is built, so a damaged config cannot make it allocate more
    /// than the file holds.
    public static func load(from url: URL, tokenizer: BytePairTokenizer) throws -> RewardModel {
        let contents = try SafeTensors.read(from: url)
        let config = try contents.metadata(configMetadataKey, missing: "valid \(configMetadataKey) (the GPT config of the backbone)",
                                           describing: \.problem) { text throws(GPTConfig.InvalidError) in
            try GPTConfig.fromJSON(Data(text.utf8))
        }
        let bad = contents.metadataError
        guard config.vocabularySize == tokenizer.vocabularySize else {
            throw bad("says vocab_size \(config.vocabularySize) but the tokenizer has \(tokenizer.vocabularySize) tokens")
        }
        var standardDeviation: Float = 1
        if let text = contents.metadata[standardDeviationMetadataKey] {
            guard let value = Float(text), value.isFinite, value > 0 else { throw bad("has \(standardDeviationMetadataKey) \(text), not a positive number") }
            standardDeviation = value
        }
        let expected = config.weightShapes + ScalarHead.weightShapes(modelWidth: config.modelWidth)
        let values = try contents.values(of: expected, describedBy: "its \(configMetadataKey)")
        var rng = RandomGenerator(seed: 0)
        let model = RewardModel(backbone: GPT(config: config, rng: &rng), tokenizer: tokenizer, rng: &rng)
        let weights = model.body.parameters + model.head.parameters
        precondition(weights.map(\.name) == expected.map(\.name), "RewardModel.load: the weights are not the ones checked")
        WeightSnapshot(values: values).restore(into: weights)
        model.referenceStandardDeviation = standardDeviation
        return model
    }
}
