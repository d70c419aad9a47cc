import Foundation
import LanguageModel
import RLHF
import TensorCore
import World

/// What every RL chapter (TRPO, PPO, GRPO) does before its update: sample a group of
/// answers to each prompt from the current policy, score them with the reward model, and
/// compute the log-probs the losses need, under the policy that sampled (π_old) and under
/// the reference (π_SFT, the adapter switched off).
///
/// Answers are drawn at temperature 1 with no truncation, so that they are samples of π
/// itself: the sampling log-probs equal the policy's, the ratio π/π_old of PPO and GRPO is
/// the right importance weight, and the KL estimates are estimates of KL(π ‖ π_ref).
public struct PolicyRollouts {
    public let policy: SFTPolicy
    public let rewardModel: RewardModel
    /// The longest answer, in tokens.
    public let maxNewTokens: Int
    let judge = GoldJudge()

    public init(policy: SFTPolicy, rewardModel: RewardModel, maxNewTokens: Int) {
        self.policy = policy
        self.rewardModel = rewardModel
        self.maxNewTokens = maxNewTokens
    }

    /// One batch of experience and what the hidden judge thinks of it (for the chapter's
    /// curves only: nothing trains on it).
    public struct Batch {
        public var experience: ExperienceBatch
        /// The prompt of each row; rows come in groups of `groupSize` answers to one prompt.
        public let prompts: [Prompt]
        public let groupSize: Int
        /// The gold judge's score of each answer.
        public let gold: [Double]
        /// Σ_t (log π_old − log π_ref) over each answer: the sampled sequence KL to SFT.
        public let sequenceKL: [Float]
        /// KL(π_old(·|s) ‖ π_ref(·|s)) at each response state, exactly over the vocabulary [B·R]
        /// (0 on padding): the yardstick for the sampled estimators.
        public let exactKL: [Float]
        /// H(π_old(·|s)) at each response state [B·R] (0 on padding), over the vocabulary.
        public let entropy: [Float]
        /// H(π_ref(·|s)) at the same states: how unsure SFT itself is where the policy went.
        public let referenceEntropy: [Float]
        /// Tokens sampled.
        public var tokens: Int { experience.tokenCount }
    }

    /// Samples `groupSize` answers to each prompt, scores them and fills in the old and
    /// reference log-probs; every other array of the experience is left for the algorithm.
    public func collect(_ prompts: [Prompt], groupSize: Int, rng: inout RandomGenerator) -> Batch {
        let model = policy.model
        let requests = prompts.flatMap { Array(repeating: $0, count: groupSize) }
        let rollouts = sampleRollouts(policy: model, tokenizer: policy.tokenizer, prompts: requests.map(\.text),
                                      maxNewTokens: maxNewTokens, sampling: HeldOutEvaluation.sampling,
                                      batchSize: 64, rng: &rng)
        var experience = ExperienceBatch(rollouts: rollouts, scores: rewardModel.score(rollouts, batchSize: 64),
                                         padTokenId: policy.tokenizer.endOfText)
        let (old, oldLogits) = forward(experience.batch)
        let (reference, referenceLogits) = model.withAdapterDisabled { forward(experience.batch) }
        experience.oldLogProbs = old
        experience.referenceLogProbs = reference
        let exact = exactKL(logits: oldLogits, referenceLogits: referenceLogits, vocabularySize: model.config.vocabularySize)
            .enumerated().map { experience.mask[$0] * $1 }
        let entropy = rowEntropies(oldLogits, width: model.config.vocabularySize).enumerated().map { experience.mask[$0] * $1 }
        let referenceEntropy = rowEntropies(referenceLogits, width: model.config.vocabularySize).enumerated()
            .map { experience.mask[$0] * $1 }
        let width = experience.width
        let sequenceKL = (0..<experience.rows).map { b in
            (0..<width).reduce(Float(0)) { total, j in
                total + experience.mask[b * width + j] * (experience.oldLogProbs[b * width + j] - experience.referenceLogProbs[b * width + j])
            }
        }
        return Batch(experience: experience, prompts: requests, groupSize: groupSize,
                     gold: zip(requests, rollouts).map { judge.score($0, response: $1.response).total }, sequenceKL: sequenceKL,
                     exactKL: exact, entropy: entropy, referenceEntropy: referenceEntropy)
    }

    /// log π(y_j|s_j) of a batch under the model as it is now [B·R], and the logits of
    /// the response states [B·R·V], as numbers.
    public func forward(_ batch: RolloutBatch) -> (logProbs: [Float], logits: [Float]) {
        Autograd.withoutGradients {
            let f = policy.model.policyForward(batch)
            return (f.logProbs.data, f.logits.data)
        }
    }
}

/// Training prompts for the RL chapters, drawn without the held-out ones: an endless
/// seeded stream of batches, each prompt once per pass.
public struct PromptStream {
    public let prompts: [Prompt]
    var order: [Int] = []
    var rng: RandomGenerator

    public init(_ prompts: [Prompt], rng: RandomGenerator) {
        precondition(!prompts.isEmpty, "PromptStream: no prompts")
        self.prompts = prompts
        self.rng = rng
    }

    public mutating func next(_ count: Int) -> [Prompt] {
        (0..<count).map { _ in
            if order.isEmpty { order = rng.shuffled(Array(prompts.indices)) }
            return prompts[order.removeLast()]
        }
    }
}
