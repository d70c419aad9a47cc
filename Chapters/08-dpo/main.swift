// Chapter 08: DPO and its family, straight from the preference data.
//
// Direct Preference Optimization trains the policy on chapter 04's preference pairs with
// no reward model and no sampling. β swept, the loss variants compared, the implicit
// reward's accuracy measured beside the reward model's, and the gold-against-KL frontier
// drawn beside chapter 06's PPO. Writes runs/08-dpo/policy.safetensors, evaluation.json
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
    chapter 09's TPO, test-time preference optimization, is something else.)
    """)

// ---------------------------------------------------------------------------------------
let loaded = chapter.loadAlignmentStart(lora: LoRAConfig(rank: 16, alpha: 32, dropout: 0))
let (policy, rewardModel, world, evaluator, baseline) = (loaded.policy, loaded.rewardModel, loaded.world, loaded.evaluator, loaded.baseline)
let pairs = chapter.loadPreferencePairs()
let model = policy.model

/// The settings of this chapter, with the usual ranges.
struct DPOChapterSettings {
    /// Pairs per step and steps of every run (each run sees steps × batch pairs).
    var batch = 16, steps: Int
    /// The default β, the sweep, and the variants run at the default β.
    var beta: Float = 0.1, betas: [Float] = [0.05, 0.1, 0.5, 1]
    var variants: [(name: String, settings: DPOSettings)]
    /// Adam's learning rate on the adapter (DPO on LoRA: 1e-4 to 1e-3 at this size).
    var learningRate: Float = 5e-4
    /// Held-out accuracy of the implicit reward every this many steps.
    var evaluationInterval: Int
}
let variants: [(name: String, settings: DPOSettings)] = [
    ("cDPO (ε 0.1)", DPOSettings(beta: 0.1, labelSmoothing: 0.1)), ("IPO", DPOSettings(beta: 0.1, lossType: .ipo)),
    ("hinge", DPOSettings(beta: 0.1, lossType: .hinge)), ("SimPO (β 2, γ 0.5)", DPOSettings(beta: 2, lossType: .simpo, simpoGamma: 0.5)),
]
var settings = DPOChapterSettings(steps: options.budget(full: 80, quick: 4), variants: variants, evaluationInterval: 10)
if options.quick { (settings.batch, settings.betas, settings.variants, settings.evaluationInterval) = (8, [0.1, 1], Array(variants.prefix(2)), 2) }
chapter.setting("beta", Double(settings.beta))
chapter.setting("steps", settings.steps)
chapter.setting("batch", settings.batch)
chapter.setting("learning rate", Double(settings.learningRate))

// The training pairs a run sees, in order, and the held-out pairs; the reference's
// log-probs of both, once.
var pairRNG = chapter.random("pairs")
let trainingPairs = Array(pairRNG.shuffled(pairs.filter { $0.split == .train }).prefix(settings.steps * settings.batch))
let heldOutPairs = pairs.filter { $0.split == .heldOut }
let (training, heldOut) = model.withAdapterDisabled {
    (PreferenceBatch(pairs: trainingPairs, tokenizer: policy.tokenizer, reference: model),
     PreferenceBatch(pairs: heldOutPairs, tokenizer: policy.tokenizer, reference: model))
}
chapter.say("\(trainingPairs.count) training pairs, \(heldOutPairs.count) held-out pairs; the reference's log-probs computed once")
let curvePairs = Array(0..<max(heldOut.count / 4, 1))

/// Accuracy of an implicit reward on the held-out pairs: against the annotator's label
/// (chosen over rejected) and against the gold order (pairs the judge scores differently),
/// ties counting half.
func heldOutAccuracy(_ settings: DPOSettings, pairs indices: [Int]? = nil)
    -> (labels: Double, gold: Double, chosenLogProb: Double, rejectedLogProb: Double) {
    let all = indices ?? Array(0..<heldOut.count)
    let result = Autograd.withoutGradients { heldOut.loss(all, policy: model, settings: settings) }
    // A margin within rounding of 0 (the policy still equal to the reference) is a tie: half right.
    let margins = zip(result.chosenRewards, result.rejectedRewards).map { $0 - $1 }
    func credit(_ margin: Float, chosenIsBetter: Bool) -> Double {
        abs(margin) < 1e-5 ? 0.5 : ((margin > 0) == chosenIsBetter ? 1 : 0)
    }
    let pairs = all.map { heldOutPairs[$0] }
    let goldPairs = pairs.indices.filter { pairs[$0].chosenGold != pairs[$0].rejectedGold }
    return (mean(margins.map { credit($0, chosenIsBetter: true) }),
            mean(goldPairs.map { credit(margins[$0], chosenIsBetter: pairs[$0].chosenGold! > pairs[$0].rejectedGold!) }),
            Double(result.chosenLogProb), Double(result.rejectedLogProb))
}

/// What a DPO run left: a record per step, the held-out curve (when measured), its seconds.
struct DPORun {
    var records: [DPOStep] = [], accuracy: [(step: Int, accuracy: Double, chosen: Double, rejected: Double)] = []
    var seconds = 0.0
}

/// One DPO run from the SFT policy (a fresh adapter), logging TRL's metrics; with `curve`,
/// the held-out accuracy every `evaluationInterval` steps too (on a quarter of the pairs).
func dpo(_ name: String, _ loss: DPOSettings, curve: Bool = false) -> DPORun {
    policy.resetAdapter()
    let optimizer = AdamW(parameters: policy.adapter.parameters, learningRate: settings.learningRate, weightDecay: 0)
    let schedule = LearningRateSchedule(peak: settings.learningRate, minimum: settings.learningRate / 10,
                                        warmupSteps: max(settings.steps / 10, 1), totalSteps: settings.steps)
    var run = DPORun()
    func measure(_ step: Int) {
        let m = heldOutAccuracy(loss, pairs: curvePairs)
        run.accuracy.append((step, m.labels, m.chosenLogProb, m.rejectedLogProb))
        chapter.log(name + " held-out", step: step, "rewards/accuracies", m.labels)
        chapter.log(name + " held-out", step: step, "logps/chosen", m.chosenLogProb)
        chapter.log(name + " held-out", step: step, "logps/rejected", m.rejectedLogProb)
    }
    if curve { measure(0) }
    let started = Date()
    let progress = chapter.progress(name, total: settings.steps)
    for step in 0..<settings.steps {
        let indices = Array((step * settings.batch)..<min((step + 1) * settings.batch, training.count))
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
        if curve && ((step + 1) % settings.evaluationInterval == 0 || step + 1 == settings.steps) { measure(step + 1) }
        progress.update(step: step + 1, ["loss": record.loss, "margin": record.margin, "acc": record.accuracy])
    }
    progress.finish()
    run.seconds = Date().timeIntervalSince(started)
    return run
}

// ---------------------------------------------------------------------------------------
chapter.section("Training at β = \(settings.beta)")
chapter.prose("""
    \(settings.steps) steps of \(settings.batch) pairs from chapter 04's training set (each pair \
    once), the reference being the SFT policy (the adapter switched off), AdamW at \
    \(settings.learningRate) with warmup and cosine decay. The progress line shows TRL's \
    metrics: the loss, the mean implicit-reward margin and the share of pairs the implicit \
    reward ranks right, on the training batch and on the held-out pairs.
    """)
var evaluations: [String: PolicyEvaluation] = [:]
var main = DPORun()
var mainAccuracy = (labels: 0.0, gold: 0.0, chosenLogProb: 0.0, rejectedLogProb: 0.0)
var mainAdapter: WeightSnapshot?
for beta in [settings.beta] + settings.betas.filter({ $0 != settings.beta }) {
    let name = String(format: "DPO (β %g)", beta)
    let run = dpo(name, DPOSettings(beta: beta), curve: beta == settings.beta)
    evaluations[name] = evaluator.evaluate(name, policy: .adapter(on: model), against: baseline,
                                           compute: .init(trainingSeconds: run.seconds))
    let isMain = beta == settings.beta
    chapter.save(evaluations[name]!, name: isMain ? nil : String(format: "beta %g", beta), showdown: isMain ? .method : nil,
                 sweep: SweepPoint("DPO, β sweep", value: Double(beta)))
    if beta == settings.beta {
        main = run
        mainAccuracy = heldOutAccuracy(DPOSettings(beta: beta))
        mainAdapter = WeightSnapshot(of: policy.adapter.parameters)
        chapter.savePolicyAdapter(policy.adapter)
    }
}
let steps = main.records.indices.map { Double($0 + 1) }
func line(_ field: KeyPath<DPOStep, Double>) -> PlotSeries { PlotSeries(DPOStep.name(of: field), x: steps, y: main.records.map { $0[keyPath: field] }) }
chapter.figure(.lines(
    "implicit-rewards", title: "DPO at β = \(settings.beta): implicit rewards of chosen and rejected answers, and their margin",
    x: PlotAxis("step"), y: PlotAxis("β log π/π_ref", unit: "nats × β"),
    series: [line(\.chosenReward), line(\.rejectedReward), line(\.margin)]))
chapter.figure(.lines(
    "log-probs", title: "DPO at β = \(settings.beta): log-probability of chosen and rejected answers under the policy",
    x: PlotAxis("step"), y: PlotAxis("log π(y|x)", unit: "nats"),
    series: [line(\.chosenLogProb), line(\.rejectedLogProb)]))
chapter.figure(.lines(
    "accuracy", title: "DPO: share of pairs the implicit reward ranks like the label",
    x: PlotAxis("step"), y: PlotAxis("accuracy"),
    series: [PlotSeries("training batch", x: steps, y: main.records.map(\.accuracy)),
             PlotSeries("a quarter of the held-out pairs", x: main.accuracy.map { Double($0.step) }, y: main.accuracy.map(\.accuracy))]))

// The direction of the log-probabilities, on the same held-out pairs before and after.
let (before, after) = (main.accuracy.first!, main.accuracy.last!)
let chosenEnd = main.records.suffix(5).map(\.chosenReward), rejectedEnd = main.records.suffix(5).map(\.rejectedReward)
chapter.figure(.lines(
    "held-out-log-probs", title: "DPO at β = \(settings.beta): log π of the chosen and rejected answers of held-out pairs",
    x: PlotAxis("step"), y: PlotAxis("mean log π(y|x)", unit: "nats"),
    series: [PlotSeries("chosen", x: main.accuracy.map { Double($0.step) }, y: main.accuracy.map(\.chosen)),
             PlotSeries("rejected", x: main.accuracy.map { Double($0.step) }, y: main.accuracy.map(\.rejected))]))
// Before training the policy is the reference (the fresh adapter's B is zero), so the
// held-out implicit-reward margin starts at 0 and ends at β (Δ log π_c − Δ log π_r).
let heldOutMargin = Double(settings.beta) * ((after.chosen - before.chosen) - (after.rejected - before.rejected))
let trainingMargin = main.records.suffix(5).map(\.margin).reduce(0, +) / 5
let direction: String
if heldOutMargin <= 0 {
    direction = "The margin did not grow on held-out pairs: at this budget DPO has not learned to separate answers it did not train on."
} else if after.chosen < before.chosen {
    direction = "The chosen answers became less likely while the margin grew: DPO's classic surprise. The loss depends only on "
        + "the difference of the two log-ratios, so it is satisfied as well by pushing the rejected answer down faster than "
        + "the chosen one as by pushing the chosen one up; with chosen and rejected answers that share most of their tokens "
        + "(same prompt, same style), the gradient that lowers one lowers much of the other too, and the probability mass "
        + "goes to answers that are in neither."
} else {
    direction = "Here the chosen answers' log-probabilities rose while the rejected ones' fell; the loss only asks for the gap."
}
chapter.result("held-out implicit-reward margin after training", heldOutMargin)
chapter.prose("""
    On the same \(curvePairs.count) held-out pairs before and after training, the mean \
    log-probability of the chosen answers goes from \(String(format: "%.1f", before.chosen)) to \
    \(String(format: "%.1f", after.chosen)) nats and of the rejected ones from \(String(format: "%.1f", before.rejected)) \
    to \(String(format: "%.1f", after.rejected)): the implicit-reward margin on these pairs, \
    β (Δ log π_c − Δ log π_r), goes from 0 (the policy starts as the reference) to \
    \(String(format: "%+.3f", heldOutMargin)). On the last five training batches, each of pairs \
    not seen before, the margin averages \(String(format: "%+.3f", trainingMargin)), the chosen \
    answers' implicit reward \(String(format: "%+.2f", mean(chosenEnd))) and the rejected ones' \
    \(String(format: "%+.2f", mean(rejectedEnd))) (16 pairs each: noisy). \(direction)
    """)

chapter.section("The implicit reward as a reward model")
let rewardModelOnPairs = rewardModelAccuracy()
chapter.table("held-out pairs (\(heldOutPairs.count)): share ranked like the label, and like the gold order",
              columns: ["model", "vs annotators' labels", "vs the gold order"],
              rows: [["DPO implicit reward (β \(settings.beta))", mainAccuracy.labels, mainAccuracy.gold],
                     ["chapter 04's reward model", rewardModelOnPairs.labels, rewardModelOnPairs.gold]])
/// The reward model on the same pairs.
func rewardModelAccuracy() -> (labels: Double, gold: Double) {
    let chosen = rewardModel.score(prompts: heldOutPairs.map(\.prompt), responses: heldOutPairs.map(\.chosen), batchSize: 64)
    let rejected = rewardModel.score(prompts: heldOutPairs.map(\.prompt), responses: heldOutPairs.map(\.rejected), batchSize: 64)
    let goldPairs = heldOutPairs.indices.filter { heldOutPairs[$0].chosenGold != heldOutPairs[$0].rejectedGold }
    // Ties count half, as for the implicit reward.
    func credit(_ c: Float, _ r: Float, chosenIsBetter: Bool) -> Double { c == r ? 0.5 : ((c > r) == chosenIsBetter ? 1 : 0) }
    return (mean(zip(chosen, rejected).map { credit($0, $1, chosenIsBetter: true) }),
            mean(goldPairs.map { credit(chosen[$0], rejected[$0], chosenIsBetter: heldOutPairs[$0].chosenGold! > heldOutPairs[$0].rejectedGold!) }))
}

// ---------------------------------------------------------------------------------------
chapter.section("The variants at β = \(settings.beta)")
for (name, loss) in settings.variants {
    let run = dpo(name, loss)
    evaluations[name] = evaluator.evaluate(name, policy: .adapter(on: model), against: baseline, compute: .init(trainingSeconds: run.seconds))
    chapter.save(evaluations[name]!, name: name)
}
let order = settings.betas.map { String(format: "DPO (β %g)", $0) } + settings.variants.map(\.name)
chapter.report([baseline] + order.map { evaluations[$0]! }, against: baseline)
let mainEvaluation = evaluations[String(format: "DPO (β %g)", settings.beta)]!
let mainSummary = mainEvaluation.summary(against: baseline)
chapter.headline(String(format: "DPO (β %g) %+.2f ± %.2f gold over SFT at %.1f nats", settings.beta, mainSummary.goldGain ?? 0,
                        mainSummary.goldGainStandardError ?? 0, mainSummary.klExact ?? 0))
chapter.result("DPO gold gain over SFT (paired)", mainSummary.goldGain ?? 0)
chapter.result("its standard error", mainSummary.goldGainStandardError ?? 0)
chapter.result("KL to SFT", mainSummary.klExact ?? 0, unit: "nats")

// ---------------------------------------------------------------------------------------
chapter.section("The frontier: gold against KL, DPO beside PPO")
let ppoSweep = chapter.savedEvaluations(from: [CourseChapter.ppo]).filter { $0.saved.sweep != nil }
let ppo = ppoSweep.map { chapter.loadEvaluation(from: $0.producer, name: $0.saved.name, matching: evaluator) }
    .sorted { ($0.summary().klExact ?? 0) < ($1.summary().klExact ?? 0) }
let dpoSweep = settings.betas.map { evaluations[String(format: "DPO (β %g)", $0)]! }
    .sorted { ($0.summary().klExact ?? 0) < ($1.summary().klExact ?? 0) }
func frontier(_ name: String, _ evaluations: [PolicyEvaluation]) -> PlotSeries {
    PlotSeries(name, x: [0] + evaluations.map { $0.summary().klExact ?? 0 }, y: [baseline.summary().gold] + evaluations.map { $0.summary().gold },
               spread: [0] + evaluations.map { $0.summary().goldStandardError })
}
chapter.figure(.lines(
    "frontier", title: ppo.isEmpty ? "Gold score against KL to SFT: DPO (chapter 06 has not run, so no PPO)"
                                   : "Gold score against KL to SFT: DPO's β sweep beside PPO's kl_coef sweep",
    x: PlotAxis("KL(π ‖ π_SFT) on held-out answers", unit: "nats per answer"), y: PlotAxis("gold score (0-10)"),
    series: [frontier("DPO, β = " + settings.betas.map { String(format: "%g", $0) }.joined(separator: ", "), dpoSweep)]
        + (ppo.isEmpty ? [] : [frontier("PPO, kl_coef sweep", ppo)])))
/// The run of a sweep nearest in KL to `kl`.
func nearest(_ sweep: [PolicyEvaluation], _ kl: Double) -> PolicyEvaluation? {
    sweep.min { abs(($0.summary().klExact ?? 0) - kl) < abs(($1.summary().klExact ?? 0) - kl) }
}
let bestDPO = dpoSweep.max { $0.summary().gold < $1.summary().gold }!
let comparison = ppo.isEmpty ? "Chapter 06 has not run (`make chapter-06`), so the figure shows DPO alone."
    : { () -> String in
        // At matched KL: DPO's best run against the PPO run nearest to it in KL, paired on the same prompts.
        let at = bestDPO.summary().klExact ?? 0
        let ppoNear = nearest(ppo, at)!
        let paired = bestDPO.summary(against: ppoNear)
        let (difference, error) = (paired.goldGain ?? 0, paired.goldGainStandardError ?? 0)
        let verdict = abs(difference) < 2 * error
            ? "within two standard errors of each other: at this KL the two frontiers cannot be told apart here"
            : (difference > 0 ? "so near this KL DPO's frontier lies above PPO's, as in the DPO paper's figure"
                              : "so near this KL PPO's frontier lies above DPO's, unlike the DPO paper's figure: PPO samples the policy's own answers and the reward model corrects it on them, DPO only ever sees the SFT policy's answers")
        return String(format: "DPO's best run (%@) scores %.2f at %.1f nats; the PPO run nearest in KL (%@, %.1f nats) scores %.2f: a paired difference of %+.2f ± %.2f, ",
                      bestDPO.policy, bestDPO.summary().gold, at, ppoNear.policy, ppoNear.summary().klExact ?? 0,
                      ppoNear.summary().gold, difference, error) + verdict + "."
    }()
chapter.prose("""
    At β = \(settings.beta) DPO's policy gains \(String(format: "%+.2f", mainSummary.goldGain ?? 0)) ± \
    \(String(format: "%.2f", mainSummary.goldGainStandardError ?? 0)) gold points over SFT on the held-out \
    prompts, at \(String(format: "%.1f", mainSummary.klExact ?? 0)) nats per answer; its implicit reward \
    ranks \(String(format: "%.1f", 100 * mainAccuracy.labels))% of held-out pairs like the annotators. \
    \(comparison) The KL here is measured, not assumed: DPO never sees a KL during training, \
    and β only sets it indirectly.
    """)
chapter.section("The notebook's question, before and after")
mainAdapter!.restore(into: policy.adapter.parameters)
chapter.showRunningExamples([baseline, mainEvaluation], count: 1)
chapter.finish()
