import Notebook
import RLHF
import TensorCore

// What each RL algorithm's chapter logs per iteration, one typed record per algorithm.
// The names in brackets are the ones logged to metrics.csv: TRL's, where TRL logs the
// number, so a reader can set a run of this course beside a TRL run. Chapters log a record
// with `chapter.log(record, series:, step:)` and read one back with `MetricsLog.records`.

/// One PPO iteration (chapter 06), under TRL's PPOTrainer names.
public struct PPOIteration: MetricRecord, Equatable, Sendable {
    /// Of the batch's answers: the mean reward-model score [objective/scores]; the mean of
    /// each answer's summed KL penalty −β Σ_t k_t [objective/non_score_reward]; their sum,
    /// the return PPO maximizes [objective/rlhf_reward].
    public var scores = 0.0, nonScoreReward = 0.0, rlhfReward = 0.0
    /// Mean Σ_t log π_old/π_ref per answer, in nats [objective/kl]; the entropy of π_old
    /// summed over each answer's tokens, mean over answers [objective/entropy] (TRL's is the
    /// sampled −Σ_t log π_old; this one is exact at every state, over the vocabulary).
    public var kl = 0.0, entropy = 0.0
    /// The same entropy per token (over every response token of the batch), and the mean
    /// number of tokens per answer: objective/entropy is about their product. Beside it, the
    /// reference policy's entropy per token at the same states.
    public var entropyPerToken = 0.0, tokensPerAnswer = 0.0, referenceEntropyPerToken = 0.0
    /// How many answers ended with end-of-text [val/num_eos_tokens].
    public var endedWithEndOfText = 0.0
    /// Mean gold score of the batch's answers and its standard deviation, what no real run
    /// can log [gold, gold std].
    public var gold = 0.0, goldStandardDeviation = 0.0
    /// 1 − Var(R − V) / Var(R) over the batch's response tokens, V the values the advantages
    /// were computed with (before the critic trains on the batch), R the critic's targets
    /// [val/var_explained]. Beside it the same values against the return received,
    /// Σ_{k ≥ t} r_k, a target that does not lean on the critic (GAE's R with λ < 1 does).
    public var explainedVariance = 0.0, explainedVarianceOfReturn = 0.0
    /// Means over the minibatches of: the approximate KL ½ (log ρ)² [policy/approxkl_avg];
    /// the share of tokens whose ratio was clipped [policy/clipfrac_avg]; the clipped
    /// policy loss [loss/policy_avg]; the clipped value loss [loss/value_avg]; the share of
    /// tokens whose value was clipped [val/clipfrac_avg]; the ratio π_θ/π_old's mean
    /// [val/ratio] and variance [val/ratio_var].
    public var approximateKL = 0.0, clipFraction = 0.0, policyLoss = 0.0, valueLoss = 0.0, valueClipFraction = 0.0
    public var ratio = 0.0, ratioVariance = 0.0

    public init() {}

    public static let fields: [(name: String, field: WritableKeyPath<PPOIteration, Double>)] = [
        ("objective/scores", \.scores), ("objective/non_score_reward", \.nonScoreReward),
        ("objective/rlhf_reward", \.rlhfReward), ("objective/kl", \.kl), ("objective/entropy", \.entropy),
        ("entropy per token", \.entropyPerToken), ("tokens per answer", \.tokensPerAnswer),
        ("reference entropy per token", \.referenceEntropyPerToken),
        ("val/num_eos_tokens", \.endedWithEndOfText), ("gold", \.gold), ("gold std", \.goldStandardDeviation),
        ("val/var_explained", \.explainedVariance),
        ("explained variance of the return", \.explainedVarianceOfReturn), ("policy/approxkl_avg", \.approximateKL),
        ("policy/clipfrac_avg", \.clipFraction), ("loss/policy_avg", \.policyLoss), ("loss/value_avg", \.valueLoss),
        ("val/clipfrac_avg", \.valueClipFraction), ("val/ratio", \.ratio), ("val/ratio_var", \.ratioVariance),
    ]

    /// What one minibatch's policy and value losses report.
    public struct Minibatch: Sendable {
        public var approximateKL, clipFraction, policyLoss, valueLoss, valueClipFraction, ratio, ratioVariance: Float

        public init(policy: ClippedPolicyLoss, value: (loss: Tensor, clipFraction: Float)) {
            (approximateKL, clipFraction, policyLoss) = (policy.approximateKL, policy.clipFraction, policy.loss.item)
            (valueLoss, valueClipFraction) = (value.loss.item, value.clipFraction)
            (ratio, ratioVariance) = (policy.meanRatio, policy.ratioVariance)
        }
    }

    /// Sets the minibatch fields to their means over the iteration's minibatches.
    public mutating func setMeans(of minibatches: [Minibatch]) {
        func mean(_ field: KeyPath<Minibatch, Float>) -> Double {
            minibatches.reduce(0.0) { $0 + Double($1[keyPath: field]) } / Double(minibatches.count)
        }
        (approximateKL, clipFraction, policyLoss) = (mean(\.approximateKL), mean(\.clipFraction), mean(\.policyLoss))
        (valueLoss, valueClipFraction) = (mean(\.valueLoss), mean(\.valueClipFraction))
        (ratio, ratioVariance) = (mean(\.ratio), mean(\.ratioVariance))
    }
}

/// One GRPO step (chapter 07), under TRL's GRPOTrainer names.
public struct GRPOStep: MetricRecord, Equatable, Sendable {
    /// Of the batch: the mean reward [reward]; the mean of the groups' reward standard
    /// deviations [reward_std]; the share of groups whose rewards are all equal, which give
    /// no gradient [frac_reward_zero_std].
    public var reward = 0.0, rewardStandardDeviation = 0.0, zeroSpreadShare = 0.0
    /// Mean answer length in tokens [completions/mean_length], and the share of answers cut
    /// at the length limit [completions/clipped_ratio].
    public var meanLength = 0.0, clippedRatio = 0.0
    /// Mean gold score [gold], mean Σ_t log π_old/π_SFT per answer in nats [kl to sft], mean
    /// reward-model score [score].
    public var gold = 0.0, klToSFT = 0.0, score = 0.0
    /// Means over the minibatches of: the k3 KL to the reference per token [kl]; the share
    /// of tokens clipped at 1 − ε with Â < 0 [clip_ratio/low_mean] and at 1 + ε_high with
    /// Â > 0 [clip_ratio/high_mean]; the GRPO loss [loss]; the policy's entropy per token [entropy].
    public var kl = 0.0, clipLow = 0.0, clipHigh = 0.0, loss = 0.0, entropy = 0.0
    /// Mean length of the right answers (reward > 0.5) and of the wrong ones, when the batch
    /// has some [length of right answers, length of wrong answers]; the held-out accuracy,
    /// at the steps it is measured [held-out accuracy].
    public var rightLength: Double?, wrongLength: Double?, heldOutAccuracy: Double?

    public init() {}

    public static let fields: [(name: String, field: WritableKeyPath<GRPOStep, Double>)] = [
        ("reward", \.reward), ("reward_std", \.rewardStandardDeviation), ("frac_reward_zero_std", \.zeroSpreadShare),
        ("completions/mean_length", \.meanLength), ("completions/clipped_ratio", \.clippedRatio), ("gold", \.gold),
        ("kl to sft", \.klToSFT), ("score", \.score), ("kl", \.kl), ("clip_ratio/low_mean", \.clipLow),
        ("clip_ratio/high_mean", \.clipHigh), ("loss", \.loss), ("entropy", \.entropy),
    ]
    public static let optionalFields: [(name: String, field: WritableKeyPath<GRPOStep, Double?>)] = [
        ("length of right answers", \.rightLength), ("length of wrong answers", \.wrongLength),
        ("held-out accuracy", \.heldOutAccuracy),
    ]

    /// What one minibatch's GRPO loss reports, and the policy's mean entropy on it.
    public struct Minibatch: Sendable {
        public var kl, clipLow, clipHigh, loss, entropy: Double

        public init(_ loss: GRPOLoss, entropy: Float) {
            (kl, clipLow, clipHigh) = (Double(loss.kl), Double(loss.clipLow), Double(loss.clipHigh))
            (self.loss, self.entropy) = (Double(loss.loss.item), Double(entropy))
        }
    }

    /// Sets the minibatch fields to their means over the step's minibatches.
    public mutating func setMeans(of minibatches: [Minibatch]) {
        func mean(_ field: KeyPath<Minibatch, Double>) -> Double {
            minibatches.reduce(0.0) { $0 + $1[keyPath: field] } / Double(minibatches.count)
        }
        (kl, clipLow, clipHigh, loss, entropy) = (mean(\.kl), mean(\.clipLow), mean(\.clipHigh), mean(\.loss), mean(\.entropy))
    }
}

/// One DPO step (chapter 08), under TRL's DPOTrainer names.
public struct DPOStep: MetricRecord, Equatable, Sendable {
    /// The batch's loss [loss].
    public var loss = 0.0
    /// Mean implicit reward β log π/π_ref of the chosen answers [rewards/chosen] and of the
    /// rejected ones [rewards/rejected], and their mean difference [rewards/margins].
    public var chosenReward = 0.0, rejectedReward = 0.0, margin = 0.0
    /// Share of pairs whose chosen answer has the higher implicit reward [rewards/accuracies].
    public var accuracy = 0.0
    /// Mean log π of the chosen answers [logps/chosen] and of the rejected ones [logps/rejected].
    public var chosenLogProb = 0.0, rejectedLogProb = 0.0

    public init() {}

    /// The record of one step's loss.
    public init(_ result: DPOLoss) {
        loss = Double(result.loss.item)
        chosenReward = mean(result.chosenRewards.map(Double.init))
        rejectedReward = mean(result.rejectedRewards.map(Double.init))
        (margin, accuracy) = (Double(result.margin), Double(result.accuracy))
        (chosenLogProb, rejectedLogProb) = (Double(result.chosenLogProb), Double(result.rejectedLogProb))
    }

    public static let fields: [(name: String, field: WritableKeyPath<DPOStep, Double>)] = [
        ("loss", \.loss), ("rewards/chosen", \.chosenReward), ("rewards/rejected", \.rejectedReward),
        ("rewards/margins", \.margin), ("rewards/accuracies", \.accuracy), ("logps/chosen", \.chosenLogProb),
        ("logps/rejected", \.rejectedLogProb),
    ]
}
