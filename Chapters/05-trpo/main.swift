// Chapter 05: TRPO, a trust region for the policy.
//
// Optimizes the SFT policy against chapter 04's reward model with Trust Region Policy
// Optimization: the policy gradient turned into a natural-gradient step by conjugate
// gradient on Fisher-vector products, scaled to a KL limit and checked by a line search.
// Beside it, vanilla policy gradient on the same number of samples. Writes
// runs/05-trpo/policy.safetensors and the held-out evaluation.json.
import Course
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter(CourseChapter.trpo, title: "TRPO: a trust region for the policy", options: options)

chapter.section("Why a trust region")
chapter.prose("""
    Chapter 03 ended with a policy destroyed by one step size: REINFORCE at a learning rate \
    five times the usual one raised the reward for a few steps, then the text fell apart \
    and never came back. The gradient says which way is uphill here, for an infinitesimal \
    step; how far that stays true depends on how much the step changes the policy's \
    behaviour, and a step in weight space says little about that. Trust Region Policy \
    Optimization (Schulman et al., 2015) bounds each update by its effect on behaviour: \
    the KL divergence between the policy before and after.

    With π_old the policy that sampled the batch and Â the advantages of its samples, \
    TRPO solves, at each update,

        maximize over θ   L(θ) = E_{s,a ~ π_old} [ π_θ(a|s) / π_old(a|s) · Â(s, a) ]
        subject to        KL̄(θ) = E_{s ~ π_old} [ KL(π_old(·|s) ‖ π_θ(·|s)) ] ≤ δ.

    L is the importance-weighted objective of chapter 03: at θ = θ_old its gradient is the \
    policy gradient, and it stays a fair estimate of the improvement while π_θ is close to \
    π_old, which is exactly what the constraint enforces. (The notebook this course \
    replaces writes the constraint as KL(π_θ ‖ π_θ), a policy compared with itself, which \
    is always 0: the constraint must compare the new policy with the old one.)
    """)

chapter.section("The step, derived")
chapter.prose("""
    Near θ_old, with Δ = θ − θ_old, expand both sides. The objective to first order: \
    L(θ) ≈ L(θ_old) + gᵀΔ, with g = ∇L(θ_old) the policy gradient. The constraint to second \
    order: KL̄(θ_old) = 0, and its gradient is 0 there too (KL has its minimum at θ_old), \
    so KL̄(θ) ≈ ½ ΔᵀFΔ, where F is the Hessian of KL̄ at θ_old. That Hessian is the Fisher \
    information of the policy,

        F = E_{s, a~π(·|s)} [ ∇_θ log π(a|s) ∇_θ log π(a|s)ᵀ ] = E_s [ Jₛᵀ (diag(pₛ) − pₛpₛᵀ) Jₛ ],

    with pₛ the next-token distribution at state s and Jₛ the Jacobian of its logits (the \
    middle matrix is the covariance of the one-hot token under pₛ). The problem becomes

        maximize gᵀΔ  subject to  ½ ΔᵀFΔ ≤ δ.

    The Lagrangian gᵀΔ − λ(½ ΔᵀFΔ − δ) is stationary where g = λFΔ, so Δ = (1/λ) F⁻¹g: the \
    natural gradient F⁻¹g, the steepest ascent direction when distance is measured in KL \
    rather than in weights. The constraint is active at the optimum, ½ (1/λ²) gᵀF⁻¹g = δ, \
    which fixes the length:

        Δ = √(2δ / xᵀFx) · x,    x = F⁻¹ g.

    F has one row and column per trained weight (the LoRA adapter's 49,152 here: a matrix \
    of 2.4 billion entries), so it is never built. Conjugate gradient solves Fx = g with only \
    products F v, each computable from the batch in a few passes (two forward passes for \
    J v by a central difference, one backward pass for Jᵀ u), and about 10 iterations point \
    x well along the directions where F is large, the ones that matter for the KL.

    The quadratic model of the KL is only a model, so the step is checked: a backtracking \
    line search tries Δ, 0.8 Δ, 0.64 Δ, ... and accepts the first candidate whose surrogate \
    L actually improved and whose exact mean KL over the batch's states, summed over the \
    whole vocabulary, is within δ. If none qualifies, the policy stays as it was.
    """)

// ---------------------------------------------------------------------------------------
// What earlier chapters left: the SFT policy with a fresh adapter (no dropout, so that the
// training forward pass computes exactly the policy that sampled), the reward model, and
// the SFT baseline of the held-out evaluation.
let loaded = chapter.loadAlignmentStart(lora: LoRAConfig(rank: 16, alpha: 32, dropout: 0))
let (policy, rewardModel, world, evaluator, baseline) = (loaded.policy, loaded.rewardModel, loaded.world, loaded.evaluator, loaded.baseline)
let model = policy.model

/// The settings of this chapter, with the usual ranges.
struct TRPOSettings {
    /// Prompts per update and answers per prompt (the group of the leave-one-out baseline).
    var promptsPerUpdate: Int, groupSize = 4
    /// Updates of each run.
    var updates: Int
    /// δ, the limit on the mean per-state KL(π_old ‖ π_new) of one update (TRPO: 0.01).
    var maxKL = 0.01
    /// λ of the damped Fisher (F + λI), and conjugate-gradient iterations. TRPO's defaults
    /// are 0.1 and 10; on this policy's Fisher, 10 iterations at λ = 0.1 cut the residual only
    /// about tenfold, at 0.3 several hundredfold (the damping table below measures it), so
    /// λ = 0.3.
    var damping: Float = 0.3, cgIterations = 10
    /// Answers whose states make up the Fisher product (a subset of the batch, as TRPO
    /// implementations do: the product is a mean over states, and an eighth of the batch's
    /// states, several hundred, estimates it well).
    var fisherRows: Int
    /// β of the KL penalty to the reference in the sequence reward r − β Σ_t log π/π_SFT.
    var klCoefficient: Float = 0.05
    /// Subtracted from the score of an answer that hit the length limit without ending.
    var truncationPenalty: Float = 1
    /// Adam's step size for vanilla policy gradient: twice chapter 03's, fast but with no
    /// limit on how far one update moves the policy.
    var policyGradientLearningRate: Float = 4e-3
    var maxNewTokens: Int
}
var settings = TRPOSettings(promptsPerUpdate: 16, updates: options.budget(full: 12, quick: 3), fisherRows: 8, maxNewTokens: 96)
if options.quick { (settings.promptsPerUpdate, settings.maxNewTokens) = (4, 32) }
chapter.setting("delta", settings.maxKL)
chapter.setting("damping", Double(settings.damping))
chapter.setting("cg iterations", settings.cgIterations)
chapter.setting("kl coefficient", Double(settings.klCoefficient))
chapter.setting("updates", settings.updates)
chapter.setting("samples per update", settings.promptsPerUpdate * settings.groupSize)

chapter.section("The reward and the advantages")
chapter.prose("""
    Each update samples \(settings.groupSize) answers to each of \(settings.promptsPerUpdate) \
    training prompts at temperature 1 (at most \(settings.maxNewTokens) tokens). An answer's \
    reward is the reward model's score minus a KL penalty to the SFT policy,

        R = r_φ(x, y) − β Σ_t log(π_old(y_t|s_t) / π_SFT(y_t|s_t)),   β = \(settings.klCoefficient),

    minus \(settings.truncationPenalty) when the answer ran into the length limit (the reward \
    model reads a cut answer as if it had ended). The trust region and the penalty do \
    different jobs: δ limits how far one update moves from the policy that sampled, the \
    penalty limits how far the whole run drifts from SFT, where the reward model was \
    trained and can be trusted. Without it, a run of many small steps can still walk \
    anywhere. The advantage of an answer is its reward minus the mean reward of the other \
    answers to the same prompt (chapter 03's leave-one-out baseline), the same for every \
    token of the answer.
    """)

let rollouts = PolicyRollouts(policy: policy, rewardModel: rewardModel, maxNewTokens: settings.maxNewTokens)
let trainingPrompts = world.trainPrompts.filter { $0.family != .arithmetic }
let theta = ParameterVector(policy.adapter.parameters)

/// Sequence rewards and leave-one-out advantages, one per answer, broadcast over its tokens.
func advantages(_ batch: PolicyRollouts.Batch) -> (rewards: [Float], tokenAdvantages: [Float]) {
    let e = batch.experience
    let rewards = (0..<e.rows).map { b in
        e.scores[b] - settings.klCoefficient * batch.sequenceKL[b]
            - (e.rollouts[b].endedWithEndOfText ? 0 : settings.truncationPenalty)
    }
    let perAnswer = leaveOneOutAdvantages(rewards: rewards, groupSize: batch.groupSize)
    var tokens = [Float](repeating: 0, count: e.rows * e.width)
    for b in 0..<e.rows { for j in 0..<e.width where e.mask[b * e.width + j] != 0 { tokens[b * e.width + j] = perAnswer[b] } }
    return (rewards, tokens)
}

/// L(θ) = token mean of ρ Â: the importance-weighted surrogate, with a graph when recording.
func surrogate(_ e: ExperienceBatch, _ tokenAdvantages: [Float]) -> Tensor {
    let forward = model.policyForward(e.batch)
    let ratio = exp(forward.logProbs - e.tensor(e.oldLogProbs))
    return maskedMean(ratio * e.tensor(tokenAdvantages), mask: forward.mask)
}

/// What one update measured.
struct UpdateRecord {
    var score = 0.0, gold = 0.0, klToSFT = 0.0, reward = 0.0
    var predictedGain = 0.0, realizedGain = 0.0, stepKL = 0.0, backtracks = 0, klRefusals = 0, accepted = true
    var residuals: [Double] = []
}

/// One TRPO update on a fresh batch: gradient, natural-gradient direction, line search.
func trpoUpdate(_ batch: PolicyRollouts.Batch) -> UpdateRecord {
    let e = batch.experience
    let (rewards, tokenAdvantages) = advantages(batch)
    var record = UpdateRecord(score: mean(e.scores.map(Double.init)), gold: mean(batch.gold),
                              klToSFT: mean(batch.sequenceKL.map(Double.init)), reward: mean(rewards.map(Double.init)))
    // g = ∇L at θ_old.
    theta.zeroGradients()
    let before = surrogate(e, tokenAdvantages)
    before.backward()
    let g = theta.gradients()
    theta.zeroGradients()
    // x ≈ F⁻¹ g by conjugate gradient, on the states of a subset of the answers.
    let fisherBatch = e.rows(Array(stride(from: 0, to: e.rows, by: max(e.rows / settings.fisherRows, 1)).prefix(settings.fisherRows)))
    let fisher = FisherVectorProduct(model: model, parameters: theta, batch: fisherBatch.batch, damping: settings.damping)
    let cg = conjugateGradient(fisher.callAsFunction, g, iterations: settings.cgIterations)
    record.residuals = cg.residualNorms
    let (step, predicted) = naturalGradientStep(gradient: g, direction: cg.solution, fisherDirection: fisher(cg.solution),
                                                maxKL: settings.maxKL)
    record.predictedGain = predicted
    // The line search: the surrogate's real gain and the exact mean KL(π_old ‖ π_new) per state.
    let oldLogits = Autograd.withoutGradients { model.policyForward(e.batch).logits.data }
    let start = Double(before.item)
    let search = backtrackingLineSearch(theta: theta, fullStep: step, maxKL: settings.maxKL) {
        let gain = Autograd.withoutGradients { Double(surrogate(e, tokenAdvantages).item) } - start
        return (gain, stepKL(e, oldLogits: oldLogits))
    }
    (record.realizedGain, record.stepKL, record.backtracks, record.accepted) = (search.surrogateGain, search.kl, search.backtracks, search.accepted)
    record.klRefusals = search.klRefusals
    return record
}

/// The exact mean KL(π_old ‖ π) per state of a batch, π_old given by its logits.
func stepKL(_ e: ExperienceBatch, oldLogits: [Float]) -> Double {
    let newLogits = Autograd.withoutGradients { model.policyForward(e.batch).logits.data }
    let kl = exactKL(logits: oldLogits, referenceLogits: newLogits, vocabularySize: model.config.vocabularySize)
    return mean(e.mask.indices.filter { e.mask[$0] != 0 }.map { Double(kl[$0]) })
}

/// One vanilla policy-gradient update on a fresh batch: the same surrogate, one Adam step,
/// and how far the step moved the policy (measured, not limited).
func policyGradientUpdate(_ batch: PolicyRollouts.Batch, optimizer: AdamW) -> UpdateRecord {
    let e = batch.experience
    let (rewards, tokenAdvantages) = advantages(batch)
    let oldLogits = Autograd.withoutGradients { model.policyForward(e.batch).logits.data }
    optimizer.zeroGrad()
    let loss = -surrogate(e, tokenAdvantages)
    loss.backward()
    optimizer.update()
    var record = UpdateRecord(score: mean(e.scores.map(Double.init)), gold: mean(batch.gold),
                              klToSFT: mean(batch.sequenceKL.map(Double.init)), reward: mean(rewards.map(Double.init)))
    record.stepKL = stepKL(e, oldLogits: oldLogits)
    return record
}

/// Runs `updates` updates from the SFT policy (a fresh, zero adapter), each on a fresh batch.
func run(_ label: String, _ update: (PolicyRollouts.Batch) -> UpdateRecord) -> (records: [UpdateRecord], tokens: Int, seconds: Double) {
    policy.resetAdapter()
    var prompts = PromptStream(trainingPrompts, rng: chapter.random("prompts"))
    var rng = chapter.random("samples \(label)")
    var records: [UpdateRecord] = [], tokens = 0
    let started = Date()
    let progress = chapter.progress(label, total: settings.updates)
    for k in 0..<settings.updates {
        let batch = rollouts.collect(prompts.next(settings.promptsPerUpdate), groupSize: settings.groupSize, rng: &rng)
        tokens += batch.tokens
        let record = update(batch)
        records.append(record)
        for (name, value) in [("score", record.score), ("gold", record.gold), ("kl to sft", record.klToSFT),
                              ("reward", record.reward), ("predicted gain", record.predictedGain),
                              ("realized gain", record.realizedGain), ("step kl", record.stepKL),
                              ("backtracks", Double(record.backtracks))] {
            chapter.log(label, step: k + 1, name, value)
        }
        if let last = record.residuals.last { chapter.log(label, step: k + 1, "cg residual ratio", last / record.residuals[0]) }
        progress.update(step: k + 1, ["score": record.score, "gold": record.gold, "KL": record.klToSFT, "step KL": record.stepKL],
                        tokens: batch.tokens)
    }
    progress.finish()
    return (records, tokens, Date().timeIntervalSince(started))
}

// ---------------------------------------------------------------------------------------
chapter.section("Training: vanilla policy gradient, then TRPO, on the same samples budget")
let optimizer = AdamW(parameters: policy.adapter.parameters, learningRate: settings.policyGradientLearningRate, weightDecay: 0)
let vanilla = run("vanilla PG") { policyGradientUpdate($0, optimizer: optimizer) }
let vanillaAdapter = WeightSnapshot(of: policy.adapter.parameters)
let trpo = run("TRPO", trpoUpdate)
var dampingRNG = chapter.random("damping batch")

let rows: [[any TableValue]] = trpo.records.enumerated().map { k, r in
    [k + 1, r.score, r.gold, r.klToSFT, r.predictedGain, r.realizedGain, r.stepKL, r.backtracks,
     r.residuals.last.map { $0 / r.residuals[0] } ?? 0]
}
chapter.table("TRPO, update by update (batch means; KL of the step: mean per state, exact)",
              columns: ["update", "reward-model score", "gold", "KL to SFT (nats/answer)", "predicted gain", "realized gain",
                        "KL of the step", "backtracks", "CG residual / ‖g‖"],
              rows: rows)
let accepted = trpo.records.filter(\.accepted)
let worstStep = accepted.map(\.stepKL).max() ?? 0
let residualRatios = trpo.records.compactMap { r in r.residuals.last.map { $0 / r.residuals[0] } }
chapter.result("accepted steps", accepted.count, unit: "of \(trpo.records.count)")
chapter.result("largest KL of an accepted step", worstStep, unit: "nats (δ = \(settings.maxKL))")
chapter.result("CG residual after \(settings.cgIterations) iterations, median ratio", residualRatios.sorted()[residualRatios.count / 2])

chapter.figure(.scatter(
    "step-kl", title: "KL(π_old ‖ π_new) of every accepted TRPO step, against the limit δ",
    x: PlotAxis("update"), y: PlotAxis("mean KL per state", unit: "nats"),
    series: [PlotSeries("accepted step", x: trpo.records.indices.filter { trpo.records[$0].accepted }.map { Double($0 + 1) },
                        y: accepted.map(\.stepKL))],
    references: [.horizontal(settings.maxKL, "δ")]))
chapter.figure(.lines(
    "cg-residual", title: "Conjugate gradient on the real Fisher: residual ‖g − (F + λI)x_k‖ / ‖g‖",
    x: PlotAxis("CG iteration"), y: PlotAxis("relative residual", logarithmic: true),
    series: trpo.records.enumerated().compactMap { k, r in
        k % max(trpo.records.count / 4, 1) == 0
            ? PlotSeries("update \(k + 1)", x: r.residuals.indices.map(Double.init), y: r.residuals.map { $0 / r.residuals[0] }) : nil
    }))
chapter.figure(.scatter(
    "predicted-vs-realized", title: "TRPO: surrogate gain predicted by gᵀΔ against the gain realized",
    x: PlotAxis("predicted gain"), y: PlotAxis("realized gain (accepted step)"),
    series: [PlotSeries("update", x: accepted.map(\.predictedGain), y: accepted.map(\.realizedGain))]))
func curve(_ name: String, _ records: [UpdateRecord], _ value: (UpdateRecord) -> Double) -> PlotSeries {
    PlotSeries(name, x: records.indices.map { Double($0 + 1) }, y: records.map(value))
}
chapter.figure(.lines(
    "reward-and-gold", title: "TRPO and vanilla policy gradient: batch means against update",
    x: PlotAxis("update"), y: PlotAxis("score"),
    series: [curve("TRPO, reward model", trpo.records, \.score), curve("TRPO, gold", trpo.records, \.gold),
             curve("vanilla PG, reward model", vanilla.records, \.score), curve("vanilla PG, gold", vanilla.records, \.gold)]))

let lastFour = { (records: [UpdateRecord], value: (UpdateRecord) -> Double) in mean(records.suffix(4).map(value)) }
let vanillaSteps = vanilla.records.map(\.stepKL), trpoSteps = accepted.map(\.stepKL)
chapter.table("the two runs (\(settings.updates) updates of \(settings.promptsPerUpdate * settings.groupSize) answers each)",
              columns: ["method", "score, last 4 updates", "gold, last 4", "KL to SFT, last 4", "KL of a step: mean",
                        "smallest", "largest", "seconds"],
              rows: [
                  ["vanilla PG (Adam, lr \(settings.policyGradientLearningRate))", lastFour(vanilla.records, \.score),
                   lastFour(vanilla.records, \.gold), lastFour(vanilla.records, \.klToSFT), mean(vanillaSteps),
                   vanillaSteps.min() ?? 0, vanillaSteps.max() ?? 0, vanilla.seconds],
                  ["TRPO (δ = \(settings.maxKL))", lastFour(trpo.records, \.score), lastFour(trpo.records, \.gold),
                   lastFour(trpo.records, \.klToSFT), mean(trpoSteps), trpoSteps.min() ?? 0, trpoSteps.max() ?? 0, trpo.seconds],
              ])
chapter.figure(.lines(
    "step-size", title: "How far each update moved the policy: KL(π_old ‖ π_new) per state, measured",
    x: PlotAxis("update"), y: PlotAxis("mean KL per state", unit: "nats", logarithmic: true),
    series: [curve("vanilla PG", vanilla.records, \.stepKL), curve("TRPO", trpo.records, \.stepKL)],
    references: [.horizontal(settings.maxKL, "δ")]))

// Damping, measured on the last batch's Fisher: the conditioning of F + λI sets how fast
// conjugate gradient converges.
let lastBatch = rollouts.collect(Array(trainingPrompts.prefix(settings.promptsPerUpdate)), groupSize: settings.groupSize,
                                 rng: &dampingRNG)
let (_, lastAdvantages) = advantages(lastBatch)
theta.zeroGradients()
surrogate(lastBatch.experience, lastAdvantages).backward()
let lastGradient = theta.gradients()
theta.zeroGradients()
let dampingBatch = lastBatch.experience.rows(Array(0..<min(settings.fisherRows, lastBatch.experience.rows))).batch
let dampingRows: [[any TableValue]] = [0.01, 0.03, 0.1, 0.3, 1].map { (damping: Float) -> [any TableValue] in
    let fisher = FisherVectorProduct(model: model, parameters: theta, batch: dampingBatch, damping: damping)
    let cg = conjugateGradient(fisher.callAsFunction, lastGradient, iterations: settings.cgIterations)
    return [Double(damping), cg.residualNorms.last! / cg.residualNorms[0], norm(cg.solution)]
}
chapter.table("conjugate gradient after \(settings.cgIterations) iterations on one batch's Fisher, by damping λ",
              columns: ["λ", "residual / ‖g‖", "‖x‖"], rows: dampingRows)

let stayed = accepted.allSatisfy { $0.stepKL <= settings.maxKL } ? "stayed" : "did not stay"
let gainRatio = mean(accepted.filter { $0.predictedGain > 0 }.map { $0.realizedGain / $0.predictedGain })
let linearity = abs(gainRatio - 1) < 0.15 ? "over a step of δ-sized KL the surrogate is nearly linear" : "the linear model of the surrogate is off by that much over a step this size"
let medianResidual = residualRatios.sorted()[residualRatios.count / 2]
chapter.prose("""
    \(accepted.count) of \(trpo.records.count) TRPO updates were accepted, and every accepted \
    step \(stayed) within δ: the largest measured \
    KL(π_old ‖ π_new) was \(String(format: "%.4f", worstStep)) nats per state against δ = \
    \(settings.maxKL). The line search backtracked \(trpo.records.map(\.backtracks).reduce(0, +)) \
    times in all, \(trpo.records.map(\.klRefusals).reduce(0, +)) of them for a KL above δ. The step is \
    sized with the damped curvature xᵀ(F + λI)x, larger than xᵀFx, so the full step is \
    shorter than the undamped formula asks and its quadratic KL is below δ: how far below \
    depends on λ, and the measured KLs show where the real one lands. \
    Conjugate gradient cut the residual to a median \(String(format: "%.1e", medianResidual)) of ‖g‖ in \
    \(settings.cgIterations) iterations (\(String(format: "%.0f", 1 / medianResidual))-fold). The damping \
    table shows the trade: a larger λ makes F + λI better conditioned and CG faster, and \
    pulls the solution toward the plain gradient (λI dominates), shortening ‖x‖. The \
    realized surrogate gain of the accepted steps was \(String(format: "%.2f", gainRatio)) times the \
    predicted gᵀΔ on average (figure): \(linearity).

    Vanilla policy gradient with the same \(settings.updates * settings.promptsPerUpdate * settings.groupSize) \
    samples took steps of \(String(format: "%.4f", vanillaSteps.min() ?? 0)) to \
    \(String(format: "%.4f", vanillaSteps.max() ?? 0)) nats per state (mean \(String(format: "%.4f", mean(vanillaSteps)))): \
    a learning rate fixes the size of a step in weight space, and the behaviour it buys varies \
    from update to update. TRPO's steps stayed between \(String(format: "%.4f", trpoSteps.min() ?? 0)) and \
    \(String(format: "%.4f", trpoSteps.max() ?? 0)). That guarantee is what TRPO buys; it costs \
    \(settings.cgIterations + 1) Fisher-vector products (about three forward passes and a backward pass \
    each, on \(settings.fisherRows) of the \(settings.promptsPerUpdate * settings.groupSize) answers) and a line \
    search per update, where vanilla PG takes one backward pass: \
    \(String(format: "%.0f", trpo.seconds)) s against \(String(format: "%.0f", vanilla.seconds)) s here, \
    sampling included. PPO (chapter 06) gets most of the benefit with a first-order trick.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("The trained policy on the held-out prompts")
let trpoEvaluation = evaluator.evaluate("TRPO", policy: .adapter(on: model), against: baseline,
                                        compute: .init(trainingTokensSampled: trpo.tokens, trainingSeconds: trpo.seconds))
chapter.savePolicyAdapter(policy.adapter)
vanillaAdapter.restore(into: policy.adapter.parameters)
let vanillaEvaluation = evaluator.evaluate("vanilla PG", policy: .adapter(on: model), against: baseline,
                                           compute: .init(trainingTokensSampled: vanilla.tokens, trainingSeconds: vanilla.seconds))
chapter.report([baseline, vanillaEvaluation, trpoEvaluation], against: baseline)
chapter.reportCriteria([baseline, vanillaEvaluation, trpoEvaluation])
chapter.save(trpoEvaluation, showdown: .method)
chapter.save(vanillaEvaluation, name: "vanilla PG", showdown: .baseline)
let summary = trpoEvaluation.summary(against: baseline)
chapter.headline(String(format: "TRPO %+.2f ± %.2f gold over SFT at %.1f nats; every step within δ = %g", summary.goldGain ?? 0,
                        summary.goldGainStandardError ?? 0, summary.klExact ?? 0, settings.maxKL))
chapter.result("TRPO gold gain over SFT (paired)", summary.goldGain ?? 0)
chapter.result("its standard error", summary.goldGainStandardError ?? 0)
chapter.result("TRPO KL to SFT on held-out answers", summary.klExact ?? 0, unit: "nats")
let gain = summary.goldGain ?? 0, gainError = summary.goldGainStandardError ?? 1
chapter.prose("""
    On the \(summary.prompts) held-out prompts TRPO's policy scores \
    \(String(format: "%.2f", summary.gold)) against SFT's \(String(format: "%.2f", baseline.summary().gold)): \
    a paired gain of \(String(format: "%+.2f", gain)) ± \(String(format: "%.2f", gainError)) \
    (\(String(format: "%.1f", gain / max(gainError, 1e-9))) standard errors), with its answers \
    \(String(format: "%.1f", summary.klExact ?? 0)) nats per answer from SFT's. The criterion table \
    shows where the gain came from, and where the reward model's blind spots (chapter 04) \
    left the policy free to drift.
    """)
chapter.section("The notebook's question, before and after")
chapter.showRunningExamples([baseline, trpoEvaluation], count: 1)
chapter.finish()
