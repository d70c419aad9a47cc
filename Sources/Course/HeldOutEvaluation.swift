import Foundation
import LanguageModel
import RLHF
import TensorCore
import World

/// The one held-out evaluation every policy of the course gets, from chapter 02 on.
///
/// The same prompts (the world's held-out prompts: open-ended and arithmetic, with the
/// topics no demonstration covers), one answer each, sampled the same way for every
/// policy: **temperature 1, no top-k or top-p**, so that the answers are draws from the
/// policy π itself. That choice is what makes the numbers mean what they say: the KL to
/// SFT estimated from the answers is KL(π ‖ π_SFT), the quantity RLHF's objective
/// E[r] − β·KL trades against, and the gold score is the gold score of π, not of a
/// sharpened version of it. (Answers at temperature 0.7 read better and score higher; the
/// comparison between policies is what matters here.)
///
/// For each answer it records the gold judge's score and criteria, the reward model's
/// score (when there is a reward model), the sequence KL to SFT (sampled and exact over the
/// vocabulary), the length and whether the answer ended by itself; against a baseline (the
/// SFT policy's own evaluation) it adds the panel's preference. The summary derives
/// the gain over the baseline prompt by prompt, with its paired standard error, and the
/// win rate.
public struct HeldOutEvaluation {
    /// The held-out prompts every policy answers, in a fixed order.
    public private(set) var prompts: [Prompt]
    /// The longest answer, in tokens.
    public let maxNewTokens: Int
    public let tokenizer: BytePairTokenizer
    public let rewardModel: RewardModel?
    /// The chapter whose policies are evaluated (recorded in each evaluation).
    public let chapter: String
    /// Seeds the sampling; every policy draws from the same stream, so two evaluations of
    /// one policy are identical.
    public let seed: UInt64
    let judge = GoldJudge()
    let unseenTopics = Set(Knowledge.heldOutTopicNames)

    /// The answers' sampling: the policy's own distribution.
    public static let sampling = SamplingSettings(temperature: 1, topK: 0, topP: 1)
    /// The longest answer, in tokens: room for the judge's longest sensible answers
    /// (stories up to 180 words, about 230 tokens, do not fit; everything else does).
    public static let maxNewTokens = 160
    /// Prompts of a quick run (the three running examples among them).
    public static let quickPromptCount = 24

    public init(world: SyntheticWorld, tokenizer: BytePairTokenizer, rewardModel: RewardModel?, chapter: String,
                quick: Bool, seed: UInt64) {
        let running = world.evaluationPrompts
        let others = world.heldOutPrompts.filter { prompt in !running.contains(prompt) }
        let all = running + others
        // A quick run takes the running examples and others spread evenly over the list, so
        // that every kind of request, arithmetic included, is there.
        let stride = max(others.count / max(Self.quickPromptCount - running.count, 1), 1)
        let spread = Swift.stride(from: 0, to: others.count, by: stride).prefix(Self.quickPromptCount - running.count).map { others[$0] }
        self.prompts = quick ? running + spread : all
        self.maxNewTokens = quick ? 48 : Self.maxNewTokens
        self.tokenizer = tokenizer
        self.rewardModel = rewardModel
        self.chapter = chapter
        self.seed = seed
    }

    /// The same evaluation on its first `count` prompts only (the running examples first),
    /// for procedures too costly to run on every prompt; summaries against a full baseline
    /// then compare on these prompts alone.
    public func prefix(_ count: Int) -> HeldOutEvaluation {
        var copy = self
        copy.prompts = Array(prompts.prefix(count))
        return copy
    }

    /// A policy to evaluate: a network and how to switch it between the policy and π_SFT.
    public struct Policy {
        public let model: GPT
        /// Runs its argument with the network computing the policy π.
        public let asPolicy: (() -> Void) -> Void
        /// Runs its argument with the network computing π_SFT; nil when π is π_SFT.
        public let asSFT: ((() -> Void) -> Void)?

        public init(model: GPT, asPolicy: @escaping (() -> Void) -> Void, asSFT: ((() -> Void) -> Void)?) {
            self.model = model
            self.asPolicy = asPolicy
            self.asSFT = asSFT
        }

        /// The policy of every chapter after SFT: the SFT weights plus a trained adapter,
        /// π_SFT being the same network with the adapter off.
        public static func adapter(on model: GPT) -> Policy {
            Policy(model: model, asPolicy: { $0() }, asSFT: { body in model.withAdapterDisabled { body() } })
        }

        /// π_SFT itself (an SFT policy whose fresh adapter has not trained: KL 0).
        public static func sft(_ model: GPT) -> Policy {
            Policy(model: model, asPolicy: { body in model.withAdapterDisabled { body() } }, asSFT: nil)
        }
    }

    // MARK: - Evaluating

    /// Samples one answer per prompt from the policy, scores them, and measures the KL to
    /// SFT token by token. `baseline` (the SFT policy's evaluation) adds the panel's verdict.
    public func evaluate(_ name: String, policy: Policy, against baseline: PolicyEvaluation? = nil,
                         compute: PolicyEvaluation.Compute = .init()) -> PolicyEvaluation {
        var rollouts: [Rollout] = []
        policy.asPolicy { rollouts = self.sample(policy.model) }
        var kl: [(exact: Double, sampled: Double)]? = nil
        if let asSFT = policy.asSFT {
            kl = klToSFT(rollouts, model: policy.model, asPolicy: policy.asPolicy, asSFT: asSFT)
        }
        var evaluation = evaluate(name, rollouts: rollouts, klSource: kl == nil ? .reference : .measured,
                                  against: baseline, compute: compute)
        if let kl {
            for i in evaluation.answers.indices {
                evaluation.answers[i].klExact = kl[i].exact
                evaluation.answers[i].klSampled = kl[i].sampled
            }
        }
        return evaluation
    }

    /// Evaluates answers chosen by a procedure (best-of-N, TPO), one per prompt in order.
    /// Their KL to SFT is a bound (`klBound`), or undefined.
    /// `sampling` records how they were drawn (the evaluation's own, by default).
    public func evaluate(_ name: String, rollouts: [Rollout], klSource: PolicyEvaluation.KLSource, klBound: Double? = nil,
                         selection: String? = nil, sampling: SamplingSettings = HeldOutEvaluation.sampling,
                         against baseline: PolicyEvaluation? = nil,
                         compute: PolicyEvaluation.Compute = .init()) -> PolicyEvaluation {
        precondition(rollouts.count == prompts.count, "HeldOutEvaluation: \(rollouts.count) answers for \(prompts.count) prompts")
        let rewards = rewardModel.map { $0.score(rollouts, batchSize: 64) }
        var answers: [PolicyEvaluation.Answer] = []
        for (i, (prompt, rollout)) in zip(prompts, rollouts).enumerated() {
            let gold = judge.score(prompt, response: rollout.response)
            let words = TextAnalysis.words(rollout.response)
            answers.append(PolicyEvaluation.Answer(
                prompt: prompt.text, family: prompt.family.rawValue,
                unseenTopic: prompt.topicNames.contains(where: unseenTopics.contains),
                response: rollout.response, tokens: rollout.responseTokens.count,
                words: words.count, endedWithEndOfText: rollout.endedWithEndOfText,
                gold: gold.total, criteria: Dictionary(uniqueKeysWithValues: gold.breakdown.map { ($0.criterion, $0.value) }),
                reward: rewards.map { Double($0[i]) }, klSampled: nil, klExact: nil, panelWin: nil,
                topicVerdict: judge.topicVerdict(prompt, response: rollout.response)?.rawValue,
                madeUpWords: Lexicon.madeUpCount(words),
                arithmeticRight: prompt.arithmetic.map { judge.rightNumber($0, response: rollout.response) == 1 },
                restatesNumbers: prompt.arithmetic.map { $0.isRestated(in: rollout.response) }))
        }
        var evaluation = PolicyEvaluation(
            policy: name, chapter: chapter,
            sampling: .init(temperature: Double(sampling.temperature), topP: Double(sampling.topP),
                            maxNewTokens: maxNewTokens, selection: selection),
            answers: answers, klSource: klSource, klBound: klBound, compute: compute)
        if let baseline { evaluation = judgedByThePanel(evaluation, against: baseline) }
        return evaluation
    }

    /// The same evaluation with the reward model's scores added (chapter 04 scores the SFT
    /// policy's answers of chapter 02 this way, so the baseline is the very same answers).
    public func addingRewards(to evaluation: PolicyEvaluation) -> PolicyEvaluation {
        guard let rewardModel else { return evaluation }
        let rows = evaluation.answers.map { rewardModel.tokens(prompt: $0.prompt, response: $0.response) }
        let rewards = rewardModel.score(tokenRows: rows, batchSize: 64)
        var result = evaluation
        for i in result.answers.indices { result.answers[i].reward = Double(rewards[i]) }
        return result
    }

    /// One answer per prompt from `model` as it is now (the caller switches adapters).
    public func sample(_ model: GPT, samplesPerPrompt k: Int = 1, label: String = "held-out evaluation") -> [Rollout] {
        var rng = RandomGenerator(seed: seed).derived(label)
        let requests = prompts.flatMap { Array(repeating: $0.text, count: k) }
        return sampleRollouts(policy: model, tokenizer: tokenizer, prompts: requests, maxNewTokens: maxNewTokens,
                              sampling: Self.sampling, batchSize: 64, rng: &rng)
    }

    /// Σ_t of the exact and the sampled KL(π ‖ π_SFT) over each answer.
    func klToSFT(_ rollouts: [Rollout], model: GPT, asPolicy: (() -> Void) -> Void,
                 asSFT: (() -> Void) -> Void) -> [(exact: Double, sampled: Double)] {
        var totals: [(exact: Double, sampled: Double)] = []
        for start in stride(from: 0, to: rollouts.count, by: 32) {
            let chunk = Array(rollouts[start..<min(start + 32, rollouts.count)])
            let (batch, mask) = GPT.promptResponseBatch(prompts: chunk.map(\.promptTokens),
                                                        responses: chunk.map(\.responseTokens))
            var policyLogits: [Float] = [], referenceLogits: [Float] = []
            Autograd.withoutGradients {
                asPolicy { policyLogits = model.forward(batch).data }
                asSFT { referenceLogits = model.forward(batch).data }
            }
            totals += ResponseKL(policyLogits: policyLogits, referenceLogits: referenceLogits, batch: batch,
                                 responseMask: mask, vocabularySize: model.config.vocabularySize).sequenceTotals
        }
        return totals
    }

    /// Each annotator of the panel compares the answer with the baseline's answer to the
    /// same prompt, in random order; `panelWin` is the share preferring the answer (ties half).
    func judgedByThePanel(_ evaluation: PolicyEvaluation, against baseline: PolicyEvaluation) -> PolicyEvaluation {
        let theirs = Dictionary(baseline.answers.map { ($0.prompt, $0) }, uniquingKeysWith: { a, _ in a })
        var rng = RandomGenerator(seed: seed).derived("panel against \(baseline.policy)")
        var result = evaluation
        for i in result.answers.indices {
            guard let other = theirs[result.answers[i].prompt] else { continue }
            let mine = result.answers[i]
            var wins = 0.0
            for annotator in Annotator.panel {
                let mineFirst = rng.bernoulli(0.5)
                let (a, b) = mineFirst ? (mine, other) : (other, mine)
                let side = annotator.label(goldA: a.gold, goldB: b.gold, wordsA: a.words, wordsB: b.words, rng: &rng).preferred
                wins += side == .tie ? 0.5 : ((side == .a) == mineFirst ? 1 : 0)
            }
            result.answers[i].panelWin = wins / Double(Annotator.panel.count)
        }
        return result
    }
}
