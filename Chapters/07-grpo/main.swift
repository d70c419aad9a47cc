// Chapter 07: GRPO without a critic, on a verifiable reward and on the reward model.
//
// Group Relative Policy Optimization: the group of answers to a prompt is its own baseline.
// Part 1 trains on arithmetic with a right-or-wrong reward (and compares two loss
// normalizations on length); part 2 on open-ended prompts against chapter 04's reward
// model, beside chapter 06's PPO. Writes runs/07-grpo/policy.safetensors (part 2),
// policy-arithmetic.safetensors and the evaluations of both.
import Course
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter(CourseChapter.grpo, title: "GRPO: the group as the baseline", options: options)

chapter.section("From PPO to GRPO")
chapter.prose("""
    PPO's critic is a second network as large as the policy, trained alongside it, whose \
    only job is a baseline: how good the state is expected to be, so that the advantage \
    says how much better this action did. GRPO (Shao et al., 2024, for DeepSeekMath) drops \
    it. For each prompt it samples a group of G answers, scores them, and uses the group as \
    the baseline:

        Â_i = (r_i − mean(r_1..r_G)) / (std(r_1..r_G) + ε),

    the same advantage for every token of answer i. It is chapter 03's leave-one-out idea \
    (RLOO, Ahmadian et al., 2024, uses the mean of the other G − 1 answers, which keeps the \
    estimate unbiased; GRPO's mean includes the answer itself, and the division by the \
    standard deviation rescales each prompt's advantages to unit spread).

    The loss is PPO's clipped surrogate, with two choices that the notebook this course \
    replaces gets wrong. The ratio is against π_old, the policy that sampled the group: \
    ρ = π_θ / π_old is an importance weight, and clipping it keeps the update near the \
    samples. (The notebook takes it against the reference model, which makes the clip a \
    leash to SFT, not a trust region around the data.) And the distance to the reference \
    is a separate term in the loss, β·k3 with k3 = π_ref/π − log(π_ref/π) − 1: an unbiased \
    estimate of KL(π ‖ π_ref) that is never negative (the notebook's estimate can be), \
    whose gradient pulls π back toward π_ref token by token. It sits in the loss rather than \
    in the reward because there is no critic to carry a per-token penalty back through \
    the returns.

    How the per-token losses are averaged matters too, and here TRL's names are used:
    - grpo: mean over each answer's tokens, then over answers. A long answer spreads its
      advantage over many tokens, so a long wrong answer is punished less per token than a
      short one, and long wrong answers grow (the length bias Dr. GRPO points out);
    - dr_grpo (Liu et al., 2025): sum over tokens divided by a constant (answers × the
      length limit), and no division by the group's standard deviation;
    - dapo (Yu et al., 2025): mean over all tokens of the batch; DAPO also raises the upper
      clip (ε_high > ε, "clip-higher") so that unlikely tokens can still grow, against the
      collapse of the policy's entropy.
    And a group whose rewards are all equal (every answer right, or every answer wrong) has \
    advantages of exactly 0: it contributes no gradient at all. When most groups are like \
    that, "the loss is zero and nothing learns" (TRL logs the share as \
    frac_reward_zero_std; DAPO's dynamic sampling drops such groups and samples more).
    """)

// ---------------------------------------------------------------------------------------
let loaded = chapter.loadAlignmentStart(lora: LoRAConfig(rank: 16, alpha: 32, dropout: 0))
let (policy, rewardModel, world, evaluator, baseline) = (loaded.policy, loaded.rewardModel, loaded.world, loaded.evaluator, loaded.baseline)
let model = policy.model

/// The settings of this chapter, with the usual ranges.
struct GRPOChapterSettings {
    /// Part 1: operands from 1 to this, prompts per step, answers per prompt (G), steps.
    var maxOperand = 9, arithmeticPrompts: Int, arithmeticGroup: Int, arithmeticSteps: Int
    /// Answers per held-out problem when measuring accuracy.
    var heldOutSamples: Int
    /// Part 2: prompts per step, G, steps.
    var openPrompts: Int, openGroup = 4, openSteps: Int
    /// ε, β of the k3 term, the adapter's learning rate, and the rows of a minibatch (each
    /// batch is one pass over its minibatches, one gradient step each).
    var epsilon: Float = 0.2, beta: Float = 0.04, learningRate: Float = 1e-3, minibatchSize = 32
    var arithmeticMaxTokens: Int, openMaxTokens: Int
}
var settings = GRPOChapterSettings(arithmeticPrompts: 16, arithmeticGroup: 8, arithmeticSteps: options.budget(full: 40, quick: 3),
                                   heldOutSamples: 8, openPrompts: 16, openSteps: options.budget(full: 12, quick: 2),
                                   arithmeticMaxTokens: 40, openMaxTokens: 96)
if options.quick {
    (settings.arithmeticPrompts, settings.arithmeticGroup, settings.heldOutSamples) = (8, 4, 2)
    (settings.openPrompts, settings.arithmeticMaxTokens, settings.openMaxTokens) = (4, 16, 32)
}
chapter.setting("arithmetic steps", settings.arithmeticSteps)
chapter.setting("open-ended steps", settings.openSteps)
chapter.setting("beta", Double(settings.beta))
chapter.setting("learning rate", Double(settings.learningRate))

/// What a run left.
struct GRPORun {
    var steps: [GRPOStep] = []
    var accuracy: [(step: Int, value: Double, standardError: Double)] = []
    /// Share of held-out answers that write both of the question's operands, at each
    /// measurement of `accuracy`: an answer that writes other numbers is right only by luck.
    var restated: [Double] = []
    var tokens = 0, seconds = 0.0
}

/// Share of right answers to the held-out problems, `heldOutSamples` each, its standard
/// error, and the share of answers that restate the question's two numbers.
func heldOutAccuracy(_ prompts: [Prompt], label: String) -> (Double, Double, Double) {
    var rng = chapter.random("held-out accuracy \(label)")
    let accuracy = ArithmeticAccuracy.measure(model, tokenizer: policy.tokenizer, prompts: prompts,
                                              answersPerProblem: settings.heldOutSamples,
                                              maxNewTokens: settings.arithmeticMaxTokens, rng: &rng)
    return (accuracy.right, accuracy.standardError, accuracy.restated)
}

/// A GRPO run from the SFT policy (a fresh adapter): `reward` scores each answer.
func grpo(_ label: String, prompts train: [Prompt], steps: Int, promptsPerStep: Int, group: Int, maxTokens: Int,
          lossType: GRPOLossType, reward: (Prompt, Rollout, Float) -> Float, heldOut: [Prompt]? = nil) -> GRPORun {
    policy.resetAdapter()
    let optimizer = AdamW(parameters: policy.adapter.parameters, learningRate: settings.learningRate, weightDecay: 0)
    let grpoSettings = GRPOSettings(epsilon: settings.epsilon, beta: settings.beta, lossType: lossType, maxCompletionLength: maxTokens)
    let rollouts = PolicyRollouts(policy: policy, rewardModel: rewardModel, maxNewTokens: maxTokens)
    var prompts = PromptStream(train, rng: chapter.random("prompts \(train.count)"))
    // The same prompts and sampling stream for every run on the same prompts, so that two
    // runs differ only in what they are meant to compare.
    var rng = chapter.random("samples \(train.count)"), minibatchRNG = chapter.random("minibatches \(train.count)")
    var run = GRPORun()
    let started = Date()
    if let heldOut {
        let (a, e, r) = heldOutAccuracy(heldOut, label: "\(label) 0")
        run.accuracy.append((0, a, e)); run.restated.append(r)
    }
    let progress = chapter.progress(label, total: steps)
    for k in 0..<steps {
        // 1. A group of G answers per prompt, scored.
        let batch = rollouts.collect(prompts.next(promptsPerStep), groupSize: group, rng: &rng)
        let e = batch.experience
        let rewards = (0..<e.rows).map { reward(batch.prompts[$0], e.rollouts[$0], e.scores[$0]) }
        // 2. The group is the baseline (Dr. GRPO also drops the division by its spread).
        let advantages = GroupAdvantages(rewards: rewards, groupSize: group, scaling: lossType == .drGRPO ? .none : .group)
        // 3. One pass over the batch in minibatches: the clipped surrogate against π_old, plus
        //    β·k3 to the reference. After the first minibatch's step the policy is no longer
        //    π_old, so the ratios of the later ones move and the clip can act.
        var scored = e
        scored.advantages = (0..<e.rows).flatMap { b in Array(repeating: advantages.advantages[b], count: e.width) }
        var minibatches: [GRPOStep.Minibatch] = []
        for part in scored.minibatches(size: settings.minibatchSize, rng: &minibatchRNG) {
            optimizer.zeroGrad()
            let forward = model.policyForward(part.batch)
            let loss = grpoLoss(logProbs: forward.logProbs, oldLogProbs: part.tensor(part.oldLogProbs),
                                referenceLogProbs: part.tensor(part.referenceLogProbs),
                                advantages: (0..<part.rows).map { part.advantages[$0 * part.width] },
                                mask: forward.mask, settings: grpoSettings)
            loss.loss.backward()
            let norm = clipGradientNorm(policy.adapter.parameters, maxNorm: 1)
            chapter.stopIfDiverged(label, step: k + 1, loss: Double(loss.loss.item), gradientNorm: Double(norm))
            optimizer.update()
            minibatches.append(GRPOStep.Minibatch(loss, entropy: maskedMean(forward.entropy, mask: forward.mask).item))
        }
        // 4. TRL's metrics, and what the gold judge says.
        let lengths = e.rollouts.map { Double($0.responseTokens.count) }
        var record = GRPOStep()
        record.setMeans(of: minibatches)
        (record.reward, record.score, record.gold) = (mean(rewards.map(Double.init)), mean(e.scores.map(Double.init)), mean(batch.gold))
        record.rewardStandardDeviation = Double(advantages.meanGroupStandardDeviation)
        record.zeroSpreadShare = Double(advantages.zeroSpreadShare)
        record.meanLength = mean(lengths)
        record.clippedRatio = mean(e.rollouts.map { $0.endedWithEndOfText ? 0 : 1 })
        record.klToSFT = mean(batch.sequenceKL.map(Double.init))
        let right = rewards.indices.filter { rewards[$0] > 0.5 }, wrong = rewards.indices.filter { rewards[$0] <= 0.5 }
        if !right.isEmpty { record.rightLength = mean(right.map { lengths[$0] }) }
        if !wrong.isEmpty { record.wrongLength = mean(wrong.map { lengths[$0] }) }
        if let heldOut, (k + 1) % max(steps / 8, 1) == 0 || k + 1 == steps {
            let (a, err, r) = heldOutAccuracy(heldOut, label: "\(label) \(k + 1)")
            run.accuracy.append((k + 1, a, err)); run.restated.append(r)
            record.heldOutAccuracy = a
        }
        chapter.log(record, series: label, step: k + 1)
        run.steps.append(record)
        run.tokens += batch.tokens
        progress.update(step: k + 1, ["reward": record.reward, "zero std": record.zeroSpreadShare, "length": record.meanLength,
                                      "kl": record.kl], tokens: batch.tokens)
    }
    progress.finish()
    run.seconds = Date().timeIntervalSince(started)
    return run
}
func series(_ label: String, _ run: GRPORun, _ field: (GRPOStep) -> Double?) -> PlotSeries {
    let points = run.steps.enumerated().compactMap { k, r in field(r).map { (Double(k + 1), $0) } }
    return PlotSeries(label, x: points.map(\.0), y: points.map(\.1))
}

// ---------------------------------------------------------------------------------------
chapter.section("Part 1: a verifiable reward")
let (arithmeticTrain, arithmeticHeldOut) = world.arithmeticPrompts(maxOperand: settings.maxOperand)
let (worldAccuracy, _, _) = heldOutAccuracy(Array(world.heldOutPrompts.filter { $0.family == .arithmetic }.prefix(40)),
                                         label: "world range")
chapter.prose("""
    The reward is 1 when the last number of the answer, once the question's own two numbers \
    are set aside, is the exact result and 0 otherwise, as graders of math benchmarks read \
    answers (by the last number), without paying for a question said back: nothing to \
    learn, nothing to game. The SFT policy gets \(String(format: "%.1f", 100 * worldAccuracy))% of the world's own arithmetic \
    (numbers under 100) right at temperature 1: too little signal, since a group of \
    \(settings.arithmeticGroup) answers that are all wrong has zero advantages everywhere. So \
    part 1 uses sums and differences of numbers from 1 to \(settings.maxOperand): \
    \(arithmeticTrain.count) problems to train on and \(arithmeticHeldOut.count) held out (the \
    course's held-out problems among them), each step \(settings.arithmeticPrompts) problems \
    × G = \(settings.arithmeticGroup) answers, at most \(settings.arithmeticMaxTokens) tokens, one \
    gradient step, β = \(settings.beta), ε = \(settings.epsilon), Adam at \(settings.learningRate). Held-out \
    accuracy is measured on \(settings.heldOutSamples) answers to each held-out problem.
    """)
let verifiable = { (prompt: Prompt, rollout: Rollout, _: Float) -> Float in VerifiableReward.reward(prompt, response: rollout.response) ?? 0 }
let arithmetic = grpo("GRPO arithmetic (grpo)", prompts: arithmeticTrain, steps: settings.arithmeticSteps,
                      promptsPerStep: settings.arithmeticPrompts, group: settings.arithmeticGroup,
                      maxTokens: settings.arithmeticMaxTokens, lossType: .grpo, reward: verifiable, heldOut: arithmeticHeldOut)
let arithmeticAdapter = WeightSnapshot(of: policy.adapter.parameters)
let drGRPO = grpo("GRPO arithmetic (dr_grpo)", prompts: arithmeticTrain, steps: settings.arithmeticSteps,
                  promptsPerStep: settings.arithmeticPrompts, group: settings.arithmeticGroup,
                  maxTokens: settings.arithmeticMaxTokens, lossType: .drGRPO, reward: verifiable, heldOut: arithmeticHeldOut)
let (start, end) = (arithmetic.accuracy.first!, arithmetic.accuracy.last!)
let (drEnd) = drGRPO.accuracy.last!
chapter.table("held-out accuracy on sums and differences of 1 to \(settings.maxOperand) (\(arithmeticHeldOut.count) problems × \(settings.heldOutSamples) answers)",
              columns: ["step", "grpo", "± s.e.", "dr_grpo", "± s.e."],
              rows: zip(arithmetic.accuracy, drGRPO.accuracy).map { [$0.step, $0.value, $0.standardError, $1.value, $1.standardError] })
chapter.result("held-out accuracy, SFT", 100 * start.value, unit: "%")
chapter.result("held-out accuracy after GRPO", 100 * end.value, unit: "%")
chapter.result("gain", 100 * (end.value - start.value), unit: "points")
chapter.figure(.lines(
    "arithmetic-accuracy", title: "GRPO on a verifiable reward: held-out accuracy",
    x: PlotAxis("GRPO step"), y: PlotAxis("share of right answers"),
    series: [PlotSeries("grpo", x: arithmetic.accuracy.map { Double($0.step) }, y: arithmetic.accuracy.map(\.value),
                        spread: arithmetic.accuracy.map(\.standardError)),
             PlotSeries("dr_grpo", x: drGRPO.accuracy.map { Double($0.step) }, y: drGRPO.accuracy.map(\.value),
                        spread: drGRPO.accuracy.map(\.standardError))]))
chapter.figure(.lines(
    "zero-spread", title: "Share of groups whose rewards are all equal (no gradient)",
    x: PlotAxis("GRPO step"), y: PlotAxis("frac_reward_zero_std"),
    series: [series("grpo, arithmetic", arithmetic, \.zeroSpreadShare), series("dr_grpo, arithmetic", drGRPO, \.zeroSpreadShare)]))
let zeroAtStart = mean(arithmetic.steps.prefix(3).map(\.zeroSpreadShare))
chapter.prose("""
    From the SFT policy's \(String(format: "%.1f", 100 * start.value))% (± \(String(format: "%.1f", 100 * start.standardError))), \
    GRPO reaches \(String(format: "%.1f", 100 * end.value))% (± \(String(format: "%.1f", 100 * end.standardError))) on \
    problems no step trained on, \(String(format: "%+.1f", 100 * (end.value - start.value))) points; dr_grpo ends at \
    \(String(format: "%.1f", 100 * drEnd.value))%. In the first steps \(String(format: "%.0f", 100 * zeroAtStart))% of \
    the groups had all their rewards equal (almost always all wrong) and taught nothing; the \
    share falls as the policy gets some answers right, and rises again if it gets every \
    answer to easy problems right.
    """)
let (restatedStart, restatedEnd) = (arithmetic.restated.first!, arithmetic.restated.last!)
chapter.result("held-out answers restating the question's numbers, SFT", 100 * restatedStart, unit: "%")
chapter.result("held-out answers restating the question's numbers, after GRPO", 100 * restatedEnd, unit: "%")
let missed = end.value - start.value < 0.2, howMuch = missed ? "little" : "much"
let missedReason = !missed ? "."
    : ", and with so few right answers most groups carry no signal. The 20 points this chapter set out to gain "
        + "are missed here; what would reach them is a policy that is right more often before RL, not a cleverer loss. "
        + (restatedStart >= 0.8
            ? "It copies the numbers already; what it lacks is their sums, which only pretraining can bring."
            : "It has to copy the question's numbers first, an attention pattern it must bring from pretraining.")
chapter.prose("""
    Why so \(howMuch): an answer is right only when it takes the two \
    numbers from the question and then knows their sum or difference. \
    \(String(format: "%.0f", 100 * restatedStart))% of the SFT policy's held-out answers \
    restate the question's two numbers (\(String(format: "%.0f", 100 * restatedEnd))% after \
    GRPO); the others write numbers of their own. GRPO can \
    only reinforce what the policy already does now and then\(missedReason)
    """)

chapter.section("Length: grpo against dr_grpo")
chapter.prose("""
    The same start, the same prompts and sampling stream, and the same steps under the two \
    normalizations (the samples themselves part ways once the policies do); the mean length \
    of the right and of the wrong answers of each batch.
    """)
chapter.figure(.lines(
    "length", title: "Mean length of right and wrong answers (tokens), grpo against dr_grpo",
    x: PlotAxis("GRPO step"), y: PlotAxis("tokens"),
    series: [series("grpo, right", arithmetic, \.rightLength), series("grpo, wrong", arithmetic, \.wrongLength),
             series("dr_grpo, right", drGRPO, \.rightLength), series("dr_grpo, wrong", drGRPO, \.wrongLength)]))
func lateMean(_ run: GRPORun, _ field: (GRPOStep) -> Double?) -> Double {
    mean(run.steps.suffix(max(run.steps.count / 4, 1)).compactMap(field))
}
chapter.table("mean length over the last quarter of the steps (tokens)", columns: ["loss type", "right answers", "wrong answers", "all"],
              rows: [["grpo", lateMean(arithmetic, \.rightLength), lateMean(arithmetic, \.wrongLength),
                      lateMean(arithmetic, \.meanLength)],
                     ["dr_grpo", lateMean(drGRPO, \.rightLength), lateMean(drGRPO, \.wrongLength),
                      lateMean(drGRPO, \.meanLength)]])
let wrongGap = lateMean(arithmetic, \.wrongLength) - lateMean(drGRPO, \.wrongLength), longerOrShorter = wrongGap >= 0 ? "longer" : "shorter"
chapter.prose("""
    Wrong answers under grpo are \(String(format: "%.1f", wrongGap)) tokens \(longerOrShorter) than \
    under dr_grpo at the end. Under grpo each answer's loss is divided by its own length, so \
    a wrong answer's push down is spread over its tokens: the longer it is, the weaker the \
    push per token, and the less it is discouraged. dr_grpo divides every answer by the \
    same constant, so every token of every wrong answer is pushed down alike.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Part 2: the reward model on open-ended prompts")
let samplesPerPPO = chapter.hasArtifact(PolicyEvaluation.fileName(), from: CourseChapter.ppo)
    ? chapter.loadEvaluation(from: CourseChapter.ppo) : nil
chapter.prose("""
    The same algorithm on the training prompts of chapters 05 and 06, rewarded by the reward \
    model: \(settings.openSteps) steps of \(settings.openPrompts) prompts × G = \(settings.openGroup) \
    answers, \(settings.openSteps * settings.openPrompts * settings.openGroup) answers in all, at most \
    \(settings.openMaxTokens) tokens, the grpo loss. A reward model's score is continuous, so \
    groups almost never have zero spread here.
    """)
let openPrompts = world.trainPrompts.filter { $0.family != .arithmetic }
let open = grpo("GRPO reward model", prompts: openPrompts, steps: settings.openSteps, promptsPerStep: settings.openPrompts,
                group: settings.openGroup, maxTokens: settings.openMaxTokens, lossType: .grpo,
                reward: { _, rollout, score in score - (rollout.endedWithEndOfText ? 0 : 1) })
chapter.figure(.lines(
    "reward-gold-kl", title: "GRPO on the reward model: reward-model score, gold score and KL to SFT of each batch",
    x: PlotAxis("GRPO step"), y: PlotAxis("score, or nats per answer"),
    series: [series("reward-model score", open, \.score), series("gold score", open, \.gold),
             series("KL to SFT (nats per answer)", open, \.klToSFT)]))
let openEvaluation = evaluator.evaluate("GRPO", policy: .adapter(on: model), against: baseline,
                                        compute: .init(trainingTokensSampled: open.tokens, trainingSeconds: open.seconds))
chapter.savePolicyAdapter(policy.adapter)
chapter.save(openEvaluation, showdown: .method)
arithmeticAdapter.restore(into: policy.adapter.parameters)
let arithmeticEvaluation = evaluator.evaluate("GRPO arithmetic", policy: .adapter(on: model), against: baseline,
                                              compute: .init(trainingTokensSampled: arithmetic.tokens, trainingSeconds: arithmetic.seconds))
chapter.savePolicyAdapter(policy.adapter, name: "arithmetic")
chapter.save(arithmeticEvaluation, name: "arithmetic")
chapter.report([baseline, openEvaluation, arithmeticEvaluation] + (samplesPerPPO.map { [$0] } ?? []), against: baseline)
let openSummary = openEvaluation.summary(against: baseline)
let ppoSentence = samplesPerPPO.map { ppo in
    let s = ppo.summary(against: baseline)
    return String(format: "Chapter 06's PPO, trained on %d sampled tokens against GRPO's %d, gained %+.2f ± %.2f at %.1f nats.",
                  ppo.compute.trainingTokensSampled ?? 0, open.tokens, s.goldGain ?? 0, s.goldGainStandardError ?? 0, s.klExact ?? 0)
} ?? "Chapter 06 has not run (`make chapter-06`), so PPO is not in the table."
chapter.prose("""
    On the held-out prompts GRPO's policy gains \(String(format: "%+.2f", openSummary.goldGain ?? 0)) ± \
    \(String(format: "%.2f", openSummary.goldGainStandardError ?? 0)) gold points over SFT at \
    \(String(format: "%.1f", openSummary.klExact ?? 0)) nats per answer. \(ppoSentence) GRPO needs no critic \
    (half the weights to train and store, no value loss to tune), and its baseline is exact \
    for the prompt at hand; it pays with G answers per prompt, and with groups that teach \
    nothing when the reward cannot tell their answers apart. It suits rewards that are \
    cheap to evaluate many times per prompt and noisy in their scale, like right-or-wrong \
    checks; a critic earns its keep when answers are long and the reward comes once at the \
    end, so that credit per token matters.
    """)
chapter.headline(String(format: "GRPO: held-out arithmetic %.1f%% → %.1f%%; on the reward model %+.2f ± %.2f gold over SFT at %.1f nats",
                        100 * start.value, 100 * end.value, openSummary.goldGain ?? 0, openSummary.goldGainStandardError ?? 0,
                        openSummary.klExact ?? 0))
chapter.section("Before and after")
chapter.showRunningExamples([baseline, openEvaluation], count: 1)
let arithmeticPrompt = baseline.answers.first { $0.family == Prompt.Family.arithmetic.rawValue }?.prompt
for evaluation in [baseline, arithmeticEvaluation] {
    if let answer = evaluation.answers.first(where: { $0.prompt == arithmeticPrompt }) {
        chapter.sample(prompt: answer.prompt, response: answer.response, note: String(format: "%@ · gold %.2f", evaluation.policy, answer.gold))
    }
}
chapter.finish()
