import Foundation
import RLHF
import World

/// What the course's one held-out evaluation measured for one policy: one answer per
/// held-out prompt, what the gold judge, the reward model and the annotator panel made of
/// it, and how far the policy is from the SFT policy. Chapters save it as
/// `evaluation.json` (the chapter's main policy) or `evaluation-NAME.json` (the others),
/// and chapter 10 reads them all, so every method is compared on the same prompts, with
/// the same sampling, measured the same way.
///
/// Everything but the per-prompt records is derived from them (`summary(against:)`), so
/// a file cannot hold a mean that disagrees with its own answers.
public struct PolicyEvaluation: Codable, Equatable, Sendable {
    /// A short name, e.g. "SFT", "PPO (kl_coef 0.05)", "best-of-16".
    public var policy: String
    /// The chapter that made it, e.g. "06-ppo".
    public var chapter: String
    /// How the answers were drawn (and, for a procedure such as best-of-N or TPO, how they
    /// were chosen).
    public var sampling: Sampling
    /// One record per held-out prompt, in the evaluation's prompt order.
    public var answers: [Answer]
    /// How the KL to SFT is known: measured token by token, the best-of-N bound, or not at all.
    public var klSource: KLSource
    /// KL(π ‖ π_SFT) for a policy whose KL is not measured per answer (best-of-N's bound), in nats.
    public var klBound: Double?
    /// What it cost to make the policy, as the chapter reports it.
    public var compute: Compute

    public struct Sampling: Codable, Equatable, Sendable {
        public var temperature: Double
        public var topP: Double
        public var maxNewTokens: Int
        /// How the answer was chosen, when a procedure chose it ("best of 16 by the reward model").
        public var selection: String?
    }

    public enum KLSource: String, Codable, Sendable {
        /// Token by token, from the policy's and the SFT policy's log-probs on the answers.
        case measured
        /// The answers are the SFT policy's own: KL 0.
        case reference
        /// An analytic bound (best-of-N: log N - (N-1)/N).
        case bound
        /// Not defined for this policy (TPO's answers depend on a search, not on a distribution we can score).
        case none
    }

    /// One answer to one held-out prompt.
    public struct Answer: Codable, Equatable, Sendable {
        public var prompt: String
        /// The request's kind (`Prompt.Family.rawValue`).
        public var family: String
        /// True when the prompt's topic never appears in a demonstration.
        public var unseenTopic: Bool
        public var response: String
        public var tokens: Int
        public var words: Int
        public var endedWithEndOfText: Bool
        /// The gold judge's total (0-10) and its points per criterion.
        public var gold: Double
        public var criteria: [String: Double]
        /// r_φ(x, y), when a reward model scored it.
        public var reward: Double?
        /// Σ_t log π(y_t|s_t) − log π_SFT(y_t|s_t): the sampled (k1) sequence KL estimate.
        public var klSampled: Double?
        /// Σ_t KL(π(·|s_t) ‖ π_SFT(·|s_t)) over the vocabulary, on the answer's own states.
        public var klExact: Double?
        /// Share of the five annotators who prefer this answer to the SFT answer (ties half),
        /// when compared with one.
        public var panelWin: Double?
        /// Whether an open-ended answer is about the topic asked (`GoldJudge.TopicVerdict`'s
        /// raw value); nil for arithmetic.
        public var topicVerdict: String?
        /// Words the world never writes (`Lexicon`), out of `words`.
        public var madeUpWords: Int?
        /// Arithmetic only: the exact result given, and both numbers of the question written.
        public var arithmeticRight: Bool?
        public var restatesNumbers: Bool?
    }

    /// Tokens sampled and seconds spent in training, and reward-model calls per prompt at
    /// inference (best-of-N, TPO); nil when they do not apply.
    public struct Compute: Codable, Equatable, Sendable {
        public var trainingTokensSampled: Int?
        public var trainingSeconds: Double?
        public var rewardModelCallsPerPrompt: Int?

        public init(trainingTokensSampled: Int? = nil, trainingSeconds: Double? = nil, rewardModelCallsPerPrompt: Int? = nil) {
            self.trainingTokensSampled = trainingTokensSampled
            self.trainingSeconds = trainingSeconds
            self.rewardModelCallsPerPrompt = rewardModelCallsPerPrompt
        }
    }

    public init(policy: String, chapter: String, sampling: Sampling, answers: [Answer], klSource: KLSource,
                klBound: Double? = nil, compute: Compute = Compute()) {
        self.policy = policy
        self.chapter = chapter
        self.sampling = sampling
        self.answers = answers
        self.klSource = klSource
        self.klBound = klBound
        self.compute = compute
    }

    // MARK: - Files

    /// The file name of a chapter's main policy, and of its other policies.
    public static func fileName(_ name: String? = nil) -> String {
        guard let name else { return "evaluation.json" }
        let slug = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return "evaluation-" + String(slug).split(separator: "-").joined(separator: "-") + ".json"
    }

    /// The evaluation as JSON with sorted keys: the same evaluation, the same bytes.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads an evaluation file; a file that is not one throws an error naming what is wrong.
    public static func read(from url: URL) throws -> PolicyEvaluation {
        let data = try Data(contentsOf: url)
        let evaluation: PolicyEvaluation
        do {
            evaluation = try JSONDecoder().decode(PolicyEvaluation.self, from: data)
        } catch {
            throw EvaluationFileError(file: url.path, problem: "is not a policy evaluation (\(Self.describe(error)))")
        }
        guard !evaluation.answers.isEmpty else {
            throw EvaluationFileError(file: url.path, problem: "holds no answers")
        }
        return evaluation
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not JSON" : "bad \(path)"
        default: return "unreadable"
        }
    }
}

/// An evaluation file that cannot be used.
public struct EvaluationFileError: Error, LocalizedError, CustomStringConvertible {
    public let file: String
    public let problem: String
    public var description: String { "\(file) \(problem)" }
    public var errorDescription: String? { description }
}

// MARK: - What the numbers say

extension PolicyEvaluation {
    /// The policy's means, and its comparison with a baseline (usually SFT) on the same prompts.
    public struct Summary: Sendable {
        public var prompts: Int
        public var gold: Double
        public var goldStandardError: Double
        /// Mean of (gold − baseline gold) over the prompts, and its standard error: the
        /// paired comparison, far less noisy than comparing two means.
        public var goldGain: Double?
        public var goldGainStandardError: Double?
        /// Share of prompts where the gold judge scores this answer above the baseline's,
        /// ties counting half.
        public var winRate: Double?
        /// The same judged by the annotator panel (each of the five annotators once).
        public var panelWinRate: Double?
        public var reward: Double?
        /// Mean sequence KL to SFT: sampled (k1) and exact over the vocabulary; or the bound.
        public var klSampled: Double?
        public var klExact: Double?
        public var endedWithEndOfText: Double
        public var meanTokens: Double
        public var meanWords: Double
        /// Mean gold points per criterion, and mean gold per kind of request.
        public var criteria: [String: Double]
        public var families: [String: Double]
        /// Mean gold on prompts about topics no demonstration covers.
        public var unseenTopics: Double?
        /// How well it answers what it is asked (nil where the evaluation holds no such answer).
        public var answering: Answering
    }

    /// Does the policy answer the question? Shares of answers, whatever their style.
    public struct Answering: Sendable {
        /// Open-ended answers on the topic asked: all of them, those about topics the
        /// demonstrations cover, and those about the topics no demonstration mentions.
        public var onTopic: Double?
        public var onTopicDemonstrated: Double?
        public var onTopicUnseen: Double?
        /// Made-up words among all the words of all answers.
        public var madeUpWords: Double?
        /// Arithmetic answers with the exact result, and those that restate both numbers.
        public var arithmeticRight: Double?
        public var restatesNumbers: Double?
    }

    /// The summary; with `baseline`, the paired comparison on the prompts both answered.
    public func summary(against baseline: PolicyEvaluation? = nil) -> Summary {
        let golds = answers.map(\.gold)
        var summary = Summary(
            prompts: answers.count, gold: mean(golds), goldStandardError: standardError(golds),
            reward: Self.meanIfAll(answers.map(\.reward)),
            klSampled: klSource == .bound ? klBound : (klSource == .reference ? 0 : Self.meanIfAll(answers.map(\.klSampled))),
            klExact: klSource == .bound ? klBound : (klSource == .reference ? 0 : Self.meanIfAll(answers.map(\.klExact))),
            endedWithEndOfText: mean(answers.map { $0.endedWithEndOfText ? 1 : 0 }),
            meanTokens: mean(answers.map { Double($0.tokens) }), meanWords: mean(answers.map { Double($0.words) }),
            criteria: [:], families: [:],
            unseenTopics: answers.contains(where: \.unseenTopic) ? mean(answers.filter(\.unseenTopic).map(\.gold)) : nil,
            answering: answering)
        for name in Set(answers.flatMap(\.criteria.keys)) {
            summary.criteria[name] = mean(answers.map { $0.criteria[name] ?? 0 })
        }
        for family in Set(answers.map(\.family)) {
            summary.families[family] = mean(answers.filter { $0.family == family }.map(\.gold))
        }
        summary.panelWinRate = Self.meanIfAll(answers.map(\.panelWin))
        if let baseline {
            let theirs = Dictionary(baseline.answers.map { ($0.prompt, $0.gold) }, uniquingKeysWith: { a, _ in a })
            let differences = answers.compactMap { answer in theirs[answer.prompt].map { answer.gold - $0 } }
            if !differences.isEmpty {
                summary.goldGain = mean(differences)
                summary.goldGainStandardError = standardError(differences)
                summary.winRate = mean(differences.map { $0 > 0 ? 1 : ($0 == 0 ? 0.5 : 0) })
            }
        }
        return summary
    }

    /// The answering measures, from the answers' own records.
    public var answering: Answering {
        func share(_ flags: [Bool?]) -> Double? {
            let present = flags.compactMap { $0 }
            return present.isEmpty ? nil : mean(present.map { $0 ? 1 : 0 })
        }
        let onTopic = GoldJudge.TopicVerdict.onTopic.rawValue
        let open = answers.filter { $0.topicVerdict != nil }
        let madeUp = answers.compactMap(\.madeUpWords).reduce(0, +)
        let words = answers.filter { $0.madeUpWords != nil }.map(\.words).reduce(0, +)
        return Answering(
            onTopic: share(open.map { $0.topicVerdict == onTopic }),
            onTopicDemonstrated: share(open.filter { !$0.unseenTopic }.map { $0.topicVerdict == onTopic }),
            onTopicUnseen: share(open.filter(\.unseenTopic).map { $0.topicVerdict == onTopic }),
            madeUpWords: words > 0 ? Double(madeUp) / Double(words) : nil,
            arithmeticRight: share(answers.map(\.arithmeticRight)),
            restatesNumbers: share(answers.map(\.restatesNumbers)))
    }

    /// The mean when every value is there, nil otherwise.
    static func meanIfAll(_ values: [Double?]) -> Double? {
        let present = values.compactMap { $0 }
        return present.count == values.count && !present.isEmpty ? mean(present) : nil
    }
}
