// Chapter 06: PPO with a critic, the way RLHF runs it.
//
// The SFT policy optimized against chapter 04's reward model with Proximal Policy
// Optimization: per-token rewards with a KL penalty, a critic on the reward model's
// backbone (its head starting at zero), GAE, whitened advantages, the clipped policy and
// value losses. Then the KL coefficient swept, with kl_coef 0 showing reward
// over-optimization against the gold judge, entropy per answer and per token, and the KL
// estimators measured against the exact KL. Writes
// runs/06-ppo/policy.safetensors, evaluation.json and the sweep's evaluations.
import Course
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter(CourseChapter.ppo, title: "PPO with a critic", options: options)

chapter.section("From TRPO to PPO")
chapter.prose("""
    TRPO bounds each update by a hard KL constraint and pays for it with conjugate gradient \
    and a line search. PPO (Schulman et al., 2017) keeps the idea, stay close to the policy \
    that sampled, and drops the second-order machinery: it optimizes the same surrogate \
    with plain gradient steps, but clips the probability ratio so that moving it far from \
    1 earns nothing. Per token, with ρ_t = π_θ(a_t|s_t) / π_old(a_t|s_t),

        L^CLIP = E_t [ min( ρ_t Â_t, clip(ρ_t, 1 − ε, 1 + ε) Â_t ) ].

    For Â > 0 the objective stops growing once ρ passes 1 + ε; for Â < 0 once ρ falls below \
    1 − ε. Inside the range it is TRPO's surrogate. As a loss to minimize, this is \
    max(−ρÂ, −clip(ρ)Â) (the max of the negatives is the min of the objectives: the \
    notebook writes it this way, correctly). The same batch can then be reused for several \
    epochs of minibatches, which TRPO's single step cannot.

    RLHF's PPO has two networks. The actor is the policy π_θ (the SFT model with a LoRA \
    adapter). The critic V_ψ(s) estimates the return still to come from each state, the \
    prompt plus the answer so far; it turns a reward given once at the end into an \
    advantage for every token. Here the critic is chapter 04's reward model's backbone, \
    copied, with a scalar head read at every position (InstructGPT and TRL initialize the \
    critic from the reward model, head included): its features start out knowing what the \
    reward model values. Its head, though, starts at zero, V = 0 in every state, for a \
    reason measured below: the reward model's own head was trained only where it reads a \
    whole answer. The critic trains its head and a LoRA adapter of its own, and shares no \
    weights with the policy, so the value loss cannot pull the policy's features around (a \
    critic sharing the policy's trunk is cheaper, and needs a small value-loss coefficient \
    for exactly that reason).
    """)

chapter.section("Rewards, GAE and the losses")
chapter.prose("""
    The reward of each token is a KL penalty, and the reward model's score arrives with the \
    last token of the answer (its end-of-text, where the reward model read it):

        r_t = −β k_t  +  [t = last] · score,     k_t = log π_old(a_t|s_t) − log π_ref(a_t|s_t),

    with π_ref the frozen SFT policy (the adapter switched off; the reference never trains, \
    since a reference that moved with the policy would penalize nothing; the notebook's \
    trainer trains it). The penalty in the reward is TRL's choice and InstructGPT's; GRPO \
    (chapter 07) puts the KL into the loss instead. The two are not the same thing: in the \
    reward, the KL of later tokens flows back to earlier ones through the returns; in the \
    loss, each token's KL only shapes that token's gradient.

    Generalized advantage estimation (Schulman et al., 2016) combines the rewards with the \
    critic's values:

        δ_t = r_t + γ V(s_{t+1}) − V(s_t),     Â_t = Σ_k (γλ)^k δ_{t+k},     R_t = Â_t + V(s_t),

    with V = 0 after the last token. λ = 1 gives the Monte-Carlo return minus the baseline \
    (unbiased, noisy); λ = 0 the one-step TD error (low variance, biased by the critic). A \
    response cut at the length limit is treated as finished too: the critic is not asked \
    what the rest would have been worth, and a truncation penalty makes the cut count. The \
    advantages are then whitened over the batch's tokens (mean 0, standard deviation 1), \
    which sets the scale of the policy's steps whatever the scale of the reward; padded \
    positions stay at exactly 0 and no gradient flows through the statistics.

    The loss of one minibatch is L^CLIP's negative, plus c_v times the clipped value loss \
    ½ max((V − R)², (V_old + clip(V − V_old, ±ε_v) − R)²), minus an optional entropy bonus \
    c_H · H(π(·|s)), H = −Σ_v p_v log p_v (the notebook's entropy misses the minus sign). \
    Each term returns the diagnostics TRL logs: the approximate KL ½ mean (log ρ)², the clip \
    fractions of the policy and of the value, the ratio's mean and variance.
    """)

// ---------------------------------------------------------------------------------------
let loaded = chapter.loadAlignmentStart(lora: LoRAConfig(rank: 16, alpha: 32, dropout: 0))
let (policy, rewardModel, world, evaluator, baseline) = (loaded.policy, loaded.rewardModel, loaded.world, loaded.evaluator, loaded.baseline)
let model = policy.model

/// The settings, with the N-implementation-details defaults (Huang et al., 2024).
struct PPOSettings {
    /// Prompts per iteration (one answer each), and iterations per run.
    var promptsPerIteration: Int, iterations: Int
    /// Iterations of the run without a KL penalty: longer than the others, because
    /// over-optimization shows only once the policy has moved far from SFT.
    var freeIterations: Int
    /// β of the per-token KL penalty (TRL's kl_coef) and its estimator.
    var klCoefficient: Float = 0.05, estimator = KLEstimator.k1
    /// The KL coefficients of the sweep.
    var sweep: [Float] = [0, 0.02, 0.05, 0.2]
    /// γ and λ of GAE.
    var gamma: Float = 1, lambda: Float = 0.95
    /// ε of the policy clip and ε_v of the value clip.
    var clipRange: Float = 0.2, valueClipRange: Float = 0.2
    /// c_v, the value loss coefficient, and c_H, the entropy bonus (0: off, as in TRL).
    var valueCoefficient: Float = 0.1, entropyCoefficient: Float = 0
    /// PPO epochs over each batch, and the minibatch size. The N-implementation-details
    /// default is 4 epochs; 2 here, so that the four runs of the sweep fit the chapter's
    /// time (each epoch costs a forward and backward pass of policy and critic on every answer).
    var epochs = 2, minibatchSize = 16
    /// Learning rates of the policy's adapter and of the critic's adapter and head.
    var policyLearningRate: Float = 1e-3, criticLearningRate: Float = 1e-3
    /// Subtracted from the score of an answer that did not end by itself (TRL: missing_eos_penalty).
    var truncationPenalty: Float = 1
    var maxNewTokens: Int
}
var settings = PPOSettings(promptsPerIteration: 48, iterations: options.budget(full: 12, quick: 2),
                           freeIterations: options.budget(full: 30, quick: 3), maxNewTokens: 96)
if options.quick { (settings.promptsPerIteration, settings.sweep, settings.maxNewTokens) = (16, [0, 0.05], 32) }
chapter.setting("kl coefficient", Double(settings.klCoefficient))
chapter.setting("iterations", settings.iterations)
chapter.setting("iterations at kl_coef 0", settings.freeIterations)
chapter.setting("answers per iteration", settings.promptsPerIteration)
chapter.setting("epochs", settings.epochs)
chapter.setting("minibatch", settings.minibatchSize)
chapter.setting("policy learning rate", Double(settings.policyLearningRate))
chapter.setting("critic learning rate", Double(settings.criticLearningRate))

let rollouts = PolicyRollouts(policy: policy, rewardModel: rewardModel, maxNewTokens: settings.maxNewTokens)
let trainingPrompts = world.trainPrompts.filter { $0.family != .arithmetic }

/// A fresh critic: the reward model's backbone, copied, with a LoRA adapter on it, so that
/// the critic trains a low-rank correction (as the policy does) and its update costs what
/// the policy's costs; and a scalar head that starts at zero, V(s) = 0 in every state. The
/// reward model's own head was trained only at the end-of-text of whole answers: read at
/// the other positions it gives values that jump from token to token (`rewardModelHeadCheck`
/// measures it on the first batch), which GAE would turn into noise in every advantage.
func freshCritic() -> ScalarModel {
    var rng = chapter.random("critic")
    let body = GPT(config: rewardModel.body.config, rng: &rng)
    body.parameters.copyWeights(from: rewardModel.body.parameters)
    body.adapter = LoRAAdapter(config: LoRAConfig(rank: 16, alpha: 32, dropout: 0), for: body.config, rng: &rng)
    let head = ScalarHead(modelWidth: body.config.modelWidth, rng: &rng)
    for parameter in head.parameters { parameter.data = [Float](repeating: 0, count: parameter.count) }
    return ScalarModel(body: body, head: head)
}

/// What the reward model's own head would have given as a critic on one batch: the
/// explained variance of its values, the variance of the values and of the targets over the
/// response tokens, and how much each changes from one token to the next (root mean square).
struct HeadCheck { var explainedVariance, valueVariance, returnVariance, valueStep, returnStep: Double }
func rewardModelHeadCheck(_ e: ExperienceBatch) -> HeadCheck {
    let values = Autograd.withoutGradients { ScalarModel(body: rewardModel.body, head: rewardModel.head).stateValues(e.batch).data }
    let returns = generalizedAdvantages(rewards: e.rewards, values: values, mask: e.mask, width: e.width,
                                        gamma: settings.gamma, lambda: settings.lambda).returns
    let kept = e.mask.indices.filter { e.mask[$0] != 0 }
    let next = kept.filter { ($0 + 1) % e.width != 0 && e.mask[$0 + 1] != 0 }
    func step(_ x: [Float]) -> Double { mean(next.map { pow(Double(x[$0 + 1] - x[$0]), 2) }).squareRoot() }
    return HeadCheck(explainedVariance: explainedVariance(values: values, returns: returns, mask: e.mask),
                     valueVariance: pow(standardDeviation(kept.map { Double(values[$0]) }), 2),
                     returnVariance: pow(standardDeviation(kept.map { Double(returns[$0]) }), 2),
                     valueStep: step(values), returnStep: step(returns))
}

/// The KL estimators measured on one batch's tokens: each one's mean and standard deviation.
struct EstimatorMeasurement {
    var exact: Double, k1: (mean: Double, std: Double), k2: (mean: Double, std: Double), k3: (mean: Double, std: Double)
}

/// What a run left: its iterations, the estimator measurements, tokens and seconds, and
/// the reward model's head measured as a critic on the first batch.
struct Run {
    var iterations: [PPOIteration] = []
    var estimators: [EstimatorMeasurement] = []
    var tokens = 0, seconds = 0.0
    var headCheck: HeadCheck?
}

/// A PPO run of `iterations` iterations from the SFT policy with KL coefficient β.
func ppo(klCoefficient beta: Float, label: String, iterations: Int) -> Run {
    policy.resetAdapter()
    let critic = freshCritic()
    let policyOptimizer = AdamW(parameters: policy.adapter.parameters, learningRate: settings.policyLearningRate, weightDecay: 0)
    let criticOptimizer = AdamW(parameters: critic.parameters, learningRate: settings.criticLearningRate, weightDecay: 0)
    let rewards = KLPenalizedRewards(klCoefficient: beta, estimator: settings.estimator, truncationPenalty: settings.truncationPenalty)
    var prompts = PromptStream(trainingPrompts, rng: chapter.random("prompts"))
    var sampleRNG = chapter.random("samples \(label)"), minibatchRNG = chapter.random("minibatches \(label)")
    var run = Run()
    let started = Date()
    let progress = chapter.progress(label, total: iterations)
    for k in 0..<iterations {
        // 1. Rollouts from the current policy, scored; old and reference log-probs; values.
        let batch = rollouts.collect(prompts.next(settings.promptsPerIteration), groupSize: 1, rng: &sampleRNG)
        var e = batch.experience
        e.values = Autograd.withoutGradients { critic.stateValues(e.batch).data }
        // 2. Per-token rewards, then GAE-λ over each answer, then whitening.
        let (tokenRewards, penalties) = rewards.rewards(for: e)
        e.rewards = tokenRewards
        (e.advantages, e.returns) = generalizedAdvantages(rewards: e.rewards, values: e.values, mask: e.mask, width: e.width,
                                                         gamma: settings.gamma, lambda: settings.lambda)
        e.advantages = maskedWhiten(e.advantages, mask: e.mask)
        if k == 0 && beta == settings.klCoefficient { run.headCheck = rewardModelHeadCheck(e) }
        // 3. Epochs of minibatches: clipped policy loss, clipped value loss.
        var minibatches: [PPOIteration.Minibatch] = []
        for _ in 0..<settings.epochs {
            for part in e.minibatches(size: settings.minibatchSize, rng: &minibatchRNG) {
                let forward = model.policyForward(part.batch)
                let pg = clippedPolicyLoss(logProbs: forward.logProbs, oldLogProbs: part.tensor(part.oldLogProbs),
                                           advantages: part.tensor(part.advantages), mask: forward.mask, clipRange: settings.clipRange)
                let vf = clippedValueLoss(values: critic.stateValues(part.batch), oldValues: part.tensor(part.values),
                                          returns: part.tensor(part.returns), mask: forward.mask, clipRange: settings.valueClipRange)
                var loss = pg.loss + vf.loss * settings.valueCoefficient
                if settings.entropyCoefficient > 0 { loss = loss - maskedMean(forward.entropy, mask: forward.mask) * settings.entropyCoefficient }
                policyOptimizer.zeroGrad()
                criticOptimizer.zeroGrad()
                loss.backward()
                let norm = clipGradientNorm(policy.adapter.parameters + critic.parameters, maxNorm: 1)
                chapter.stopIfDiverged(label, step: k + 1, loss: Double(loss.item), gradientNorm: Double(norm))
                policyOptimizer.update()
                criticOptimizer.update()
                minibatches.append(PPOIteration.Minibatch(policy: pg, value: vf))
            }
        }
        // 4. What the iteration measured (TRL's names; gold is what no peer can log).
        var it = PPOIteration()
        it.setMeans(of: minibatches)
        let scores = e.scores.map(Double.init), nonScore = penalties.map(Double.init)
        (it.scores, it.nonScoreReward, it.rlhfReward) = (mean(scores), mean(nonScore), mean(zip(scores, nonScore).map(+)))
        it.kl = mean(batch.sequenceKL.map(Double.init))
        let kept = e.mask.indices.filter { e.mask[$0] != 0 }
        it.entropy = Double(batch.entropy.reduce(0, +)) / Double(e.rows)   // of π_old, per answer
        it.entropyPerToken = Double(batch.entropy.reduce(0, +)) / Double(kept.count)
        it.tokensPerAnswer = Double(kept.count) / Double(e.rows)
        it.referenceEntropyPerToken = Double(batch.referenceEntropy.reduce(0, +)) / Double(kept.count)
        it.endedWithEndOfText = Double(e.rollouts.filter(\.endedWithEndOfText).count)
        (it.gold, it.goldStandardDeviation) = (mean(batch.gold), standardDeviation(batch.gold))
        it.explainedVariance = explainedVariance(values: e.values, returns: e.returns, mask: e.mask)
        // The stricter check: the same values against the return actually received from each
        // state, Σ_{k ≥ t} r_k (GAE with λ = 1), which does not lean on the critic's own values.
        let received = generalizedAdvantages(rewards: e.rewards, values: e.values, mask: e.mask, width: e.width,
                                             gamma: settings.gamma, lambda: 1).returns
        it.explainedVarianceOfReturn = explainedVariance(values: e.values, returns: received, mask: e.mask)
        chapter.log(it, series: label, step: k + 1)
        run.iterations.append(it)
        // The estimators of KL(π_old ‖ π_ref) per token against the exact value, on these samples.
        let deltas = kept.map { Double(e.oldLogProbs[$0] - e.referenceLogProbs[$0]) }
        func stats(_ estimator: KLEstimator) -> (mean: Double, std: Double) {
            let values = deltas.map { estimator.value(logRatio: $0) }
            return (mean(values), standardDeviation(values))
        }
        run.estimators.append(EstimatorMeasurement(exact: mean(kept.map { Double(batch.exactKL[$0]) }),
                                                   k1: stats(.k1), k2: stats(.k2), k3: stats(.k3)))
        run.tokens += batch.tokens
        progress.update(step: k + 1, ["score": it.scores, "gold": it.gold, "KL": it.kl, "clipfrac": it.clipFraction], tokens: batch.tokens)
    }
    progress.finish()
    run.seconds = Date().timeIntervalSince(started)
    return run
}

// ---------------------------------------------------------------------------------------
chapter.section("Training at the default KL coefficient")
chapter.prose("""
    \(settings.iterations) iterations of \(settings.promptsPerIteration) answers (temperature 1, at \
    most \(settings.maxNewTokens) tokens), β = \(settings.klCoefficient) with the k1 estimator, \
    γ = \(settings.gamma), λ = \(settings.lambda), ε = \(settings.clipRange), ε_v = \(settings.valueClipRange), \
    c_v = \(settings.valueCoefficient), \(settings.epochs) epochs of minibatches of \(settings.minibatchSize), \
    AdamW at \(settings.policyLearningRate) on the adapter and \(settings.criticLearningRate) on the critic, \
    one gradient-norm clip at 1 over both. The progress line shows the reward model's score, \
    the gold score of the same answers, the KL to SFT per answer and the clip fraction.
    """)
var runs: [Float: Run] = [:]
var evaluations: [Float: PolicyEvaluation] = [:]
var adapters: [Float: WeightSnapshot] = [:]
for beta in [settings.klCoefficient] + settings.sweep.filter({ $0 != settings.klCoefficient }) {
    let name = String(format: "PPO (kl_coef %g)", beta)
    runs[beta] = ppo(klCoefficient: beta, label: name, iterations: beta == 0 ? settings.freeIterations : settings.iterations)
    adapters[beta] = WeightSnapshot(of: policy.adapter.parameters)
    evaluations[beta] = evaluator.evaluate(name, policy: .adapter(on: model), against: baseline,
                                           compute: .init(trainingTokensSampled: runs[beta]!.tokens, trainingSeconds: runs[beta]!.seconds))
    let isMain = beta == settings.klCoefficient
    chapter.save(evaluations[beta]!, name: isMain ? nil : String(format: "kl_coef %g", beta), showdown: isMain ? .method : nil,
                 sweep: SweepPoint("PPO, kl_coef sweep", value: Double(beta)))
}
let main = runs[settings.klCoefficient]!
let tableFields: [KeyPath<PPOIteration, Double>] = [\.scores, \.gold, \.kl, \.entropy, \.entropyPerToken, \.tokensPerAnswer,
                                                   \.approximateKL, \.clipFraction, \.valueClipFraction, \.valueLoss,
                                                   \.explainedVariance, \.explainedVarianceOfReturn, \.endedWithEndOfText]
chapter.table("PPO at β = \(settings.klCoefficient), iteration by iteration (TRL's metric names)",
              columns: ["iteration"] + tableFields.map(PPOIteration.name(of:)),
              rows: main.iterations.enumerated().map { k, it in [k + 1] + tableFields.map { it[keyPath: $0] as any TableValue } })
func curve(_ label: String, _ run: Run, _ y: KeyPath<PPOIteration, Double>, x: KeyPath<PPOIteration, Double>? = nil) -> PlotSeries {
    PlotSeries(label, x: run.iterations.enumerated().map { k, it in x.map { it[keyPath: $0] } ?? Double(k + 1) },
               y: run.iterations.map { $0[keyPath: y] })
}
chapter.figure(.lines(
    "reward-and-gold", title: "PPO at β = \(settings.klCoefficient): reward-model score and gold score of each batch",
    x: PlotAxis("iteration"), y: PlotAxis("score"),
    series: [curve("reward model", main, \.scores), curve("gold judge", main, \.gold)]))
chapter.figure(.lines(
    "critic", title: "The critic: value loss and explained variance of its targets (before it trains on each batch)",
    x: PlotAxis("iteration"), y: PlotAxis("value"),
    series: [curve("value loss", main, \.valueLoss), curve("explained variance of GAE's returns (val/var_explained)", main, \.explainedVariance),
             curve("explained variance of the return received", main, \.explainedVarianceOfReturn)],
    references: [.horizontal(0, "explained variance of a constant")]))
// The iteration from which the critic beats a constant at every batch.
let explained = main.iterations.map(\.explainedVariance)
let positiveFrom = (explained.indices.last(where: { explained[$0] <= 0 }) ?? -1) + 1
let head = main.headCheck!
let receivedSecondHalf = mean(main.iterations.suffix(main.iterations.count / 2).map(\.explainedVarianceOfReturn))
chapter.prose("""
    The critic, measured as TRL logs it (val/var_explained = 1 − Var(R − V) / Var(R) over the \
    batch's response tokens, with V the values the advantages were computed with, before the \
    critic trains on the batch). Had the critic kept the reward model's head, on the first batch \
    its values would have had a variance of \(String(format: "%.2f", head.valueVariance)) over the \
    response tokens against \(String(format: "%.2f", head.returnVariance)) for its targets, and \
    changed by \(String(format: "%.2f", head.valueStep)) (root mean square) from one token to the \
    next, where the targets change by \(String(format: "%.2f", head.returnStep)): an explained \
    variance of \(String(format: "%.2f", head.explainedVariance)), \(head.explainedVariance < 0 ? "worse than predicting one constant for every state" : "better than a constant, though not by much"). \
    The reward model learned to score whole answers at their end-of-text; in the middle of an \
    answer its head reads states it never had a target for. A critic whose values jump from \
    token to token hands those jumps to every TD error δ_t = r_t + V(s_{t+1}) − V(s_t), so \
    GAE's advantages would carry them on top of the returns' own spread. So the head starts \
    at zero, where the explained variance is exactly 0. It ends at \(String(format: "%.2f", explained.last!)) at iteration \(explained.count), and \
    \(positiveFrom < explained.count ? "it is above 0 at every iteration from iteration \(positiveFrom + 1) on (first \(String(format: "%.2f", explained[positiveFrom])))" : "it is not above 0 at the last iteration"); \
    it ranges over \(String(format: "%.2f", explained.min()!)) to \(String(format: "%.2f", explained.max()!)) along the run. \
    GAE's returns with λ = \(settings.lambda) lean on the critic's own values: R_t = Σ_k λ^k r_{t+k} + \
    (1 − λ) Σ_{k≥1} λ^{k−1} V(s_{t+k}), and an answer is about \(Int(main.iterations.map(\.tokensPerAnswer).reduce(0, +) / Double(main.iterations.count))) tokens long, \
    so far from its end the target is mostly the critic's later values. Against the return \
    actually received from each state, Σ_{k≥t} r_k, the same values explain \
    \(String(format: "%.2f", main.iterations.last!.explainedVarianceOfReturn)) of the variance at the last \
    iteration (\(String(format: "%.2f", receivedSecondHalf)) on average over the second half of the run, \
    against \(String(format: "%.2f", mean(explained.suffix(explained.count / 2)))) for GAE's returns)\
    \(receivedSecondHalf > 0 ? ": the stricter test, and the critic beats a constant on it too" : ": on the stricter test the critic does not beat a constant").
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Held-out: PPO against SFT")
let mainEvaluation = evaluations[settings.klCoefficient]!
adapters[settings.klCoefficient]!.restore(into: policy.adapter.parameters)
chapter.savePolicyAdapter(policy.adapter)
chapter.report([baseline] + [settings.klCoefficient].map { evaluations[$0]! }, against: baseline)
chapter.reportCriteria([baseline, mainEvaluation])
let mainSummary = mainEvaluation.summary(against: baseline)
let sigmas = (mainSummary.goldGain ?? 0) / max(mainSummary.goldGainStandardError ?? 1, 1e-9)
chapter.headline(String(format: "PPO %+.2f ± %.2f gold over SFT (%.1f s.e.%@) at %.1f nats", mainSummary.goldGain ?? 0,
                        mainSummary.goldGainStandardError ?? 0, sigmas, abs(sigmas) > 2 ? "" : ": not beyond two standard errors",
                        mainSummary.klExact ?? 0))
chapter.result("PPO gold gain over SFT (paired)", mainSummary.goldGain ?? 0)
chapter.result("in paired standard errors", sigmas)
chapter.result("KL to SFT on held-out answers", mainSummary.klExact ?? 0, unit: "nats")
chapter.prose("""
    At β = \(settings.klCoefficient) PPO's policy scores \(String(format: "%.2f", mainSummary.gold)) on the \
    held-out prompts against SFT's \(String(format: "%.2f", baseline.summary().gold)): a paired gain of \
    \(String(format: "%+.2f", mainSummary.goldGain ?? 0)) ± \(String(format: "%.2f", mainSummary.goldGainStandardError ?? 0)), \
    \(String(format: "%.1f", sigmas)) standard errors\(abs(sigmas) > 2 ? "" : ", which is within the noise of \(mainSummary.prompts) prompts"), at \(String(format: "%.1f", mainSummary.klExact ?? 0)) nats \
    from SFT per answer. The gold judge prefers its answer on \
    \(String(format: "%.0f", 100 * (mainSummary.winRate ?? 0)))% of the prompts, the annotator panel on \
    \(String(format: "%.0f", 100 * (mainSummary.panelWinRate ?? 0)))%.
    """)
chapter.section("The notebook's question, before and after")
chapter.showRunningExamples([baseline, mainEvaluation], count: 1)

// ---------------------------------------------------------------------------------------
chapter.section("The KL coefficient, and over-optimization")
let betas = settings.sweep
chapter.table("the sweep: final held-out evaluation of each run",
              columns: ["kl_coef", "iterations", "reward-model score", "gold", "gain over SFT ± s.e.", "KL to SFT (nats/answer)",
                        "stops", "tokens"],
              rows: betas.map { beta in
                  let s = evaluations[beta]!.summary(against: baseline)
                  return [String(format: "%g", beta), runs[beta]!.iterations.count, s.reward ?? 0, s.gold,
                          String(format: "%+.2f ± %.2f", s.goldGain ?? 0, s.goldGainStandardError ?? 0), s.klExact ?? 0,
                          String(format: "%.0f%%", 100 * s.endedWithEndOfText), s.meanTokens]
              })
/// The running mean of three neighbours (two at the ends): batch means of 48 answers are
/// noisy, and a batch's KL can fall below the last one's, which draws a curve back on itself.
func smoothed(_ x: [Double]) -> [Double] {
    x.indices.map { mean(Array(x[max(0, $0 - 1)...min(x.count - 1, $0 + 1)])) }
}
chapter.figure(.panels(
    "sweep-against-kl", title: "Reward-model score and gold score against KL to SFT along each run (running means of three iterations)",
    panels: betas.map { beta -> Figure in
        let run = runs[beta]!, kl = smoothed(run.iterations.map(\.kl))
        return .lines("kl_coef \(beta)", title: String(format: "kl_coef %g, %d iterations", beta, run.iterations.count),
                      x: PlotAxis("KL to SFT (batch mean)", unit: "nats per answer"), y: PlotAxis("score"),
                      series: [PlotSeries("reward model", x: kl, y: smoothed(run.iterations.map(\.scores))),
                               PlotSeries("gold judge", x: kl, y: smoothed(run.iterations.map(\.gold)))])
    }))
// Which penalized runs beat SFT beyond two standard errors, and can the coefficients be told
// apart: the largest paired difference between two penalized runs, with its standard error.
let penalized = betas.filter { $0 > 0 }
let penalizedGains = penalized.map { beta -> String in
    let s = evaluations[beta]!.summary(against: baseline), gain = s.goldGain ?? 0, error = s.goldGainStandardError ?? 0
    return String(format: "%+.2f ± %.2f at kl_coef %g (%@)", gain, error, beta, gain > 2 * error ? "beyond two standard errors" : "not beyond two")
}
let pairs = penalized.indices.flatMap { i in penalized.indices.filter { $0 > i }.map { (penalized[i], penalized[$0]) } }
let widestPair = pairs.map { a, b -> (a: Float, b: Float, difference: Double, error: Double) in
    let s = evaluations[a]!.summary(against: evaluations[b]!)
    return (a, b, s.goldGain ?? 0, s.goldGainStandardError ?? 0)
}.max { abs($0.difference) < abs($1.difference) }
chapter.prose("""
    Gold gain over SFT of the penalized runs: \(penalizedGains.joined(separator: "; ")).\
    \(widestPair.map { String(format: " The largest difference between two of them, kl_coef %g against %g on the same prompts, is %+.2f ± %.2f, %@.", $0.a, $0.b, $0.difference, $0.error, abs($0.difference) > 2 * $0.error ? "beyond two standard errors" : "not beyond two standard errors: at this budget the penalized runs cannot be told apart by gold") } ?? "")
    """)
let free = runs[0] ?? main
// Batch means of 48 answers are noisy: compare three-iteration means, with their errors.
let freeGold = free.iterations.map(\.gold)
let smoothedGold = smoothed(freeGold)
let peakIndex = smoothedGold.indices.max { smoothedGold[$0] < smoothedGold[$1] }!
// The standard error of a three-iteration mean, from the batches' own spread of gold scores;
// a difference of two such means has √2 times it.
let batchError = mean(free.iterations.map(\.goldStandardDeviation)) / Double(settings.promptsPerIteration * 3).squareRoot()
let freeEnd = free.iterations.last!
let drop = smoothedGold[peakIndex] - smoothedGold.last!
let turnedDown = peakIndex < freeGold.count - 2, dropIsSignificant = drop > 2 * 2.0.squareRoot() * batchError
let overOptimizationVerdict = turnedDown && dropIsSignificant
    ? "past the peak a higher proxy reward buys a lower true score, Gao et al.'s over-optimization"
    : turnedDown
        ? "a drop past the peak, but within the noise of batches this size; the held-out table above, where every run is "
            + "measured on the same \(mainSummary.prompts) prompts, shows the same thing more reliably: at kl_coef 0 the "
            + "policy moved furthest and its reward-model score rose most, and its gold score did not rise with it"
        : "within this budget the gold score has not turned down yet"
// The same question on held-out prompts: the free run's final policy against the default's,
// answer by answer on the same prompts (the paired difference and its standard error).
let heldOutOveroptimization: String = {
    guard let f = evaluations[0]?.summary(against: baseline), settings.klCoefficient != 0,
          let paired = evaluations[0]?.summary(against: mainEvaluation) else { return "" }
    let (fr, mr, fg, mg) = (f.reward ?? 0, mainSummary.reward ?? 0, f.goldGain ?? 0, mainSummary.goldGain ?? 0)
    let numbers = String(format: "reward-model score %.2f and gold gain %+.2f ± %.2f at %.1f nats, against %.2f and %+.2f ± %.2f at %.1f nats for kl_coef %g",
                         fr, fg, f.goldGainStandardError ?? 0, f.klExact ?? 0, mr, mg, mainSummary.goldGainStandardError ?? 0,
                         mainSummary.klExact ?? 0, settings.klCoefficient)
    let difference = paired.goldGain ?? 0, error = paired.goldGainStandardError ?? 0
    let verdict = String(format: "; paired on the same prompts the gold difference is %+.2f ± %.2f, %@", difference, error,
                         abs(difference) > 2 * error ? "beyond two standard errors" : "not beyond two standard errors")
    return fr > mr && difference < -2 * error
        ? "On the held-out prompts of the table above the final kl_coef 0 policy shows the same: " + numbers + verdict
            + ": a higher proxy score and a lower true one."
        : "On the held-out prompts of the table above the final kl_coef 0 policy has " + numbers + verdict + "."
}()
chapter.prose("""
    Without a KL penalty (kl_coef 0, and \(free.iterations.count) iterations instead of \(settings.iterations): \
    over-optimization needs room to show) the reward model's score goes from \
    \(String(format: "%.2f", free.iterations.first!.scores)) to \
    \(String(format: "%.2f", freeEnd.scores)) while the KL to SFT reaches \
    \(String(format: "%.1f", freeEnd.kl)) nats per answer. The gold score of the same \
    answers (means of three iterations, each ±\(String(format: "%.2f", batchError)) from sampling alone) \
    peaks around iteration \(peakIndex + 1) at \(String(format: "%.2f", smoothedGold[peakIndex])) and ends at \
    \(String(format: "%.2f", smoothedGold.last!)): \
    \(overOptimizationVerdict). \
    \(heldOutOveroptimization) (Below, samples from the end of that run.) The penalty trades \
    reward for closeness: the larger β, the smaller the KL and the less the reward model's \
    blind spots can be exploited.
    """)
if let freeEvaluation = evaluations[0] { chapter.showRunningExamples([freeEvaluation], count: 2) }

// ---------------------------------------------------------------------------------------
chapter.section("Entropy, per answer and per token")
chapter.prose("""
    TRL's objective/entropy is a sum over the answer's tokens, in nats per answer, so it moves \
    with the answers' length as well as with how unsure the policy is at each token. The \
    table splits it: the entropy H(π_old(·|s)) = −Σ_v p_v log p_v at every response state, \
    exact over the vocabulary, averaged per token; the tokens per answer (per answer is about \
    the product of the two); and SFT's own entropy H(π_ref(·|s)) at the same states, which \
    tells a policy that became less decided from one that went where SFT itself is unsure. \
    First and last are means over the first and the last three iterations of each run.
    """)
/// Means over the first and the last three iterations of a run.
func ends(_ run: Run, _ field: KeyPath<PPOIteration, Double>) -> (first: Double, last: Double) {
    let values = run.iterations.map { $0[keyPath: field] }, n = max(1, min(3, values.count / 2))
    return (mean(Array(values.prefix(n))), mean(Array(values.suffix(n))))
}
chapter.table("entropy of the sampling policy along each run (means of the first and last three iterations)",
              columns: ["kl_coef", "per answer (nats)", "per token (nats)", "tokens per answer", "SFT's, per token, same states"],
              rows: betas.map { beta in
                  let run = runs[beta]!
                  func span(_ field: KeyPath<PPOIteration, Double>, _ format: String) -> String {
                      let (a, b) = ends(run, field)
                      return String(format: "\(format) → \(format)", a, b)
                  }
                  return [String(format: "%g", beta), span(\.entropy, "%.1f"), span(\.entropyPerToken, "%.3f"),
                          span(\.tokensPerAnswer, "%.1f"), span(\.referenceEntropyPerToken, "%.3f")]
              })
/// "rises from a to b (×r)", or "falls ...".
func change(_ ends: (first: Double, last: Double), _ format: String) -> String {
    String(format: "%@ from \(format) to \(format) (×%.2f)", ends.last > ends.first ? "rises" : "falls",
           ends.first, ends.last, ends.last / ends.first)
}
let entropyEnds = ends(main, \.entropy), perTokenEnds = ends(main, \.entropyPerToken)
let lengthEnds = ends(main, \.tokensPerAnswer), referenceEnds = ends(main, \.referenceEntropyPerToken)
// In logarithms the per-answer change is the per-token change plus the length's (about: the
// mean of a product is not the product of the means).
let lengthShare = log(lengthEnds.last / lengthEnds.first) / log(entropyEnds.last / entropyEnds.first)
let perTokenShift = perTokenEnds.last - perTokenEnds.first, referenceShift = referenceEnds.last - referenceEnds.first
let entropyReading: String = {
    let states = String(format: "SFT's own entropy per token at the same states %@, so ", change(referenceEnds, "%.3f"))
    if abs(perTokenShift) < 0.02 * perTokenEnds.first {
        return "The entropy per token moves by less than 2%, so the change per answer is the length's"
    }
    let share = String(format: "a change %.0f%% of the policy's", 100 * referenceShift / perTokenShift)
    if abs(referenceShift) >= 0.5 * abs(perTokenShift) && referenceShift * perTokenShift > 0 {
        return states.replacingOccurrences(of: ", so ", with: ", ") + share + ": most of the per-token change comes from where the answers go, "
            + "text that SFT itself finds \(perTokenShift > 0 ? "less" : "more") predictable, not from a policy more or less decided than SFT about the same text"
    }
    return states.replacingOccurrences(of: ", so ", with: ", ") + share + ": most of the per-token change is the policy itself, more or less decided than SFT at the same states"
}()
// The policy's entropy per token against SFT's at the same states, at the end of each run.
let entropyGaps = betas.map { beta -> (beta: Float, gap: Double) in
    let run = runs[beta]!
    return (beta, ends(run, \.entropyPerToken).last - ends(run, \.referenceEntropyPerToken).last)
}
let penalizedGaps = entropyGaps.filter { $0.beta > 0 }.map { abs($0.gap) }, freeGap = entropyGaps.first { $0.beta == 0 }?.gap
let freeNote: String = {
    guard let free = runs[0], settings.klCoefficient != 0 else { return "" }
    let f = ends(free, \.entropyPerToken), r = ends(free, \.referenceEntropyPerToken)
    return String(format: " Without the penalty (kl_coef 0, %d iterations) the entropy per token %@, and SFT's at the same states %@.",
                  free.iterations.count, change(f, "%.3f"), change(r, "%.3f"))
}()
chapter.prose("""
    At β = \(settings.klCoefficient) the entropy per answer \(change(entropyEnds, "%.1f")) nats: per token it \
    \(change(perTokenEnds, "%.3f")) nats and the answers' length \(change(lengthEnds, "%.1f")) tokens\
    \(abs(entropyEnds.last / entropyEnds.first - 1) > 0.02 ? String(format: " (in logarithms the length is %.0f%% of the change)", 100 * lengthShare) : ""). \
    \(entropyReading).\(freeNote) At the end of each run the policy's entropy per token \
    minus SFT's at the same states is \
    \(entropyGaps.map { String(format: "%+.3f at kl_coef %g", $0.gap, $0.beta) }.joined(separator: ", ")) nats\
    \(freeGap.map { abs($0) > 2 * (penalizedGaps.max() ?? .infinity) ? String(format: ": with a penalty the policy stays within %.3f nats of SFT's entropy wherever its answers go, without one it does not", penalizedGaps.max()!) : "" } ?? ""). \
    Nothing in the loss rewards entropy (c_H = \(settings.entropyCoefficient)); the penalty ties it \
    to SFT's because KL(π ‖ π_ref) = H(π, π_ref) − H(π) is 0 only where the two distributions agree.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Which KL estimator?")
chapter.prose("""
    The notebook says the squared estimator ("mse", k2 = ½ δ²) is the best. Measured here on \
    the policy's own samples at every iteration, against the exact per-token KL computed \
    over the whole vocabulary at the same states (δ = log π_old − log π_ref): k1 = δ and k3 = \
    e^{−δ} − 1 + δ are unbiased, so their means should match the exact value; k2 is not, and \
    its bias grows with the KL. k1 can be negative on single tokens, k2 and k3 cannot. Which \
    one spreads most over tokens is measured, not assumed: each row of the table is one batch.
    """)
let measured = (runs[0] ?? main).estimators + main.estimators
let sortedPoints = measured.sorted { $0.exact < $1.exact }
chapter.table("per-token estimators of KL(π ‖ π_SFT) against the exact value (mean and standard deviation over tokens)",
              columns: ["exact (mean)", "k1 mean", "k1 std", "k2 mean", "k2 std", "k3 mean", "k3 std"],
              rows: sortedPoints.map { p in [p.exact, p.k1.mean, p.k1.std, p.k2.mean, p.k2.std, p.k3.mean, p.k3.std] })
chapter.figure(.lines(
    "kl-estimators", title: "KL estimators per token: bias (mean − exact) and spread, as the policy drifts",
    x: PlotAxis("exact KL per token", unit: "nats"), y: PlotAxis("nats"),
    series: [
        PlotSeries("k1 bias", x: sortedPoints.map(\.exact), y: sortedPoints.map { $0.k1.mean - $0.exact }),
        PlotSeries("k2 bias", x: sortedPoints.map(\.exact), y: sortedPoints.map { $0.k2.mean - $0.exact }),
        PlotSeries("k3 bias", x: sortedPoints.map(\.exact), y: sortedPoints.map { $0.k3.mean - $0.exact }),
        PlotSeries("k1 std", x: sortedPoints.map(\.exact), y: sortedPoints.map { $0.k1.std }),
        PlotSeries("k2 std", x: sortedPoints.map(\.exact), y: sortedPoints.map { $0.k2.std }),
        PlotSeries("k3 std", x: sortedPoints.map(\.exact), y: sortedPoints.map { $0.k3.std }),
    ]))
// Which estimator spreads most over tokens, batch by batch (batches that drifted at all).
let drifted = sortedPoints.filter { $0.exact > 0 }
func widest(_ p: EstimatorMeasurement) -> String {
    [("k1", p.k1.std), ("k2", p.k2.std), ("k3", p.k3.std)].max { $0.1 < $1.1 }!.0
}
let widestCounts = ["k1", "k2", "k3"].map { name in (name, drifted.filter { widest($0) == name }) }
    .filter { !$0.1.isEmpty }
    .map { name, points in points.count == 1
        ? String(format: "%@ in 1 (exact KL %.3f nats per token)", name, points[0].exact)
        : String(format: "%@ in %d (exact KL %.3f to %.3f nats per token)", name, points.count, points.first!.exact, points.last!.exact) }
let k3BelowK1 = drifted.filter { $0.k3.std < $0.k1.std }
// Where k2 overtakes k1 for good: the smallest drift from which k2's spread exceeds k1's at every larger one.
let k2From = drifted.indices.first { i in drifted[i...].allSatisfy { $0.k2.std > $0.k1.std } }
let largest = sortedPoints.last!
chapter.prose("""
    The largest spread over tokens, batch by batch: \(widestCounts.joined(separator: "; ")), of \
    the \(drifted.count) batches that drifted from SFT; k3 spreads less than k1 in \(k3BelowK1.count) of \
    them\(k3BelowK1.isEmpty ? "" : String(format: " (at exact KL up to %.3f)", k3BelowK1.map(\.exact).max()!)). \
    \(k2From.map { String(format: "From an exact KL of %.3f nats per token on, k2 spreads more than k1 in every batch: ½δ² grows with the square of the log-ratio, so the few tokens where the policy moved most dominate it.", drifted[$0].exact) } ?? "At no drift measured does k2 spread more than k1 in every batch from there on.") \
    At the largest drift measured (exact KL \(String(format: "%.3f", largest.exact)) nats \
    per token) k1 averages \(String(format: "%.3f", largest.k1.mean)), k3 \(String(format: "%.3f", largest.k3.mean)) \
    and k2 \(String(format: "%.3f", largest.k2.mean)), with standard deviations over tokens of \
    \(String(format: "%.2f", largest.k1.std)), \(String(format: "%.2f", largest.k3.std)) and \
    \(String(format: "%.2f", largest.k2.std)). So "best" depends on the use: as a number to \
    report, k3 is unbiased and never negative, and k1 is unbiased too; k2 is biased. k2's \
    gradient is what matters when the estimator is a loss term: ∇ ½ δ² = δ ∇ log π, the \
    gradient of KL(π ‖ π_ref) under on-policy samples, which is why it is used that way.
    """)
chapter.finish()
