import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

/// Collecting preference data the way InstructGPT did, with the world's simulated people:
/// sample several answers per prompt from the SFT policy, show pairs of them to annotators
/// on the five-option form, and keep the decisive labels as (prompt, chosen, rejected).
/// The gold judge's scores ride along for analysis only; nothing learns from them.

/// One sampled answer with the gold judge's (hidden) score.
public struct ScoredAnswer: Sendable {
    public let rollout: Rollout
    public let gold: GoldScore
    public var text: String { rollout.response }
    public var words: Int { TextAnalysis.words(rollout.response).count }

    public init(rollout: Rollout, prompt: Prompt, judge: GoldJudge = GoldJudge()) {
        self.rollout = rollout
        self.gold = judge.score(prompt, response: rollout.response)
    }
}

/// One pair of answers to one prompt, in the order shown (A first), with its labels.
public struct Comparison: Sendable {
    public let prompt: Prompt
    public let a: ScoredAnswer
    public let b: ScoredAnswer
    /// Every label the pair got, with who gave it (one annotator, or the whole panel).
    public let labels: [(annotator: Annotator, label: PreferenceLabel)]
    /// The label that goes into the data set: one annotator's, drawn at random.
    public let datasetLabel: (annotator: Annotator, label: PreferenceLabel)

    /// True when the gold judge scores the two answers differently.
    public var goldDiffers: Bool { a.gold.total != b.gold.total }
    /// True when the gold judge prefers A.
    public var goldPrefersA: Bool { a.gold.total > b.gold.total }
}

public enum PreferenceCollection {
    /// K answers to each prompt from `model` as it is (the caller switches adapters), at
    /// the held-out evaluation's sampling (temperature 1, no truncation), with a progress line.
    public static func sampleAnswers(_ prompts: [Prompt], each k: Int, model: GPT, tokenizer: BytePairTokenizer,
                                     maxNewTokens: Int, label: String, chapter: Chapter) -> [[ScoredAnswer]] {
        var rng = chapter.random(label)
        let requests = prompts.flatMap { Array(repeating: $0.text, count: k) }
        let chunk = 64
        let progress = chapter.progress(label, total: (requests.count + chunk - 1) / chunk)
        var rollouts: [Rollout] = []
        for (step, start) in stride(from: 0, to: requests.count, by: chunk).enumerated() {
            let part = Array(requests[start..<min(start + chunk, requests.count)])
            let sampled = sampleRollouts(policy: model, tokenizer: tokenizer, prompts: part, maxNewTokens: maxNewTokens,
                                         sampling: HeldOutEvaluation.sampling, batchSize: chunk, rng: &rng)
            rollouts += sampled
            progress.update(step: step + 1, tokens: sampled.map(\.responseTokens.count).reduce(0, +))
        }
        progress.finish()
        return prompts.indices.map { p in (0..<k).map { ScoredAnswer(rollout: rollouts[p * k + $0], prompt: prompts[p]) } }
    }

    /// Shows the pair in random order (people favour the first one shown a little) and
    /// collects one annotator's label, or the whole panel's.
    public static func compare(_ prompt: Prompt, _ first: ScoredAnswer, _ second: ScoredAnswer, wholePanel: Bool,
                               rng: inout RandomGenerator) -> Comparison {
        let panel = Annotator.panel
        let (a, b) = rng.bernoulli(0.5) ? (first, second) : (second, first)
        let drawn = rng.int(below: panel.count)
        let annotators = wholePanel ? panel : [panel[drawn]]
        let labels = annotators.map { annotator in
            (annotator, annotator.label(goldA: a.gold.total, goldB: b.gold.total, wordsA: a.words, wordsB: b.words, rng: &rng))
        }
        return Comparison(prompt: prompt, a: a, b: b, labels: labels, datasetLabel: wholePanel ? labels[drawn] : labels[0])
    }

    /// Every pair of each prompt's answers, C(K, 2) per prompt; a share `panelShare` of them
    /// goes to the whole panel (to measure agreement), the rest to one annotator each.
    public static func allPairs(_ prompts: [Prompt], _ answers: [[ScoredAnswer]], panelShare: Double,
                                rng: inout RandomGenerator) -> [Comparison] {
        var result: [Comparison] = []
        for (prompt, group) in zip(prompts, answers) {
            for i in 0..<group.count {
                for j in (i + 1)..<group.count {
                    let whole = rng.bernoulli(panelShare)
                    result.append(compare(prompt, group[i], group[j], wholePanel: whole, rng: &rng))
                }
            }
        }
        return result
    }

    /// Disjoint pairs of each prompt's answers (0-1, 2-3, ...), all labelled by the whole panel:
    /// the held-out comparisons.
    public static func disjointPanelPairs(_ prompts: [Prompt], _ answers: [[ScoredAnswer]],
                                          rng: inout RandomGenerator) -> [Comparison] {
        var result: [Comparison] = []
        for (prompt, group) in zip(prompts, answers) {
            for i in stride(from: 0, to: group.count - 1, by: 2) {
                result.append(compare(prompt, group[i], group[i + 1], wholePanel: true, rng: &rng))
            }
        }
        return result
    }

    /// The data set's pair for a comparison: its dataset label oriented as chosen and rejected,
    /// with the loss margin of the label's strength; nil for "about the same".
    public static func preferencePair(_ c: Comparison, split: PreferencePair.Split,
                                      margin: (PreferenceStrength) -> Float) -> PreferencePair? {
        let (annotator, label) = c.datasetLabel
        guard label.preferred != .tie else { return nil }
        let (chosen, rejected) = label.preferred == .a ? (c.a, c.b) : (c.b, c.a)
        let strength: PreferenceStrength = label == .aSignificantlyBetter || label == .bSignificantlyBetter ? .significant : .slight
        return PreferencePair(prompt: c.prompt.text, chosen: chosen.text, rejected: rejected.text, strength: strength,
                              margin: margin(strength), annotator: annotator.name, split: split,
                              chosenGold: chosen.gold.total, rejectedGold: rejected.gold.total)
    }

    // MARK: - Agreement

    /// Share of decisive labels that pick the same answer as `prefersA` (one verdict per
    /// comparison; nil leaves the comparison out), over every label of every comparison.
    public static func agreementWithLabels(_ comparisons: [Comparison], _ prefersA: (Int) -> Bool?) -> Double {
        var agree = 0, total = 0
        for (i, c) in comparisons.enumerated() {
            guard let verdict = prefersA(i) else { continue }
            for (_, label) in c.labels where label.preferred != .tie {
                total += 1
                if (label.preferred == .a) == verdict { agree += 1 }
            }
        }
        return total == 0 ? 0 : Double(agree) / Double(total)
    }

    /// The gold order's agreement with the labels: the ceiling for any reward model, since a
    /// fresh label is a noisy reading of the gold order (pairs the judge scores equally left out).
    public static func goldOrderAgreement(_ comparisons: [Comparison]) -> Double {
        agreementWithLabels(comparisons) { comparisons[$0].goldDiffers ? comparisons[$0].goldPrefersA : nil }
    }

    /// How often two annotators of the same pair name the same better answer (ties left out).
    public static func interAnnotatorAgreement(_ comparisons: [Comparison], ties: TieTreatment = .ignored) -> Double {
        agreement(comparisons.filter { $0.labels.count > 1 }.map { $0.labels.map(\.label) }, ties: ties) ?? 0
    }

    /// Share of comparisons (the judge scoring the answers differently, and `include` true)
    /// where rewards order the pair as the gold judge does.
    public static func goldOrderAccuracy(_ comparisons: [Comparison], rewardsA: [Float], rewardsB: [Float],
                                         include: (Comparison) -> Bool = { _ in true }) -> (accuracy: Double, pairs: Int) {
        var agree = 0, total = 0
        for (c, (ra, rb)) in zip(comparisons, zip(rewardsA, rewardsB)) where c.goldDiffers && include(c) {
            total += 1
            if c.goldPrefersA == (ra > rb) { agree += 1 }
        }
        return (total == 0 ? 0 : Double(agree) / Double(total), total)
    }
}

extension PreferenceCollection {
    /// `count` prompts from `pool`, a quarter of them arithmetic and the rest open-ended, in
    /// a random order drawn from `rng` (chapter 04's training prompts).
    public static func choosePrompts(_ pool: [Prompt], count: Int, rng: inout RandomGenerator) -> [Prompt] {
        let arithmetic = rng.shuffled(pool.filter { $0.family == .arithmetic })
        let open = rng.shuffled(pool.filter { $0.family != .arithmetic })
        let arithmeticCount = min(count / 4, arithmetic.count)
        return rng.shuffled(Array(open.prefix(count - arithmeticCount)) + Array(arithmetic.prefix(arithmeticCount)))
    }

    /// The reward model's rewards of both answers of each comparison, scored in one batch.
    public static func rewards(of comparisons: [Comparison], by rewardModel: RewardModel) -> (a: [Float], b: [Float]) {
        let scores = rewardModel.score(tokenRows: comparisons.flatMap { c in
            [c.a, c.b].map { rewardModel.tokens(promptTokens: $0.rollout.promptTokens, responseTokens: $0.rollout.responseTokens) }
        }, batchSize: 64)
        return (stride(from: 0, to: scores.count, by: 2).map { scores[$0] }, stride(from: 1, to: scores.count, by: 2).map { scores[$0] })
    }
}
