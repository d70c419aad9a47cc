// Chapter 08: DPO and its family, straight from the preference data.
//
// Direct Preference Optimization trains the policy on chapter 04's preference pairs with
// no reward model and no sampling: every training pair, a β sweep, the implicit reward's
// held-out accuracy beside the reward model's (chapter 04's own numbers), and DPO against
// chapter 06's PPO at matched KL. Writes runs/08-dpo/policy.safetensors, evaluation.json
// and the sweep's evaluations.
import Course
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter(CourseChapter.dpo, title: "DPO: preferences without a reward model", options: options)

chapter.section("From the RLHF objective to a classification loss")
chapter.prose("""
    Chapters 05 to 07 optimize the KL-regularized objective

        max over π   E_x E_{y~π(·|x)} [ r(x, y) ] − β KL(π(·|x) ‖ π_ref(·|x))

    by sampling, scoring with a reward model and following policy gradients. Rafailov et \
    al. (2023) noticed that this objective has a closed-form optimum. Write it, for one \
    prompt, as Σ_y π(y) [r(y) − β log(π(y)/π_ref(y))]; maximizing over distributions π \
    (with a Lagrange multiplier for Σ_y π(y) = 1) gives

        π*(y|x) = π_ref(y|x) exp(r(x, y)/β) / Z(x),    Z(x) = Σ_y π_ref(y|x) exp(r(x, y)/β).

    Solved for the reward, r(x, y) = β log(π*(y|x)/π_ref(y|x)) + β log Z(x): every policy \
    defines an implicit reward, β times its log-ratio to the reference, up to a term that \
    depends on the prompt only. Put that into the Bradley-Terry model of chapter 04,

        P(y_c ≻ y_r | x) = σ(r(x, y_c) − r(x, y_r)),

    and β log Z(x) cancels, since both answers share the prompt. What is left is a \
    likelihood of the preference data in terms of the policy itself:

        L_DPO = −E_D [ log σ( β [log π(y_c|x)/π_ref(y_c|x) − log π(y_r|x)/π_ref(y_r|x)] ) ].

    Minimizing it fits the reward model and solves the RL problem in one step, on the \
    fixed data set: no reward model, no sampling, no critic, one forward and backward pass \
    per pair. β plays the role it has in the objective: small β lets the policy move far \
    from the reference for a given preference, large β keeps it close. The price is that \
    the data are fixed: DPO learns from the SFT policy's answers that the annotators \
    compared, never from its own new answers.

    The family varies the loss on the same margin h = (log π/π_ref)(y_c) − (log π/π_ref)(y_r):
    - cDPO (Mitchell, 2023): labels are flipped with probability ε, so the loss is
      −(1 − ε) log σ(βh) − ε log σ(−βh), which stops pushing once a pair is won;
    - IPO (Azar et al., 2023): (h − 1/(2β))², a target margin instead of "as large as
      possible", against overfitting deterministic preferences; on length-averaged log-probs;
    - hinge (SLiC, Zhao et al., 2023): max(0, 1 − βh);
    - SimPO (Meng et al., 2024): no reference at all, −log σ(β(ā_c − ā_r) − γ) on
      length-averaged log-probs ā, with a target margin γ.
    (TRL's "TPO" trainer is another member of the family, "triple preference optimization";
    chapter 09's TPO, test-time preference optimization, is something else.) The library \
    holds all of them (`DPOSettings.lossType`, tested against hand-worked values); this \
    chapter spends its few minutes on DPO itself, on all the data and across β. To run a \
    variant, give `dpo` below its settings, e.g. DPOSettings(beta: 0.1, lossType: .ipo).
    """)

// ---------------------------------------------------------------------------------------
let loaded = chapter.loadAlignmentStart(lora: LoRAConfig(rank: 16, alpha: 32, dropout: 0))
let (policy, evaluator, baseline) = (loaded.policy, loaded.evaluator, loaded.baseline)
let pairs = chapter.loadPreferencePairs()
let model = policy.model

/// The settings of this chapter, with the usual ranges.
struct DPOChapterSettings {
    /// Prompts per step: a step takes every pair of these prompts (chapter 04 compared all
    /// pairs of each prompt's answers), so it runs each of their answers through the
    /// network once.
    var promptsPerStep = 8
    /// Passes over the training pairs (DPO papers: 1 to 3).
    var epochs = 1
    /// The main run's β and the sweep. 0.01 to 0.5 is the usual range; the sweep goes
    /// higher because with Adam the loss's overall scale β cancels and β acts only through
    /// σ(−β h), the weight of a pair, which is ½ for every β until β h nears 1. The KL each β
    /// reaches is measured, not set.
    var beta: Float = 0.1, betas: [Float] = [0.1, 0.5, 2]
    /// Adam's peak learning rate on the adapter (DPO on LoRA: 1e-4 to 1e-3 at this size),
    /// with 10% warmup and cosine decay to a tenth.
    var learningRate: Float = 1e-3
    /// Held-out accuracy along the main run every this many steps, on the pairs of every
    /// fourth held-out prompt.
    var curveInterval = 20
}
var settings = DPOChapterSettings()
if options.quick { (settings.betas, settings.curveInterval) = ([0.1, 1], 1) }
chapter.setting("beta", Double(settings.beta))
chapter.setting("epochs", settings.epochs)
chapter.setting("prompts per step", settings.promptsPerStep)
chapter.setting("learning rate", Double(settings.learningRate))

// The training and held-out pairs, grouped by prompt; the reference's log-prob of every
// answer, once, for every run of the sweep.
let trainingPairs = pairs.filter { $0.split == .train }, heldOutPairs = pairs.filter { $0.split == .heldOut }
let referenceStarted = Date()
let (training, heldOut) = model.withAdapterDisabled {
    (PreferenceBatch(pairs: trainingPairs, tokenizer: policy.tokenizer, reference: model),
     PreferenceBatch(pairs: heldOutPairs, tokenizer: policy.tokenizer, reference: model))
}
let referenceSeconds = Date().timeIntervalSince(referenceStarted)
let stepsPerEpoch = (training.groups.count + settings.promptsPerStep - 1) / settings.promptsPerStep
let steps = options.steps ?? settings.epochs * stepsPerEpoch
chapter.setting("steps", steps)
chapter.say("""
    \(training.count) training pairs on \(training.groups.count) prompts (\(training.responses.count) answers), \
    \(heldOut.count) held-out pairs on \(heldOut.groups.count) prompts (\(heldOut.responses.count) answers); \
    π_ref's log-prob of all \(training.responses.count + heldOut.responses.count) answers computed once, \
    in \(String(format: "%.0f", referenceSeconds)) s, for every run below
    """)
// The held-out curve's pairs: every pair of every fourth held-out prompt.
let curvePairs = heldOut.groups.enumerated().filter { $0.offset % 4 == 0 }.flatMap(\.element)
let allHeldOut = Array(0..<heldOut.count)

/// What the implicit reward r̂ = β log π/π_ref makes of held-out pairs: the share it ranks like
/// the annotator's label and like the gold order (pairs the judge scores differently), with
/// binomial standard errors, ties (a margin within rounding of 0: the policy still at the
/// reference) counting half; and the mean log π of the chosen and rejected answers.
struct ImplicitRewardAccuracy {
    var labels = 0.0, labelsError = 0.0, pairs = 0
    var gold = 0.0, goldError = 0.0, goldPairs = 0
    var margin = 0.0, chosenLogProb = 0.0, rejectedLogProb = 0.0
}
func heldOutAccuracy(_ loss: DPOSettings, pairs indices: [Int]) -> ImplicitRewardAccuracy {
    let result = Autograd.withoutGradients { heldOut.loss(indices, policy: model, settings: loss) }
    let margins = zip(result.chosenRewards, result.rejectedRewards).map { Double($0 - $1) }
    func credit(_ margin: Double, chosenIsBetter: Bool) -> Double {
        abs(margin) < 1e-4 ? 0.5 : ((margin > 0) == chosenIsBetter ? 1 : 0)
    }
    let labelCredits = margins.map { credit($0, chosenIsBetter: true) }
    let judged = indices.indices.filter { heldOutPairs[indices[$0]].chosenGold != heldOutPairs[indices[$0]].rejectedGold }
    let goldCredits = judged.map { k in
        credit(margins[k], chosenIsBetter: heldOutPairs[indices[k]].chosenGold! > heldOutPairs[indices[k]].rejectedGold!)
    }
    return ImplicitRewardAccuracy(labels: mean(labelCredits), labelsError: standardError(labelCredits), pairs: indices.count,
                                  gold: mean(goldCredits), goldError: standardError(goldCredits), goldPairs: judged.count,
                                  margin: mean(margins), chosenLogProb: Double(result.chosenLogProb),
                                  rejectedLogProb: Double(result.rejectedLogProb))
}

/// What a DPO run left: a record per step, the held-out curve (when measured), its seconds.
struct DPORun {
    var beta: Float
    var records: [DPOStep] = [], curve: [(step: Int, accuracy: ImplicitRewardAccuracy)] = []
    var seconds = 0.0
}

/// One DPO run from the SFT policy (a fresh adapter) over every training pair, `steps` steps
/// of `promptsPerStep` prompts in an order drawn once (the same order for every β), logging
/// TRL's metrics; with `curve`, the held-out accuracy every `curveInterval` steps too.
var orderRNG = chapter.random("pair order")
let promptOrder = (0..<settings.epochs).flatMap { _ in orderRNG.shuffled(Array(training.groups.indices)) }
func dpo(_ loss: DPOSettings, curve: Bool) -> DPORun {
    let name = String(format: "DPO (β %g)", loss.beta)
    policy.resetAdapter()
    let optimizer = AdamW(parameters: policy.adapter.parameters, learningRate: settings.learningRate, weightDecay: 0)
    let schedule = LearningRateSchedule(peak: settings.learningRate, minimum: settings.learningRate / 10,
                                        warmupSteps: max(steps / 10, 1), totalSteps: steps)
    var run = DPORun(beta: loss.beta)
    func measure(_ step: Int) {
        let m = heldOutAccuracy(loss, pairs: curvePairs)
        run.curve.append((step, m))
        chapter.log(name + " held-out", step: step, "rewards/accuracies", m.labels)
        chapter.log(name + " held-out", step: step, "logps/chosen", m.chosenLogProb)
        chapter.log(name + " held-out", step: step, "logps/rejected", m.rejectedLogProb)
    }
    if curve { measure(0) }
    let started = Date()
    let progress = chapter.progress(name, total: steps)
    for step in 0..<steps {
        let first = (step * settings.promptsPerStep) % promptOrder.count
        let prompts = (first..<(first + settings.promptsPerStep)).map { promptOrder[$0 % promptOrder.count] }
        let indices = prompts.flatMap { training.groups[$0] }
        optimizer.learningRate = schedule.rate(at: step)
        optimizer.zeroGrad()
        let result = training.loss(indices, policy: model, settings: loss)
        result.loss.backward()
        let norm = clipGradientNorm(policy.adapter.parameters, maxNorm: 1)
        chapter.stopIfDiverged(name, step: step + 1, loss: Double(result.loss.item), gradientNorm: Double(norm))
        optimizer.update()
        let record = DPOStep(result)
        chapter.log(record, series: name, step: step + 1)
        run.records.append(record)
        if curve && ((step + 1) % settings.curveInterval == 0 || step + 1 == steps) { measure(step + 1) }
        progress.update(step: step + 1, ["loss": record.loss, "margin": record.margin, "acc": record.accuracy])
    }
    progress.finish()
    run.seconds = Date().timeIntervalSince(started)
    return run
}

// ---------------------------------------------------------------------------------------
chapter.section("Training on every pair, across β")
chapter.prose("""
    Each run starts from the SFT policy (a fresh adapter; the reference is the same network \
    with the adapter switched off) and makes \(steps) steps of \(settings.promptsPerStep) \
    prompts with all of their pairs, \(settings.epochs == 1 ? "one pass" : "\(settings.epochs) passes") \
    over chapter 04's \(training.count) training pairs, in the same order for every β; AdamW at \
    \(settings.learningRate) with warmup and cosine decay, gradients clipped at norm 1. Chapter \
    04's reward model trained on these same pairs. The progress line shows TRL's \
    metrics on the step's pairs, measured before the step's update: in a single pass each \
    batch is pairs the policy has not trained on yet. Each policy then answers the course's \
    \(evaluator.prompts.count) held-out prompts.
    """)
var runs: [Float: DPORun] = [:], accuracy: [Float: ImplicitRewardAccuracy] = [:]
var evaluations: [Float: PolicyEvaluation] = [:]
var mainAdapter: WeightSnapshot?
for beta in [settings.beta] + settings.betas.filter({ $0 != settings.beta }) {
    let isMain = beta == settings.beta
    let name = String(format: "DPO (β %g)", beta)
    let run = dpo(DPOSettings(beta: beta), curve: isMain)
    runs[beta] = run
    accuracy[beta] = heldOutAccuracy(DPOSettings(beta: beta), pairs: allHeldOut)
    evaluations[beta] = evaluator.evaluate(name, policy: .adapter(on: model), against: baseline,
                                           compute: .init(trainingSeconds: run.seconds))
    chapter.save(evaluations[beta]!, name: isMain ? nil : String(format: "beta %g", beta), showdown: isMain ? .method : nil,
                 sweep: SweepPoint("DPO, β sweep", value: Double(beta)))
    if isMain {
        mainAdapter = WeightSnapshot(of: policy.adapter.parameters)
        chapter.savePolicyAdapter(policy.adapter)
    }
}
let betas = settings.betas.sorted()
func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
func lastTen(_ run: DPORun, _ field: KeyPath<DPOStep, Double>) -> Double { mean(run.records.suffix(10).map { $0[keyPath: field] }) }
chapter.table("the β sweep: \(steps) steps, \(training.count) training pairs; held-out pairs \(heldOut.count)",
              columns: ["β", "loss, last 10 steps", "held-out accuracy vs labels ± s.e.", "vs gold order ± s.e.",
                        "held-out margin", "KL to SFT (nats/answer)", "gold gain over SFT ± s.e.", "prompts", "seconds"],
              rows: betas.map { beta in
                  let (a, s) = (accuracy[beta]!, evaluations[beta]!.summary(against: baseline))
                  return [String(format: "%g", beta), lastTen(runs[beta]!, \.loss),
                          String(format: "%.1f ± %.1f%%", 100 * a.labels, 100 * a.labelsError),
                          String(format: "%.1f ± %.1f%%", 100 * a.gold, 100 * a.goldError), a.margin, s.klExact ?? 0,
                          String(format: "%+.2f ± %.2f", s.goldGain ?? 0, s.goldGainStandardError ?? 0), s.prompts,
                          String(format: "%.0f", runs[beta]!.seconds)]
              })
for beta in betas {
    chapter.log(String(format: "DPO (β %g) held-out pairs", beta), step: 0, "accuracy vs labels", accuracy[beta]!.labels)
    chapter.log(String(format: "DPO (β %g) held-out pairs", beta), step: 0, "accuracy vs gold order", accuracy[beta]!.gold)
}

let main = runs[settings.beta]!
let stepAxis = main.records.indices.map { Double($0 + 1) }
/// A per-step series of the main run, as a 10-step running mean (one step is ~45 pairs: noisy).
func smoothed(_ field: KeyPath<DPOStep, Double>) -> PlotSeries {
    let values = main.records.map { $0[keyPath: field] }
    return PlotSeries(DPOStep.name(of: field) + " (10-step mean)", x: stepAxis,
                      y: values.indices.map { mean(Array(values[max(0, $0 - 9)...$0])) })
}
chapter.figure(.lines(
    "implicit-rewards", title: "DPO at β = \(settings.beta): implicit rewards of chosen and rejected answers, and their margin",
    x: PlotAxis("step"), y: PlotAxis("β log π/π_ref", unit: "nats × β"),
    series: [smoothed(\.chosenReward), smoothed(\.rejectedReward), smoothed(\.margin)]))
chapter.figure(.lines(
    "accuracy", title: "DPO at β = \(settings.beta): share of pairs the implicit reward ranks like the label",
    x: PlotAxis("step"), y: PlotAxis("accuracy"),
    series: [PlotSeries("training batch, before its update (10-step mean)", x: stepAxis, y: smoothed(\.accuracy).y),
             PlotSeries("held-out pairs of every fourth prompt (\(curvePairs.count))", x: main.curve.map { Double($0.step) },
                        y: main.curve.map(\.accuracy.labels))],
    references: [.horizontal(0.5, "chance")]))
chapter.figure(.lines(
    "held-out-log-probs", title: "DPO at β = \(settings.beta): mean log π of the chosen and rejected answers of held-out pairs",
    x: PlotAxis("step"), y: PlotAxis("mean log π(y|x)", unit: "nats"),
    series: [PlotSeries("chosen", x: main.curve.map { Double($0.step) }, y: main.curve.map(\.accuracy.chosenLogProb)),
             PlotSeries("rejected", x: main.curve.map { Double($0.step) }, y: main.curve.map(\.accuracy.rejectedLogProb))]))

// The direction of the log-probabilities, on the same held-out pairs before and after.
let (before, after) = (main.curve.first!.accuracy, main.curve.last!.accuracy)
let (chosenMove, rejectedMove) = (after.chosenLogProb - before.chosenLogProb, after.rejectedLogProb - before.rejectedLogProb)
let direction: String
if chosenMove - rejectedMove <= 0 {
    direction = "The gap did not grow on held-out pairs: the policy has not learned to separate answers it did not train on."
} else if chosenMove < 0 {
    direction = "The chosen answers became less likely while the gap grew: DPO's classic surprise. The loss depends only on "
        + "the difference of the two log-ratios, so it is satisfied as well by pushing the rejected answer down faster than "
        + "the chosen one as by pushing the chosen one up; with chosen and rejected answers that share most of their tokens "
        + "(same prompt, same style), the gradient that lowers one lowers much of the other too, and the probability mass "
        + "goes to answers that are in neither."
} else {
    direction = "Here the chosen answers' log-probabilities rose while the rejected ones' fell; the loss only asks for the gap."
}
chapter.prose("""
    On the held-out pairs of every fourth prompt (\(curvePairs.count) pairs), the mean log-probability \
    of the chosen answers moves by \(String(format: "%+.1f", chosenMove)) nats over the run and that of \
    the rejected ones by \(String(format: "%+.1f", rejectedMove)). \(direction)
    """)

// ---------------------------------------------------------------------------------------
chapter.section("The implicit reward as a reward model")
// Chapter 04's numbers, as chapter 04 measured and logged them: one source.
let rewardModelAccuracy = chapter.loadResult(RewardModelResults.heldOutAccuracy, from: CourseChapter.rewardModel) / 100
let rewardModelGold = chapter.loadResult(RewardModelResults.goldOrderAccuracy, from: CourseChapter.rewardModel) / 100
let humanBaseline = chapter.loadResult(RewardModelResults.humanBaseline, from: CourseChapter.rewardModel) / 100
// The main run's β is the one compared (choosing the best of the sweep on these pairs would
// flatter it).
let best = accuracy[settings.beta]!
chapter.table("held-out: share of pairs ranked like the annotators' labels, and like the gold order",
              columns: ["model", "vs labels", "vs the gold order", "measured on"],
              rows: betas.map { beta -> [any TableValue] in
                  let a = accuracy[beta]!
                  return [String(format: "DPO implicit reward (β %g)", beta),
                          String(format: "%.1f ± %.1f%%", 100 * a.labels, 100 * a.labelsError),
                          String(format: "%.1f ± %.1f%%", 100 * a.gold, 100 * a.goldError),
                          "\(a.pairs) pairs, one label each (\(a.goldPairs) with a gold order)"]
              } + [["chapter 04's reward model", percent(rewardModelAccuracy), percent(rewardModelGold),
                    "chapter 04's log: every label of the same comparisons"],
                   ["a second annotator (chapter 04)", percent(humanBaseline), "–", "chapter 04's log"]])
chapter.result("DPO implicit-reward held-out accuracy", 100 * best.labels, unit: "%")
chapter.result("its standard error", 100 * best.labelsError, unit: "%")
chapter.result("reward model held-out accuracy (chapter 04)", 100 * rewardModelAccuracy, unit: "%")
let gap = 100 * (rewardModelAccuracy - best.labels), gapErrors = gap / max(100 * best.labelsError, 1e-9)
let verdict = abs(gap) <= 5
    ? String(format: "within 5 points of the reward model's %.1f%% (%+.1f points, %.1f of DPO's standard errors: %@)",
             100 * rewardModelAccuracy, -gap, abs(gapErrors), abs(gapErrors) > 2 ? "a real difference, if a small one" : "not a difference these pairs can show")
    : String(format: "%.1f points below the reward model's %.1f%% (%.1f standard errors)", gap, 100 * rewardModelAccuracy, gapErrors)
// Before its update each training batch is pairs of prompts the policy has not trained on
// (one pass): the last ten batches' accuracy is a second held-out measurement, at the end.
let trainingEnd = lastTen(main, \.accuracy)
let trainingEndError = (trainingEnd * (1 - trainingEnd) / (10 * Double(training.count) / Double(max(stepsPerEpoch, 1)))).squareRoot()
let fitsTrainingBetter = trainingEnd - best.labels > 2 * (trainingEndError * trainingEndError + best.labelsError * best.labelsError).squareRoot()
let reason = abs(gap) <= 5 ? "" : String(format: """
     The last ten training batches of the same run, each scored before the policy trained on it, were \
    ranked %.1f%% ± %.1f like their labels: %@ The reward model tuned every weight on these pairs; DPO here tunes a rank-16 adapter on the attention's query and value projections, once.
    """, 100 * trainingEnd, 100 * trainingEndError,
    fitsTrainingBetter ? "more than two standard errors above the held-out pairs, so part of the gap is the held-out prompts themselves."
                       : "no different from the held-out pairs beyond two standard errors, so the shortfall is not overfitting: the implicit reward generalizes as well as it fits, and it fits less than the reward model did.")
chapter.prose("""
    The implicit reward is a reward model too: r̂(x, y) = β log π(y|x)/π_ref(y|x) ranks any two \
    answers to a prompt, and DPO's loss is exactly Bradley-Terry's on it. On the held-out pairs \
    its run at β = \(settings.beta) ranks \(percent(best.labels)) ± \
    \(String(format: "%.1f", 100 * best.labelsError)) like the annotators, \(verdict).\(reason) \
    The two numbers are measured on the same held-out comparisons but not quite the same way: \
    chapter 04 counted every decisive label the five annotators gave each comparison; a pair \
    in the preference file carries one of those labels, drawn at random, and that is what the \
    implicit reward is scored against here. Both estimate how often a fresh annotator agrees; \
    the single labels add noise, which the standard error counts. Against the gold order, \
    which neither saw, the implicit reward is right on \(percent(best.gold)) ± \
    \(String(format: "%.1f", 100 * best.goldError)) of the pairs the judge tells apart, the \
    reward model on \(percent(rewardModelGold)).
    """)

// ---------------------------------------------------------------------------------------
chapter.section("DPO against PPO at the same KL")
let mainEvaluation = evaluations[settings.beta]!
let mainSummary = mainEvaluation.summary(against: baseline)
chapter.report([baseline] + betas.map { evaluations[$0]! }, against: baseline)
let ppoSaved = chapter.savedEvaluations(from: [CourseChapter.ppo]).filter { $0.saved.sweep != nil }
let ppo = ppoSaved.map { chapter.loadEvaluation(from: $0.producer, name: $0.saved.name, matching: evaluator) }
    .sorted { ($0.summary().klExact ?? 0) < ($1.summary().klExact ?? 0) }
/// Gold gain over SFT against KL, each point paired with SFT on the same prompts. SFT itself
/// (KL 0) is the line at 0: the KLs span orders of magnitude, so the axis is logarithmic.
func frontier(_ name: String, _ evaluations: [PolicyEvaluation]) -> PlotSeries {
    let sorted = evaluations.sorted { ($0.summary().klExact ?? 0) < ($1.summary().klExact ?? 0) }
    let summaries = sorted.map { $0.summary(against: baseline) }
    return PlotSeries(name, x: summaries.map { $0.klExact ?? 0 }, y: summaries.map { $0.goldGain ?? 0 },
                      spread: summaries.map { $0.goldGainStandardError ?? 0 })
}
chapter.figure(.lines(
    "frontier", title: ppo.isEmpty ? "Gold gain over SFT against KL to SFT: DPO's β sweep (chapter 06 has not run, so no PPO)"
                                   : "Gold gain over SFT against KL to SFT: DPO's β sweep beside PPO's kl_coef sweep",
    x: PlotAxis("KL(π ‖ π_SFT) on held-out answers", unit: "nats per answer", logarithmic: true),
    y: PlotAxis("gold gain over SFT (paired)"),
    series: [frontier("DPO, β = " + betas.map { String(format: "%g", $0) }.joined(separator: ", "), betas.map { evaluations[$0]! })]
        + (ppo.isEmpty ? [] : [frontier("PPO, kl_coef = " + ppoSaved.map { String(format: "%g", $0.saved.sweep!.value) }
                                            .sorted().joined(separator: ", "), ppo)]),
    references: [.horizontal(0, "SFT (KL 0)")]))
var comparisons: [(beta: Float, comparison: MatchedKLComparison)] = []
var comparisonText = "Chapter 06 has not run (`make chapter-06`), so there is no PPO frontier to compare with."
if !ppo.isEmpty {
    comparisons = betas.compactMap { beta in evaluations[beta]!.atMatchedKL(on: [baseline] + ppo).map { (beta, $0) } }
    chapter.table("DPO against PPO's frontier at DPO's KL (PPO's gold interpolated prompt by prompt between the two runs around it)",
                  columns: ["β", "KL (nats/answer)", "DPO gold", "PPO frontier gold", "between", "DPO − PPO ± paired s.e.", "prompts"],
                  rows: comparisons.map { beta, c in
                      [String(format: "%g", beta), c.kl, c.gold, c.frontierGold,
                       String(format: "%@ (%.2f) and %@ (%.2f)", c.lower, c.lowerKL, c.upper, c.upperKL),
                       String(format: "%+.2f ± %.2f", c.gain, c.standardError), c.prompts]
                  })
    for (beta, c) in comparisons {
        chapter.log(String(format: "DPO (β %g) against PPO at matched KL", beta), step: 0, "gain", c.gain)
        chapter.log(String(format: "DPO (β %g) against PPO at matched KL", beta), step: 0, "standard error", c.standardError)
    }
    let outside = betas.filter { beta in !comparisons.contains { $0.beta == beta } }
    let beyond = comparisons.filter { abs($0.comparison.gain) > 2 * $0.comparison.standardError }
    let ppoRange = (ppo.first?.summary().klExact ?? 0, ppo.last?.summary().klExact ?? 0)
    let each = comparisons.map { beta, c in
        String(format: "at β %g (%.2f nats) DPO %@ PPO's frontier by %.2f ± %.2f", beta, c.kl, c.gain >= 0 ? "is above" : "is below",
               abs(c.gain), c.standardError)
    }.joined(separator: "; ")
    // A straight line from SFT understates a frontier that rises fastest near KL 0 (gold grows
    // like √KL at first: Gao et al., 2023), which flatters the method compared with it; say
    // how far the main comparison leans on the line.
    let caveat = comparisons.first { $0.beta == settings.beta }.map { _, c -> String in
        let lineShare = c.lower == baseline.policy ? 1 - c.weight : 0
        return lineShare > 0
            ? String(format: " The lower end of PPO's interval is SFT itself, and a straight line from SFT lies below a frontier that rises fastest near KL 0 (gold grows like √KL at first, Gao et al., 2023), which would flatter DPO; at β %g SFT carries a weight of %.2f and %@ (%.2f nats) the rest, so the line's share of that comparison is %@.", settings.beta, lineShare, c.upper, c.upperKL, lineShare < 0.1 ? "small" : "not small")
            : ""
    } ?? ""
    let verdictText = comparisons.isEmpty ? ""
        : beyond.isEmpty ? " None of these differences is beyond two standard errors: at these KLs the two methods cannot be told apart on these prompts."
        : " " + beyond.map { String(format: "At β %g the difference is %.1f standard errors, beyond two: ", $0.beta, abs($0.comparison.gain) / max($0.comparison.standardError, 1e-9))
            + ($0.comparison.gain > 0 ? "DPO's policy is better there than PPO's at the same distance from SFT." : "PPO's policy is better there than DPO's at the same distance from SFT: PPO samples the policy's own answers and the reward model scores them, while DPO only ever sees the SFT policy's answers.") }.joined(separator: " ")
        + (beyond.count < comparisons.count ? " The other differences are within two standard errors." : "")
    comparisonText = """
        PPO's runs reach \(String(format: "%.2f", ppoRange.0)) to \(String(format: "%.2f", ppoRange.1)) nats; with SFT as \
        both frontiers' point at KL 0, PPO's gold at DPO's KL is read off between the two points around it, prompt by \
        prompt, and compared with DPO's on the same prompts. \(comparisons.isEmpty ? "No DPO run lies in PPO's range of KL, so there is no matched comparison." : "A" + each.dropFirst() + ".")\(verdictText)\(caveat)\
        \(outside.isEmpty ? "" : " " + outside.map { String(format: "β %g", $0) }.joined(separator: ", ") + " lies beyond PPO's largest KL: no PPO run to compare with there.")
        """
}
let sigmas = (mainSummary.goldGain ?? 0) / max(mainSummary.goldGainStandardError ?? 1, 1e-9)
chapter.prose("""
    At β = \(settings.beta) DPO's policy gains \(String(format: "%+.2f", mainSummary.goldGain ?? 0)) ± \
    \(String(format: "%.2f", mainSummary.goldGainStandardError ?? 0)) gold points over SFT on the \
    \(mainSummary.prompts) held-out prompts (\(String(format: "%.1f", abs(sigmas))) standard errors\
    \(abs(sigmas) > 2 ? "" : ": not a difference these prompts can show")), at \
    \(String(format: "%.2f", mainSummary.klExact ?? 0)) nats per answer. \(comparisonText) The KL here is \
    measured, not assumed: DPO never sees a KL during training, and β only sets it indirectly.
    """)
let matchedMain = comparisons.first { $0.beta == settings.beta }?.comparison
/// "(3.1 s.e.)", or "(1.2 s.e., within 2)" when it is not a result.
func errors(_ value: Double, _ error: Double) -> String {
    let n = abs(value) / max(error, 1e-9)
    return String(format: n > 2 ? "(%.1f s.e.)" : "(%.1f s.e., within 2)", n)
}
chapter.headline(String(format: "DPO (β %g) %+.2f ± %.2f gold over SFT %@ at %.2f nats", settings.beta, mainSummary.goldGain ?? 0,
                        mainSummary.goldGainStandardError ?? 0, errors(mainSummary.goldGain ?? 0, mainSummary.goldGainStandardError ?? 0),
                        mainSummary.klExact ?? 0)
                 + (matchedMain.map { String(format: "; %+.2f ± %.2f against PPO at the same KL %@", $0.gain, $0.standardError,
                                             errors($0.gain, $0.standardError)) } ?? ""))
chapter.result("DPO gold gain over SFT (paired)", mainSummary.goldGain ?? 0)
chapter.result("its standard error", mainSummary.goldGainStandardError ?? 0)
chapter.result("KL to SFT", mainSummary.klExact ?? 0, unit: "nats")
if let matchedMain {
    chapter.result("DPO − PPO at matched KL", matchedMain.gain)
    chapter.result("its paired standard error", matchedMain.standardError)
}

chapter.section("The notebook's question, before and after")
mainAdapter!.restore(into: policy.adapter.parameters)
chapter.showRunningExamples([baseline, mainEvaluation], count: 1)
chapter.finish()
