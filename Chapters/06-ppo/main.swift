// Chapter 06: PPO with a critic, the way RLHF runs it.
//
// The SFT policy optimized against chapter 04's reward model with Proximal Policy
// Optimization: per-token rewards with a KL penalty, a critic initialized from the reward
// model, GAE, whitened advantages, the clipped policy and value losses. Then the KL
// coefficient swept, with kl_coef 0 showing reward over-optimization against the gold
// judge, and the KL estimators measured against the exact KL. Writes
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
    advantage for every token. Here the critic is a copy of chapter 04's reward model, \
    with the scalar head read at every position (InstructGPT initializes its critic from \
    the reward model too): it starts out knowing what the reward model values. It trains \
    its head and a LoRA adapter of its own, and shares no weights with the policy, so the \
    value loss cannot pull the policy's features around (a critic sharing the policy's \
    trunk is cheaper, and needs a small value-loss coefficient for exactly that reason).
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

/// A fresh critic: the reward model's backbone and head, copied, with a LoRA adapter on the
/// backbone, so that the critic trains its head and a low-rank correction (as the policy
/// does) and its update costs what the policy's costs.
func freshCritic() -> ScalarModel {
    var rng = chapter.random("critic")
    let body = GPT(config: rewardModel.body.config, rng: &rng)
    body.parameters.copyWeights(from: rewardModel.body.parameters)
    body.adapter = LoRAAdapter(config: LoRAConfig(rank: 16, alpha: 32, dropout: 0), for: body.config, rng: &rng)
    let head = ScalarHead(modelWidth: body.config.modelWidth, rng: &rng)
    head.parameters.copyWeights(from: rewardModel.head.parameters)
    return ScalarModel(body: body, head: head)
}

/// The KL estimators measured on one batch's tokens: each one's mean and standard deviation.
struct EstimatorMeasurement {
    var exact: Double, k1: (mean: Double, std: Double), k2: (mean: Double, std: Double), k3: (mean: Double, std: Double)
}

/// What a run left: its iterations, the estimator measurements, tokens and seconds.
struct Run {
    var iterations: [PPOIteration] = []
    var estimators: [EstimatorMeasurement] = []
    var tokens = 0, seconds = 0.0
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
        it.entropy = Double(batch.entropy.reduce(0, +)) / Double(e.rows)   // of π_old, per answer
        it.endedWithEndOfText = Double(e.rollouts.filter(\.endedWithEndOfText).count)
        (it.gold, it.goldStandardDeviation) = (mean(batch.gold), standardDeviation(batch.gold))
        let kept = e.mask.indices.filter { e.mask[$0] != 0 }
        let residual = kept.map { Double(e.returns[$0] - e.values[$0]) }, target = kept.map { Double(e.returns[$0]) }
        it.explainedVariance = 1 - pow(standardDeviation(residual), 2) / max(pow(standardDeviation(target), 2), 1e-12)
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
let tableFields: [KeyPath<PPOIteration, Double>] = [\.scores, \.gold, \.kl, \.entropy, \.approximateKL, \.clipFraction,
                                                   \.valueClipFraction, \.valueLoss, \.explainedVariance, \.endedWithEndOfText]
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
    "critic", title: "The critic: value loss and explained variance of the returns",
    x: PlotAxis("iteration"), y: PlotAxis("value"),
    series: [curve("value loss", main, \.valueLoss), curve("explained variance", main, \.explainedVariance)]))

// ---------------------------------------------------------------------------------------
chapter.section("Held-out: PPO against SFT")
let mainEvaluation = evaluations[settings.klCoefficient]!
adapters[settings.klCoefficient]!.restore(into: policy.adapter.parameters)
chapter.savePolicyAdapter(policy.adapter)
chapter.report([baseline] + [settings.klCoefficient].map { evaluations[$0]! }, against: baseline)
chapter.reportCriteria([baseline, mainEvaluation])
let mainSummary = mainEvaluation.summary(against: baseline)
let sigmas = (mainSummary.goldGain ?? 0) / max(mainSummary.goldGainStandardError ?? 1, 1e-9)
chapter.headline(String(format: "PPO %+.2f ± %.2f gold over SFT (%.1f s.e.) at %.1f nats", mainSummary.goldGain ?? 0,
                        mainSummary.goldGainStandardError ?? 0, sigmas, mainSummary.klExact ?? 0))
chapter.result("PPO gold gain over SFT (paired)", mainSummary.goldGain ?? 0)
chapter.result("in paired standard errors", sigmas)
chapter.result("KL to SFT on held-out answers", mainSummary.klExact ?? 0, unit: "nats")
chapter.prose("""
    At β = \(settings.klCoefficient) PPO's policy scores \(String(format: "%.2f", mainSummary.gold)) on the \
    held-out prompts against SFT's \(String(format: "%.2f", baseline.summary().gold)): a paired gain of \
    \(String(format: "%+.2f", mainSummary.goldGain ?? 0)) ± \(String(format: "%.2f", mainSummary.goldGainStandardError ?? 0)), \
    \(String(format: "%.1f", sigmas)) standard errors, at \(String(format: "%.1f", mainSummary.klExact ?? 0)) nats \
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
chapter.figure(.lines(
    "sweep-against-kl", title: "Reward-model score and gold score against KL to SFT, along each run",
    x: PlotAxis("KL to SFT (batch mean)", unit: "nats per answer"), y: PlotAxis("score"),
    series: betas.flatMap { beta -> [PlotSeries] in
        let run = runs[beta]!
        return [curve(String(format: "reward, kl_coef %g", beta), run, \.scores, x: \.kl),
                curve(String(format: "gold, kl_coef %g", beta), run, \.gold, x: \.kl)]
    }))
let free = runs[0] ?? main
// Batch means of 48 answers are noisy: compare three-iteration means, with their errors.
let freeGold = free.iterations.map(\.gold)
let smoothedGold = freeGold.indices.map { mean(Array(freeGold[max(0, $0 - 1)...min(freeGold.count - 1, $0 + 1)])) }
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
// The same question on held-out prompts: the free run's final policy against the default's.
let heldOutOveroptimization: String = {
    guard let f = evaluations[0]?.summary(against: baseline), settings.klCoefficient != 0 else { return "" }
    let (fr, mr, fg, mg) = (f.reward ?? 0, mainSummary.reward ?? 0, f.goldGain ?? 0, mainSummary.goldGain ?? 0)
    let numbers = String(format: "reward-model score %.2f and gold gain %+.2f ± %.2f at %.0f nats, against %.2f and %+.2f ± %.2f at %.0f nats for kl_coef %g",
                         fr, fg, f.goldGainStandardError ?? 0, f.klExact ?? 0, mr, mg, mainSummary.goldGainStandardError ?? 0,
                         mainSummary.klExact ?? 0, settings.klCoefficient)
    return fr > mr && fg < mg
        ? "On the held-out prompts of the table above the final kl_coef 0 policy shows the same: " + numbers
            + ", a higher proxy score and a lower true one."
        : "On the held-out prompts of the table above the final kl_coef 0 policy has " + numbers + "."
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
chapter.section("Which KL estimator?")
chapter.prose("""
    The notebook says the squared estimator ("mse", k2 = ½ δ²) is the best. Measured here on \
    the policy's own samples at every iteration, against the exact per-token KL computed \
    over the whole vocabulary at the same states (δ = log π_old − log π_ref): k1 = δ and k3 = \
    e^{−δ} − 1 + δ are unbiased, so their means should match the exact value; k2 is not, and \
    its bias grows with the KL; k1 can be negative on single tokens and has the largest spread.
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
let largest = sortedPoints.last!
let spread = largest.k3.std < largest.k1.std && largest.k2.std < largest.k1.std ? " and here have less spread than k1"
    : ", though at this drift k3's e^{−δ} term makes it no less spread than k1"
chapter.prose("""
    At the largest drift measured (exact KL \(String(format: "%.3f", largest.exact)) nats per token), \
    k1 averages \(String(format: "%.3f", largest.k1.mean)), k3 \(String(format: "%.3f", largest.k3.mean)) and k2 \
    \(String(format: "%.3f", largest.k2.mean)), with standard deviations over tokens of \
    \(String(format: "%.2f", largest.k1.std)), \(String(format: "%.2f", largest.k3.std)) and \
    \(String(format: "%.2f", largest.k2.std)). So "best" depends on the use: k2 and k3 never go \
    negative\(spread); \
    k3 is also unbiased, k2 is not. k2's gradient \
    is what matters when the estimator is a loss term: ∇ ½ δ² = δ ∇ log π, the gradient of \
    KL(π ‖ π_ref) under on-policy samples, which is why it is used that way.
    """)
chapter.finish()
