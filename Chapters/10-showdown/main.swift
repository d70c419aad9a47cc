// Chapter 10: the showdown.
//
// Every method of the course, measured on the same held-out prompts against the hidden
// gold judge: gains and their paired errors, win rates, KL, compute; reward
// over-optimization with Gao et al.'s fits for best-of-N and for PPO along training; which
// criteria each method learned and where each games the reward model.
import Course
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter(CourseChapter.showdown, title: "The showdown", options: options)

chapter.section("Measured against the truth")
chapter.prose("""
    A real RLHF project never sees the quantity it optimizes: it has a reward model, a few \
    human spot checks and a KL budget, and it hopes that a higher reward means better \
    answers. This course has what no real project has, the hidden judge the annotators \
    were noisy readings of. Every policy trained in chapters 02 to 09 answered the same \
    held-out prompts, one answer each, sampled from the policy at temperature 1 (TPO and \
    its baselines, which search at test time, answered the first 64 at temperature 0.7), \
    and every answer was scored by that judge. So the comparison below measures the gains, \
    the KL they cost and the reward model's over-optimization instead of assuming them.
    """)

// ---------------------------------------------------------------------------------------
// Every evaluation the earlier chapters saved for this comparison (each chapter's
// evaluations.json lists them), or a line saying which chapter to run.
let llm = chapter.loadSFTModel()  // for its tokenizer (chapter 01's, saved beside the SFT model)
let world = SyntheticWorld(seed: options.seed)
let rewardModel = chapter.loadRewardModel(tokenizer: llm.tokenizer)
let evaluation = HeldOutEvaluation(world: world, tokenizer: llm.tokenizer, rewardModel: rewardModel, chapter: chapter.name.folder,
                                   quick: options.quick, seed: options.seed)
let baseline = chapter.loadSFTBaseline(matching: evaluation)
let saved = chapter.savedEvaluations(from: CourseChapter.before(chapter.name.folder))
let compared = saved.filter { $0.saved.showdown != nil }
let found = compared.map { chapter.loadEvaluation(from: $0.producer, name: $0.saved.name) }
for producer in CourseChain.finishedRunsNeeded(by: chapter.name.folder).map(ChapterName.init) {
    let rerun = "`\(producer.makeTarget)\(chapter.variant.makeArguments)`"
    if !chapter.hasArtifact(Chapter.completeStampName, from: producer.folder) {
        chapter.say("chapter \(producer.number) has not finished (\(rerun)): what it saves is missing below")
    } else if chapter.hasArtifact(PolicyEvaluation.fileName(), from: producer.folder)
                && !chapter.hasArtifact(EvaluationIndex.fileName, from: producer.folder) {
        chapter.say("chapter \(producer.number)'s run lists no evaluations (older code made it): \(rerun) to compare it here")
    }
}

// ---------------------------------------------------------------------------------------
chapter.section("The table")
chapter.report([baseline] + found, against: baseline,
               title: "every method on the held-out prompts (TPO and its baselines on the first \(found.first { $0.policy == "TPO" }?.answers.count ?? 0) only)")
func cell(_ x: Int?) -> any TableValue { x.map { $0 as any TableValue } ?? "–" }
func cell(_ x: Double?) -> any TableValue { x.map { String(format: "%.0f", $0) as any TableValue } ?? "–" }
chapter.table("what each cost",
              columns: ["method", "tokens sampled in training", "training seconds", "reward-model calls per answer at inference"],
              rows: found.map { [$0.policy, cell($0.compute.trainingTokensSampled), cell($0.compute.trainingSeconds),
                                 cell($0.compute.rewardModelCallsPerPrompt ?? 0)] })
let ranked = found.map { ($0, $0.summary(against: baseline)) }.sorted { ($0.1.goldGain ?? 0) > ($1.1.goldGain ?? 0) }
if let best = ranked.first {
    chapter.headline(String(format: "first: %@, %+.2f ± %.2f gold over SFT", best.0.policy, best.1.goldGain ?? 0, best.1.goldGainStandardError ?? 0))
}
if let best = ranked.first {
    // Compared directly, answer by answer on the prompts both answered: both gains are
    // paired against the same SFT answers, so their errors are correlated.
    var runnerUp = ""
    if ranked.count > 1 {
        let second = ranked[1].0, direct = best.0.summary(against: second)
        let d = direct.goldGain ?? 0, e = direct.goldGainStandardError ?? 0
        let verdict = abs(d) > 2 * e ? "more than two standard errors: a real difference."
                                     : "within two standard errors: these prompts do not tell the two apart."
        runnerUp = String(format: "Against %@ directly, on the %d prompts both answered, it gains %+.2f ± %.2f, ", second.policy,
                          min(best.0.answers.count, second.answers.count), d, e) + verdict
    }
    let ranking = ranked.map { String(format: "%@ %+.2f ± %.2f", $0.0.policy, $0.1.goldGain ?? 0, $0.1.goldGainStandardError ?? 0) }
    chapter.prose("""
        Ranked by their paired gold gain over SFT: \(ranking.joined(separator: ", ")). \
        \(best.0.policy) comes first. \(runnerUp)
        """)
}

// ---------------------------------------------------------------------------------------
chapter.section("The frontier: gold against KL")
var frontier: [PlotSeries] = []
let sweeps = saved.compactMap(\.saved.sweep?.sweep).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
for label in sweeps {
    let sweep = saved.filter { $0.saved.sweep?.sweep == label }.map { chapter.loadEvaluation(from: $0.producer, name: $0.saved.name).summary() }
        .sorted { ($0.klExact ?? 0) < ($1.klExact ?? 0) }
    frontier.append(PlotSeries(label, x: [0] + sweep.map { $0.klExact ?? 0 }, y: [baseline.summary().gold] + sweep.map(\.gold)))
}
for (entry, evaluation) in zip(compared, found) where evaluation.klSource != .none && entry.saved.sweep == nil {
    let s = evaluation.summary()
    frontier.append(PlotSeries(evaluation.policy + (evaluation.klSource == .bound ? " (KL bound)" : ""), x: [s.klExact ?? 0], y: [s.gold]))
}
chapter.figure(.lines(
    "frontier", title: "Gold score against KL to SFT, every method (TPO has no KL: its answers come from a search)",
    x: PlotAxis("KL(π ‖ π_SFT) on held-out answers", unit: "nats per answer"), y: PlotAxis("gold score (0-10)"),
    series: frontier))

/// A fitted curve d(α − β·term) written with the sign it has: d(0.19 + 0.06 log d) when β < 0.
func fitted(_ alpha: Double, _ beta: Double, _ term: String) -> String {
    "d(" + String(format: "%.2f", alpha) + (beta < 0 ? " + " : " − ") + String(format: "%.2f", abs(beta)) + " " + term + ")"
}

// ---------------------------------------------------------------------------------------
chapter.section("Over-optimization")
chapter.prose("""
    Gao et al. (2023) measured how the gold reward of a policy optimized against a proxy \
    reward model changes with the distance d = √KL(π ‖ π_init) it has moved, and found two \
    shapes: for best-of-N, R(d) = d(α − βd); for RL, R(d) = d(α − β log d). Both rise, \
    peak and fall while the proxy keeps rising. Here, best-of-N for N = 1 to 64 on held-out \
    prompts (the expected best of N computed exactly over every subset of 64 samples, with \
    the bound log N − (N − 1)/N as the KL), and PPO along training (chapter 06's batches, \
    every kl_coef, kl_coef 0 included), both fitted by least squares.
    """)
let bonPrompts = Array(evaluation.prompts.prefix(options.quick ? 8 : 48))
let k = options.quick ? 8 : 64
var bonRNG = chapter.random("best-of-n samples")
let sftPolicy = chapter.loadSFTPolicy()
let bonRollouts = sftPolicy.model.withAdapterDisabled {
    sampleRollouts(policy: sftPolicy.model, tokenizer: llm.tokenizer, prompts: bonPrompts.flatMap { Array(repeating: $0.text, count: k) },
                   maxNewTokens: evaluation.maxNewTokens, sampling: HeldOutEvaluation.sampling, batchSize: 64, rng: &bonRNG)
}
let bonRewards = rewardModel.score(bonRollouts, batchSize: 64)
let judge = GoldJudge()
let bonGold = bonRollouts.enumerated().map { judge.score(bonPrompts[$0.offset / k], response: $0.element.response).total }
let sizes = [1, 2, 4, 8, 16, 32, 64].filter { $0 <= k }
func expected(_ n: Int, _ values: [Double]) -> Double {
    mean(bonPrompts.indices.map { p in
        expectedBestOfN(n, rewards: Array(bonRewards[(p * k)..<((p + 1) * k)]), values: Array(values[(p * k)..<((p + 1) * k)]))
    })
}
let rewardStd = standardDeviation(bonRewards.map(Double.init)), goldStd = standardDeviation(bonGold)
let bonProxy = sizes.map { expected($0, bonRewards.map(Double.init)) }, bonTrue = sizes.map { expected($0, bonGold) }
let bonD = sizes.map { bestOfNKL($0).squareRoot() }
let bonGain = bonTrue.map { $0 - bonTrue[0] }
let bonFit = OverOptimizationFit.bestOfN.fit(d: bonD, gain: bonGain)
chapter.table("best-of-N on \(bonPrompts.count) held-out prompts (\(k) samples each)",
              columns: ["N", "√KL bound", "reward of the choice", "gold of the choice", "gold gain"],
              rows: sizes.indices.map { [sizes[$0], bonD[$0], bonProxy[$0], bonTrue[$0], bonGain[$0]] })
var overSeries: [PlotSeries] = [
    PlotSeries("best-of-N: reward (std of SFT rewards)", x: bonD, y: bonProxy.map { ($0 - bonProxy[0]) / rewardStd }),
    PlotSeries("best-of-N: gold gain (std of SFT gold)", x: bonD, y: bonGain.map { $0 / goldStd }),
]
if let bonFit {
    chapter.result("best-of-N fit, α", bonFit.alpha)
    chapter.result("best-of-N fit, β", bonFit.beta)
    let grid = (0...40).map { Double($0) * (bonD.last! * 1.1) / 40 }
    overSeries.append(PlotSeries("fit " + fitted(bonFit.alpha, bonFit.beta, "d"), x: grid,
                                 y: grid.map { OverOptimizationFit.bestOfN.value($0, alpha: bonFit.alpha, beta: bonFit.beta) / goldStd }))
}
// PPO along training: the iterations of each run of a sweep, in the order of the swept
// value, read back from the producer's metrics.csv as the PPOIteration records it logged.
let ppoRuns = saved.filter { $0.saved.sweep != nil }.sorted { $0.saved.sweep!.value < $1.saved.sweep!.value }
    .map { (policy: $0.saved.policy, iterations: chapter.loadRecords(PPOIteration.self, series: $0.saved.policy, from: $0.producer)) }
    .filter { !$0.iterations.isEmpty }
var rlSentence = "Chapter 06 has not run (`make chapter-06`), so there is no RL curve."
if !ppoRuns.isEmpty {
    // Each run's gold gain against its own first batch (sampled from π_SFT).
    let points = ppoRuns.flatMap { run in run.iterations.map { (d: max($0.kl, 0).squareRoot(), gain: $0.gold - run.iterations[0].gold) } }
    for run in ppoRuns {
        overSeries.append(PlotSeries(run.policy + ": gold gain (std)", x: run.iterations.map { max($0.kl, 0).squareRoot() },
                                     y: run.iterations.map { ($0.gold - run.iterations[0].gold) / goldStd }))
    }
    if let rlFit = OverOptimizationFit.reinforcementLearning.fit(d: points.map(\.d), gain: points.map(\.gain)) {
        chapter.result("RL fit, α", rlFit.alpha)
        chapter.result("RL fit, β", rlFit.beta)
        let grid = (1...40).map { Double($0) * ((points.map(\.d).max() ?? 1) * 1.1) / 40 }
        overSeries.append(PlotSeries("fit " + fitted(rlFit.alpha, rlFit.beta, "log d"), x: grid,
                                     y: grid.map { OverOptimizationFit.reinforcementLearning.value($0, alpha: rlFit.alpha, beta: rlFit.beta) / goldStd }))
        let peak = rlFit.beta > 0 ? exp(rlFit.alpha / rlFit.beta - 1) : .infinity
        rlSentence = "PPO's batches, all kl_coef runs pooled (\(points.count) points), fit " + fitted(rlFit.alpha, rlFit.beta, "log d")
            + (peak.isFinite ? String(format: ", which peaks at d = e^(α/β − 1) = %.1f, a KL of %.0f nats per answer.", peak, peak * peak)
                             : ", which does not turn down within this data.")
    }
}
chapter.figure(.lines(
    "over-optimization", title: "Over-optimization: gains against √KL for best-of-N and for PPO, with Gao et al.'s fits",
    x: PlotAxis("d = √KL(π ‖ π_SFT)", unit: "√nats"), y: PlotAxis("gain", unit: "standard deviations"),
    series: overSeries))
let bonPeak = bonFit.map { $0.beta > 0 ? $0.alpha / (2 * $0.beta) : Double.infinity } ?? .infinity
let bonFitted = bonFit.map { "The fit " + fitted($0.alpha, $0.beta, "d") + " " } ?? "The fit "
let bonTurn = bonPeak.isFinite
    ? String(format: "peaks at d = α/(2β) = %.2f, a KL of %.1f nats (N ≈ %.0f).", bonPeak, bonPeak * bonPeak, exp(bonPeak * bonPeak + 1))
    : "does not turn down within these N."
chapter.prose("""
    Best-of-N: from N = 1 to N = \(sizes.last!) the reward of the chosen answer rises by \
    \(String(format: "%.1f", (bonProxy.last! - bonProxy[0]) / rewardStd)) standard deviations and its gold \
    score by \(String(format: "%.1f", bonGain.last! / goldStd)). \
    \(bonFitted)\(bonTurn) \
    \(rlSentence)
    """)

// ---------------------------------------------------------------------------------------
chapter.section("What each method learned, and where it games the reward model")
chapter.reportCriteria([baseline] + found)
let criteria = GoldJudge.criterionNames.filter { $0 != GoldJudge.Criterion.rightNumber.rawValue }
chapter.figure(.bars(
    "criteria", title: "Gold points per criterion, by method (held-out means)", categories: criteria,
    y: PlotAxis("points"),
    series: ([baseline] + zip(compared, found).filter { $0.0.saved.showdown == .method }.map(\.1)).map { e in
        let s = e.summary()
        return PlotSeries(e.policy, y: criteria.map { s.criteria[$0] ?? 0 })
    }))
func share(_ e: PolicyEvaluation, _ test: (PolicyEvaluation.Answer) -> Bool) -> String {
    let open = e.answers.filter { $0.family != Prompt.Family.arithmetic.rawValue }
    return String(format: "%.0f%%", 100 * mean(open.map { test($0) ? 1 : 0 }))
}
chapter.table("open-ended answers: the gold judge's penalties, by method",
              columns: ["method", "mean words", "3+ questions (stuffed)", "repeats itself", "too long", "off topic", "ends by itself"],
              rows: ([baseline] + found).map { e in
                  [e.policy, String(format: "%.0f", e.summary().meanWords),
                   share(e) { ($0.criteria[GoldJudge.Criterion.engagingQuestion.rawValue] ?? 0) < 0 },
                   share(e) { ($0.criteria[GoldJudge.Criterion.noRepetition.rawValue] ?? 0) < 0 },
                   share(e) { ($0.criteria[GoldJudge.Criterion.sensibleLength.rawValue] ?? 1) < 1 && $0.words > 100 },
                   share(e) { ($0.criteria[GoldJudge.Criterion.onTopic.rawValue] ?? 0) < 0 },
                   share(e) { $0.endedWithEndOfText }]
              })
chapter.prose("""
    The criterion table says which parts of the gold standard each method moved; the \
    penalty table says where a method bought reward the judge does not pay for. Chapter \
    04's reward model tracks style (simple words, analogies, a question at the end) far \
    better than content (staying on topic, stating the topic's facts, not repeating), so \
    the methods that optimize it hardest gain most on the former and can lose on the \
    latter.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Explain quantum computing to a 10-year-old")
chapter.showRunningExamples([baseline] + found, count: 1)
chapter.finish()
