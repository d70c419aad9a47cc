import Foundation
import Notebook
import RLHF
import World

/// How chapters print and log held-out evaluations: one table for every policy, the
/// criteria and kinds of request, and the running examples' answers.
extension Chapter {
    /// The held-out table: for each policy its gold score, its gain over `baseline` prompt by
    /// prompt with the paired standard error, win rates by the gold judge and by the panel,
    /// reward, KL to SFT, answers that stop, and length. Every number is logged.
    public func report(_ evaluations: [PolicyEvaluation], against baseline: PolicyEvaluation? = nil,
                       title: String? = nil) {
        func cell(_ value: Double?, _ format: String = "%.3f") -> any TableValue {
            value.map { String(format: format, $0) } ?? "–"
        }
        var rows: [[any TableValue]] = []
        for evaluation in evaluations {
            let s = evaluation.summary(against: baseline)
            let gain = s.goldGain.map { gain in
                String(format: "%+.3f ± %.3f", gain, s.goldGainStandardError ?? 0)
            } ?? "–"
            let kl: String
            switch evaluation.klSource {
            case .measured: kl = String(format: "%.2f (%.2f)", s.klExact ?? 0, s.klSampled ?? 0)
            case .reference: kl = "0"
            case .bound: kl = String(format: "≤ %.2f (bound)", evaluation.klBound ?? 0)
            case .none: kl = "–"
            }
            rows.append([evaluation.policy, String(format: "%.3f ± %.3f", s.gold, s.goldStandardError), gain,
                         cell(s.winRate.map { 100 * $0 }, "%.1f%%"), cell(s.panelWinRate.map { 100 * $0 }, "%.1f%%"),
                         cell(s.reward), kl, String(format: "%.0f%%", 100 * s.endedWithEndOfText),
                         String(format: "%.0f", s.meanTokens)])
            let series = "held-out " + evaluation.policy
            log(series, step: 0, "gold", s.gold)
            log(series, step: 0, "gold standard error", s.goldStandardError)
            if let g = s.goldGain { log(series, step: 0, "gold gain", g) }
            if let e = s.goldGainStandardError { log(series, step: 0, "gold gain standard error", e) }
            if let w = s.winRate { log(series, step: 0, "win rate", w) }
            if let w = s.panelWinRate { log(series, step: 0, "panel win rate", w) }
            if let r = s.reward { log(series, step: 0, "reward", r) }
            if let k = s.klExact { log(series, step: 0, "kl exact", k) }
            if let k = s.klSampled { log(series, step: 0, "kl sampled", k) }
            log(series, step: 0, "ends with end-of-text", s.endedWithEndOfText)
            log(series, step: 0, "mean tokens", s.meanTokens)
        }
        let prompts = evaluations.first?.answers.count ?? 0
        table(title ?? "held-out evaluation (\(prompts) prompts, one answer each, temperature 1)",
              columns: ["policy", "gold (0-10) ± s.e.", "gain over \(baseline?.policy ?? "baseline") ± paired s.e.",
                        "wins (gold)", "wins (panel)", "reward", "KL to SFT: exact (sampled)", "stops", "tokens"],
              rows: rows)
        reportAnswering(evaluations)
    }

    /// Does each policy answer the question it is asked? On topic (open-ended answers, split
    /// by whether the demonstrations cover the topic), made-up words, and arithmetic right and
    /// restating the question's numbers. Every share is logged.
    public func reportAnswering(_ evaluations: [PolicyEvaluation]) {
        func percent(_ value: Double?, _ format: String = "%.1f%%") -> any TableValue {
            value.map { String(format: format, 100 * $0) } ?? "–"
        }
        var rows: [[any TableValue]] = []
        for evaluation in evaluations {
            let a = evaluation.answering
            rows.append([evaluation.policy, percent(a.onTopic), percent(a.onTopicDemonstrated), percent(a.onTopicUnseen),
                         percent(a.madeUpWords, "%.2f%%"), percent(a.arithmeticRight), percent(a.restatesNumbers)])
            let series = "held-out " + evaluation.policy
            for (name, value) in [("on topic", a.onTopic), ("on topic, demonstrated topics", a.onTopicDemonstrated),
                                  ("on topic, unseen topics", a.onTopicUnseen), ("made-up words", a.madeUpWords),
                                  ("arithmetic right", a.arithmeticRight), ("restates the numbers", a.restatesNumbers)] {
                if let value { log(series, step: 0, name, value) }
            }
        }
        table("does it answer the question? (held-out answers)",
              columns: ["policy", "on topic", "on topic: demonstrated topics", "on topic: unseen topics",
                        "made-up words", "arithmetic right", "restates the numbers"],
              rows: rows)
    }

    /// Mean gold points per criterion and mean gold per kind of request, one column per policy.
    public func reportCriteria(_ evaluations: [PolicyEvaluation]) {
        let summaries = evaluations.map { $0.summary() }
        table("gold points per criterion (held-out means)",
              columns: ["criterion"] + evaluations.map(\.policy),
              rows: GoldJudge.criterionNames.map { name in
                  [name] + summaries.map { String(format: "%.3f", $0.criteria[name] ?? 0) as any TableValue }
              })
        var familyRows: [[any TableValue]] = Prompt.Family.allCases.compactMap { family in
            guard summaries.first?.families[family.rawValue] != nil else { return nil }
            // "–" for a policy that answered no prompt of this kind (TPO answers a subset).
            return [family.rawValue] + summaries.map { ($0.families[family.rawValue].map { String(format: "%.3f", $0) } ?? "–") as any TableValue }
        }
        if summaries.first?.unseenTopics != nil {
            familyRows.append(["(topics no demonstration covers)"]
                              + summaries.map { ($0.unseenTopics.map { String(format: "%.3f", $0) } ?? "–") as any TableValue })
        }
        table("mean gold score by kind of request", columns: ["request"] + evaluations.map(\.policy), rows: familyRows)
    }

    /// The answers of each policy to the running examples (the notebook's quantum-computing
    /// prompt first), with their gold and reward.
    public func showRunningExamples(_ evaluations: [PolicyEvaluation], count: Int = 3) {
        let texts = SyntheticWorld.evaluationPromptTexts.prefix(count)
        for text in texts {
            for evaluation in evaluations {
                guard let answer = evaluation.answers.first(where: { $0.prompt == text }) else { continue }
                let reward = answer.reward.map { String(format: " · reward %.2f", $0) } ?? ""
                sample(prompt: answer.prompt, response: answer.response,
                       note: String(format: "%@ · gold %.2f", evaluation.policy, answer.gold) + reward)
            }
        }
    }
}
