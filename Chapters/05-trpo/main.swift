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

    Conjugate gradient is run on F + λI, not on F: the damping λ keeps the solve well posed \
    where F is nearly singular, and its x is (F + λI)⁻¹ g. The damping belongs to the solve \
    only. The constraint is on the KL, whose curvature is F, so the step is sized with \
    xᵀFx (one more product with the undamped F) and its quadratic KL is exactly δ. TRPO's \
    reference code sizes it with xᵀ(F + λI)x = xᵀFx + λ‖x‖² instead, which is harmless where \
    F is large against λ. It is not here: the table below gives, update by update, the \
    quadratic KL that sizing would have asked for. The alternative, rescaling the step by the \
    KL measured at its end, would also land near δ, but it would hide a wrong model behind \
    a correction; sizing from F keeps the derivation as it stands and leaves the measured \
    KL to check it.

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
    /// states is several hundred; the line search measures the KL on all of them).
    var fisherRows: Int
    /// β of the KL penalty to the reference in the sequence reward r − β Σ_t log π/π_SFT.
    var klCoefficient: Float = 0.05
    /// Subtracted from the score of an answer that hit the length limit without ending.
    var truncationPenalty: Float = 1
    /// Adam's step size for vanilla policy gradient: twice chapter 03's, fast but with no
    /// limit on how far one update moves the policy.
    var policyGradientLearningRate: Float = 4e-3
    /// What the trust region buys: both step sizes five times larger, lr 2e-2 (the step size
    /// at which chapter 03 found REINFORCE broken on its first step) and δ = 0.05, for
    /// `largeUpdates` updates each.
    var largeLearningRate: Float = 2e-2, largeMaxKL = 0.05
    var largeUpdates: Int
    var maxNewTokens: Int
}
var settings = TRPOSettings(promptsPerUpdate: 16, updates: options.budget(full: 12, quick: 3), fisherRows: 8,
                            largeUpdates: options.budget(full: 8, quick: 2), maxNewTokens: 96)
if options.quick { (settings.promptsPerUpdate, settings.maxNewTokens) = (4, 32) }
chapter.setting("delta", settings.maxKL)
chapter.setting("damping", Double(settings.damping))
chapter.setting("cg iterations", settings.cgIterations)
chapter.setting("kl coefficient", Double(settings.klCoefficient))
chapter.setting("updates", settings.updates)
chapter.setting("large learning rate", Double(settings.largeLearningRate))
chapter.setting("large delta", settings.largeMaxKL)
chapter.setting("large-step updates", settings.largeUpdates)
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

/// L(θ) = token mean of ρ Â: the importance-weighted surrogate, from a forward pass of the
/// policy on the batch (a new one when none is given), with a graph when recording.
func surrogate(_ e: ExperienceBatch, _ tokenAdvantages: [Float], _ given: PolicyForward? = nil) -> Tensor {
    let forward = given ?? model.policyForward(e.batch)
    let ratio = exp(forward.logProbs - e.tensor(e.oldLogProbs))
    return maskedMean(ratio * e.tensor(tokenAdvantages), mask: forward.mask)
}

/// What one update measured.
struct UpdateRecord {
    var score = 0.0, gold = 0.0, klToSFT = 0.0, reward = 0.0
    /// gᵀΔ for the step taken, and the surrogate's measured gain.
    var predictedGain = 0.0, realizedGain = 0.0, stepKL = 0.0, backtracks = 0, klRefusals = 0, accepted = true
    /// The KL measured at the full step, which the quadratic model put at δ.
    var fullStepKL = 0.0
    var residuals: [Double] = []
    /// The quadratic KL of the full step had it been sized with xᵀ(F + λI)x, not xᵀFx.
    var dampedSizingKL = 0.0
}

/// One TRPO update on a fresh batch, under the limit δ = `maxKL`: gradient,
/// natural-gradient direction, line search.
func trpoUpdate(_ batch: PolicyRollouts.Batch, maxKL: Double) -> UpdateRecord {
    let e = batch.experience
    let (rewards, tokenAdvantages) = advantages(batch)
    var record = UpdateRecord(score: mean(e.scores.map(Double.init)), gold: mean(batch.gold),
                              klToSFT: mean(batch.sequenceKL.map(Double.init)), reward: mean(rewards.map(Double.init)))
    // g = ∇L at θ_old.
    theta.zeroGradients()
    let forward = model.policyForward(e.batch)
    let before = surrogate(e, tokenAdvantages, forward)
    before.backward()
    let g = theta.gradients()
    let oldLogits = forward.logits.data
    theta.zeroGradients()
    // x ≈ F⁻¹ g by conjugate gradient, on the states of a subset of the answers.
    let fisherBatch = e.rows(Array(stride(from: 0, to: e.rows, by: max(e.rows / settings.fisherRows, 1)).prefix(settings.fisherRows)))
    let fisher = FisherVectorProduct(model: model, parameters: theta, batch: fisherBatch.batch, damping: settings.damping)
    let cg = conjugateGradient(fisher.callAsFunction, g, iterations: settings.cgIterations)
    record.residuals = cg.residualNorms
    // The step is sized with the undamped F: xᵀFx is the curvature of the KL it limits.
    let x = cg.solution, fx = fisher.undamped(x)
    let (step, predicted) = naturalGradientStep(gradient: g, direction: x, fisherDirection: fx, maxKL: maxKL)
    let curvature = dot(x, fx)
    record.dampedSizingKL = maxKL * curvature / (curvature + Double(settings.damping) * dot(x, x))
    // The line search: the surrogate's real gain and the exact mean KL(π_old ‖ π_new) per state.
    let start = Double(before.item)
    let search = backtrackingLineSearch(theta: theta, fullStep: step, maxKL: maxKL) {
        Autograd.withoutGradients {
            let candidate = model.policyForward(e.batch)   // one pass gives the surrogate and the KL
            return (Double(surrogate(e, tokenAdvantages, candidate).item) - start,
                    stepKL(e, oldLogits: oldLogits, newLogits: candidate.logits.data))
        }
    }
    (record.realizedGain, record.stepKL, record.backtracks, record.accepted) = (search.surrogateGain, search.kl, search.backtracks, search.accepted)
    (record.klRefusals, record.fullStepKL) = (search.klRefusals, search.fullStepKL)
    // The linear model's gain for the step actually taken (a backtracked step is a fraction of Δ).
    record.predictedGain = predicted * search.stepFraction
    return record
}

/// The exact mean KL(π_old ‖ π) per state of a batch, π_old and π given by their logits
/// (π's from a new forward pass when not given).
func stepKL(_ e: ExperienceBatch, oldLogits: [Float], newLogits given: [Float]? = nil) -> Double {
    let newLogits = given ?? Autograd.withoutGradients { model.policyForward(e.batch).logits.data }
    let kl = exactKL(logits: oldLogits, referenceLogits: newLogits, vocabularySize: model.config.vocabularySize)
    return mean(e.mask.indices.filter { e.mask[$0] != 0 }.map { Double(kl[$0]) })
}

/// One vanilla policy-gradient update on a fresh batch: the same surrogate, one Adam step,
/// and how far the step moved the policy (measured, not limited).
func policyGradientUpdate(_ batch: PolicyRollouts.Batch, optimizer: AdamW) -> UpdateRecord {
    let e = batch.experience
    let (rewards, tokenAdvantages) = advantages(batch)
    optimizer.zeroGrad()
    let forward = model.policyForward(e.batch)
    let oldLogits = forward.logits.data
    let loss = -surrogate(e, tokenAdvantages, forward)
    loss.backward()
    optimizer.update()
    var record = UpdateRecord(score: mean(e.scores.map(Double.init)), gold: mean(batch.gold),
                              klToSFT: mean(batch.sequenceKL.map(Double.init)), reward: mean(rewards.map(Double.init)))
    record.stepKL = stepKL(e, oldLogits: oldLogits)
    return record
}

/// Runs `updates` updates from the SFT policy (a fresh, zero adapter), each on a fresh batch.
func run(_ label: String, updates: Int = settings.updates, _ update: (PolicyRollouts.Batch) -> UpdateRecord)
    -> (records: [UpdateRecord], tokens: Int, seconds: Double) {
    policy.resetAdapter()
    var prompts = PromptStream(trainingPrompts, rng: chapter.random("prompts"))
    var rng = chapter.random("samples \(label)")
    var records: [UpdateRecord] = [], tokens = 0
    let started = Date()
    let progress = chapter.progress(label, total: updates)
    for k in 0..<updates {
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

/// "+0.40 ± 0.12 (3.3 s.e.)": a paired gain, its standard error and their ratio.
func gainText(_ gain: Double, _ error: Double) -> String {
    String(format: "%+.2f ± %.2f (%.1f s.e.)", gain, error, gain / max(error, 1e-9))
}
/// Whether a difference is a result: beyond two standard errors, or not.
func verdict(_ difference: Double, _ error: Double) -> String {
    abs(difference) > 2 * error ? "beyond two standard errors" : "within two standard errors, so not a measured difference"
}
func nats(_ x: Double) -> String { String(format: x < 0.1 ? "%.4f" : "%.2f", x) }
func percent(_ share: Double) -> String { String(format: "%.0f%%", 100 * share) }

// ---------------------------------------------------------------------------------------
chapter.section("Training: vanilla policy gradient, then TRPO, on the same samples budget")
let optimizer = AdamW(parameters: policy.adapter.parameters, learningRate: settings.policyGradientLearningRate, weightDecay: 0)
let vanilla = run("vanilla PG") { policyGradientUpdate($0, optimizer: optimizer) }
let vanillaAdapter = WeightSnapshot(of: policy.adapter.parameters)
let trpo = run("TRPO") { trpoUpdate($0, maxKL: settings.maxKL) }
let trpoAdapter = WeightSnapshot(of: policy.adapter.parameters)

let rows: [[any TableValue]] = trpo.records.enumerated().map { k, r in
    [k + 1, r.score, r.gold, r.klToSFT, r.predictedGain, r.realizedGain, r.stepKL, r.dampedSizingKL, r.backtracks,
     r.residuals.last.map { $0 / r.residuals[0] } ?? 0]
}
chapter.table("TRPO, update by update (batch means; KL of the step: mean per state, exact)",
              columns: ["update", "reward-model score", "gold", "KL to SFT (nats/answer)", "predicted gain", "realized gain",
                        "KL of the step", "quadratic KL, sized with F + λI", "backtracks", "CG residual / ‖g‖"],
              rows: rows)
let accepted = trpo.records.filter(\.accepted)
let trpoSteps = accepted.map(\.stepKL)
let halfDelta = settings.maxKL / 2
let inBand = trpoSteps.filter { $0 >= halfDelta && $0 <= settings.maxKL }.count
let backtracks = trpo.records.map(\.backtracks).reduce(0, +), klRefusals = trpo.records.map(\.klRefusals).reduce(0, +)
let residualRatios = trpo.records.compactMap { r in r.residuals.last.map { $0 / r.residuals[0] } }
let medianResidual = residualRatios.sorted()[residualRatios.count / 2]
let dampedSizing = trpo.records.map(\.dampedSizingKL)
let fullStepRatios = accepted.map { $0.fullStepKL / settings.maxKL }
chapter.result("accepted steps", accepted.count, unit: "of \(trpo.records.count)")
chapter.result("smallest KL of an accepted step", trpoSteps.min() ?? 0, unit: "nats (½δ = \(halfDelta))")
chapter.result("largest KL of an accepted step", trpoSteps.max() ?? 0, unit: "nats (δ = \(settings.maxKL))")
chapter.result("accepted steps with KL between ½δ and δ", inBand, unit: "of \(accepted.count)")
chapter.result("backtracks", backtracks, unit: "(\(klRefusals) for a KL above δ)")
chapter.result("KL measured at the full step, smallest", fullStepRatios.min() ?? 0, unit: "δ")
chapter.result("KL measured at the full step, largest", fullStepRatios.max() ?? 0, unit: "δ")
chapter.result("CG residual after \(settings.cgIterations) iterations, median ratio", medianResidual)

chapter.figure(.scatter(
    "step-kl", title: "KL(π_old ‖ π_new) of every accepted TRPO step, against the limit δ",
    x: PlotAxis("update"), y: PlotAxis("mean KL per state", unit: "nats"),
    series: [PlotSeries("accepted step", x: trpo.records.indices.filter { trpo.records[$0].accepted }.map { Double($0 + 1) },
                        y: trpoSteps)],
    references: [.horizontal(settings.maxKL, "δ"), .horizontal(halfDelta, "½δ")]))
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
    series: [PlotSeries("update", x: accepted.map(\.predictedGain), y: accepted.map(\.realizedGain))],
    references: [.diagonal()]))
func curve(_ name: String, _ records: [UpdateRecord], _ value: (UpdateRecord) -> Double) -> PlotSeries {
    PlotSeries(name, x: records.indices.map { Double($0 + 1) }, y: records.map(value))
}
chapter.figure(.lines(
    "reward-and-gold", title: "TRPO and vanilla policy gradient: batch means against update",
    x: PlotAxis("update"), y: PlotAxis("score"),
    series: [curve("TRPO, reward model", trpo.records, \.score), curve("TRPO, gold", trpo.records, \.gold),
             curve("vanilla PG, reward model", vanilla.records, \.score), curve("vanilla PG, gold", vanilla.records, \.gold)]))

let lastFour = { (records: [UpdateRecord], value: (UpdateRecord) -> Double) in mean(records.suffix(4).map(value)) }
let vanillaSteps = vanilla.records.map(\.stepKL)
func runRow(_ label: String, _ run: (records: [UpdateRecord], tokens: Int, seconds: Double)) -> [any TableValue] {
    let steps = run.records.filter(\.accepted).map(\.stepKL)
    return [label, lastFour(run.records, \.score), lastFour(run.records, \.gold), lastFour(run.records, \.klToSFT),
            mean(steps), steps.min() ?? 0, steps.max() ?? 0, run.seconds]
}
let runColumns = ["method", "score, last 4 updates", "gold, last 4", "KL to SFT, last 4", "KL of a step: mean",
                  "smallest", "largest", "seconds"]
chapter.table("the two runs (\(settings.updates) updates of \(settings.promptsPerUpdate * settings.groupSize) answers each)",
              columns: runColumns,
              rows: [runRow("vanilla PG (Adam, lr \(settings.policyGradientLearningRate))", vanilla),
                     runRow("TRPO (δ = \(settings.maxKL))", trpo)])

// Damping, measured on a batch of the trained TRPO policy's Fisher: the conditioning of
// F + λI sets how fast conjugate gradient converges.
var dampingRNG = chapter.random("damping batch")
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
    let x = cg.solution, curvature = dot(x, fisher.undamped(x))
    return [Double(damping), cg.residualNorms.last! / cg.residualNorms[0], norm(x), curvature / (curvature + Double(damping) * dot(x, x))]
}
chapter.table("conjugate gradient after \(settings.cgIterations) iterations on one batch's Fisher, by damping λ",
              columns: ["λ", "residual / ‖g‖", "‖x‖", "xᵀFx / xᵀ(F + λI)x"], rows: dampingRows)

let gainRatio = mean(accepted.filter { $0.predictedGain > 0 }.map { $0.realizedGain / $0.predictedGain })
let linearity = abs(gainRatio - 1) < 0.15 ? "over a step of this size the surrogate is nearly linear"
    : "the linear model of the surrogate is off by that much over a step of this size"
let band = inBand == accepted.count ? "every one of them between ½δ and δ" : "\(inBand) of them between ½δ and δ"
chapter.prose("""
    \(accepted.count) of \(trpo.records.count) TRPO updates were accepted, \(band): the measured \
    KL(π_old ‖ π_new) of the accepted steps ran from \(nats(trpoSteps.min() ?? 0)) to \
    \(nats(trpoSteps.max() ?? 0)) nats per state, against δ = \(settings.maxKL) (figure). The quadratic \
    model ½ΔᵀFΔ, its Fisher taken on \(settings.fisherRows) of the \(settings.promptsPerUpdate * settings.groupSize) \
    answers, put every full step at δ; the KL measured on all the batch's states at the full \
    step was \(String(format: "%.2f", fullStepRatios.min() ?? 0)) to \(String(format: "%.2f", fullStepRatios.max() ?? 0)) \
    times δ, so the line search backtracked \(backtracks) times in all, \(klRefusals) of them for a KL \
    above δ (one backtrack multiplies a nearly quadratic KL by 0.8² = 0.64). Sized with the damped curvature \
    xᵀ(F + λI)x, the same steps would have had a quadratic KL of \(nats(dampedSizing.min() ?? 0)) to \
    \(nats(dampedSizing.max() ?? 0)) nats: λ‖x‖² made up \(percent(1 - (dampedSizing.max() ?? 0) / settings.maxKL)) \
    to \(percent(1 - (dampedSizing.min() ?? 0) / settings.maxKL)) of xᵀ(F + λI)x, the Fisher's curvature \
    along x being small against λ = \(settings.damping) (last column of the damping table). Conjugate gradient cut the residual to a median \(String(format: "%.1e", medianResidual)) \
    of ‖g‖ in \(settings.cgIterations) iterations. The damping table shows the trade: a larger λ \
    makes F + λI better conditioned and CG faster, and pulls the solution toward the plain \
    gradient (λI dominates), shortening ‖x‖. The realized surrogate gain of the accepted steps \
    was \(String(format: "%.2f", gainRatio)) times the gᵀΔ predicted for the step taken, on average \
    (figure, beside the line y = x): \(linearity).

    Vanilla policy gradient with the same \(settings.updates * settings.promptsPerUpdate * settings.groupSize) \
    samples took steps of \(nats(vanillaSteps.min() ?? 0)) to \(nats(vanillaSteps.max() ?? 0)) nats \
    per state (mean \(nats(mean(vanillaSteps)))): a learning rate fixes the size of a step in \
    weight space, and the behaviour it buys varies from update to update. TRPO's steps are \
    set in behaviour; it pays \(settings.cgIterations + 1) Fisher-vector products (about three \
    forward passes and a backward pass each, on \(settings.fisherRows) of the \
    \(settings.promptsPerUpdate * settings.groupSize) answers) and a line search per update, where \
    vanilla PG takes one backward pass: \(String(format: "%.0f", trpo.seconds)) s against \
    \(String(format: "%.0f", vanilla.seconds)) s here, sampling included.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("What the trust region buys: a five times larger step")
chapter.prose("""
    A step size that works says little about a larger one. Both methods again, from SFT on \
    the same prompts for \(settings.largeUpdates) updates, each with its step-size knob five times \
    larger: vanilla PG at lr \(settings.largeLearningRate), and TRPO at δ = \(settings.largeMaxKL). The knobs are not in \
    the same units, and that is the point: a learning rate is a length in weight space, and \
    what it does to the policy is found out only after the step; δ is the KL itself, and the \
    line search enforces it on every step.
    """)
let vanillaLarge: (records: [UpdateRecord], tokens: Int, seconds: Double) = {
    let optimizer = AdamW(parameters: policy.adapter.parameters, learningRate: settings.largeLearningRate, weightDecay: 0)
    return run("vanilla PG, lr \(settings.largeLearningRate)", updates: settings.largeUpdates) { policyGradientUpdate($0, optimizer: optimizer) }
}()
let vanillaLargeAdapter = WeightSnapshot(of: policy.adapter.parameters)
let trpoLarge = run("TRPO, δ \(settings.largeMaxKL)", updates: settings.largeUpdates) { trpoUpdate($0, maxKL: settings.largeMaxKL) }
let trpoLargeAdapter = WeightSnapshot(of: policy.adapter.parameters)
chapter.table("the same at a five times larger step (\(settings.largeUpdates) updates each)", columns: runColumns,
              rows: [runRow("vanilla PG (Adam, lr \(settings.largeLearningRate))", vanillaLarge),
                     runRow("TRPO (δ = \(settings.largeMaxKL))", trpoLarge)])
chapter.figure(.lines(
    "step-size", title: "How far each update moved the policy: KL(π_old ‖ π_new) per state, measured",
    x: PlotAxis("update"), y: PlotAxis("mean KL per state", unit: "nats", logarithmic: true),
    series: [curve("vanilla PG, lr \(settings.policyGradientLearningRate)", vanilla.records, \.stepKL),
             curve("TRPO, δ = \(settings.maxKL)", trpo.records, \.stepKL),
             curve("vanilla PG, lr \(settings.largeLearningRate)", vanillaLarge.records, \.stepKL),
             curve("TRPO, δ = \(settings.largeMaxKL)", trpoLarge.records, \.stepKL)],
    references: [.horizontal(settings.maxKL, "δ = \(settings.maxKL)"), .horizontal(settings.largeMaxKL, "δ = \(settings.largeMaxKL)")]))
chapter.figure(.lines(
    "large-step-gold", title: "Gold score of each update's batch, at the two step sizes",
    x: PlotAxis("update"), y: PlotAxis("gold score (batch mean)"),
    series: [curve("vanilla PG, lr \(settings.policyGradientLearningRate)", vanilla.records, \.gold),
             curve("TRPO, δ = \(settings.maxKL)", trpo.records, \.gold),
             curve("vanilla PG, lr \(settings.largeLearningRate)", vanillaLarge.records, \.gold),
             curve("TRPO, δ = \(settings.largeMaxKL)", trpoLarge.records, \.gold)]))

// ---------------------------------------------------------------------------------------
chapter.section("The trained policies on the held-out prompts")
func evaluate(_ name: String, _ adapter: WeightSnapshot, _ run: (records: [UpdateRecord], tokens: Int, seconds: Double)) -> PolicyEvaluation {
    adapter.restore(into: policy.adapter.parameters)
    return evaluator.evaluate(name, policy: .adapter(on: model), against: baseline,
                              compute: .init(trainingTokensSampled: run.tokens, trainingSeconds: run.seconds))
}
let vanillaEvaluation = evaluate("vanilla PG", vanillaAdapter, vanilla)
let vanillaLargeEvaluation = evaluate("vanilla PG, lr \(settings.largeLearningRate)", vanillaLargeAdapter, vanillaLarge)
let trpoLargeEvaluation = evaluate("TRPO, δ = \(settings.largeMaxKL)", trpoLargeAdapter, trpoLarge)
let trpoEvaluation = evaluate("TRPO", trpoAdapter, trpo)
chapter.savePolicyAdapter(policy.adapter)
chapter.report([baseline, vanillaEvaluation, trpoEvaluation, vanillaLargeEvaluation, trpoLargeEvaluation], against: baseline)
chapter.reportCriteria([baseline, vanillaEvaluation, trpoEvaluation, vanillaLargeEvaluation, trpoLargeEvaluation])
chapter.save(trpoEvaluation, showdown: .method)
chapter.save(vanillaEvaluation, name: "vanilla PG", showdown: .baseline)
chapter.save(vanillaLargeEvaluation, name: "vanilla PG large step")
chapter.save(trpoLargeEvaluation, name: "TRPO large step")

let summary = trpoEvaluation.summary(against: baseline)
let vanillaSummary = vanillaEvaluation.summary(against: baseline)
let versus = trpoEvaluation.summary(against: vanillaEvaluation)
let (gain, gainError) = (summary.goldGain ?? 0, summary.goldGainStandardError ?? 0)
let (vanillaGain, vanillaError) = (vanillaSummary.goldGain ?? 0, vanillaSummary.goldGainStandardError ?? 0)
let (difference, differenceError) = (versus.goldGain ?? 0, versus.goldGainStandardError ?? 0)
chapter.result("TRPO gold gain over SFT (paired)", gain)
chapter.result("its standard error", gainError)
chapter.result("TRPO KL to SFT on held-out answers", summary.klExact ?? 0, unit: "nats")
chapter.result("vanilla PG gold gain over SFT (paired)", vanillaGain)
chapter.result("its standard error", vanillaError)
chapter.result("TRPO minus vanilla PG, gold (paired)", difference)
chapter.result("its standard error", differenceError)
let gainVerdict = gain > 2 * gainError ? "a gain beyond two standard errors" : "not a gain beyond two standard errors"
let ahead = difference > 0 ? "TRPO ahead" : "vanilla PG ahead"
chapter.prose("""
    On the \(summary.prompts) held-out prompts TRPO's policy scores \
    \(String(format: "%.2f", summary.gold)) against SFT's \(String(format: "%.2f", baseline.summary().gold)): \
    a paired gain of \(gainText(gain, gainError)), \(gainVerdict), with its answers \
    \(String(format: "%.1f", summary.klExact ?? 0)) nats per answer from SFT's. Vanilla PG on the \
    same samples budget gained \(gainText(vanillaGain, vanillaError)) at \
    \(String(format: "%.1f", vanillaSummary.klExact ?? 0)) nats. Prompt by prompt, TRPO minus vanilla \
    PG is \(String(format: "%+.2f ± %.2f", difference, differenceError)) (\(ahead)), \
    \(verdict(difference, differenceError)). The criterion table shows where the gains came from, \
    and where the reward model's blind spots (chapter 04) left the policies free to drift.
    """)

let largeSummary = vanillaLargeEvaluation.summary(against: baseline)
let trpoLargeSummary = trpoLargeEvaluation.summary(against: baseline)
let largeVersus = trpoLargeEvaluation.summary(against: vanillaLargeEvaluation)
let largeSteps = vanillaLarge.records.map(\.stepKL), trpoLargeSteps = trpoLarge.records.filter(\.accepted).map(\.stepKL)
let (largeGain, largeError) = (largeSummary.goldGain ?? 0, largeSummary.goldGainStandardError ?? 0)
let (trpoLargeGain, trpoLargeError) = (trpoLargeSummary.goldGain ?? 0, trpoLargeSummary.goldGainStandardError ?? 0)
let (largeDifference, largeDifferenceError) = (largeVersus.goldGain ?? 0, largeVersus.goldGainStandardError ?? 0)
chapter.result("vanilla PG at the large lr: gold gain over SFT", largeGain)
chapter.result("its standard error", largeError)
chapter.result("vanilla PG at the large lr: largest KL of a step", largeSteps.max() ?? 0, unit: "nats")
chapter.result("TRPO at the large δ: gold gain over SFT", trpoLargeGain)
chapter.result("its standard error", trpoLargeError)
chapter.result("TRPO at the large δ: largest KL of a step", trpoLargeSteps.max() ?? 0, unit: "nats")
/// "+0.17 ± 0.16, not beyond 2 s.e.": a gold gain as a headline states it.
func headlineGain(_ gain: Double, _ error: Double) -> String {
    String(format: "%+.2f ± %.2f, ", gain, error) + (abs(gain) > 2 * error ? "beyond" : "not beyond") + " 2 s.e."
}
chapter.headline("""
    Every TRPO step's KL in [\(nats(trpoSteps.min() ?? 0)), \(nats(trpoSteps.max() ?? 0))] (δ = \(settings.maxKL)); \
    gold over SFT: TRPO \(headlineGain(gain, gainError)), vanilla PG \(headlineGain(vanillaGain, vanillaError)); \
    at a five times larger step vanilla PG \(headlineGain(largeGain, largeError)), TRPO \(headlineGain(trpoLargeGain, trpoLargeError))
    """)
chapter.result("TRPO minus vanilla PG at the large step, gold (paired)", largeDifference)
chapter.result("its standard error", largeDifferenceError)
func direction(_ gain: Double, _ error: Double) -> String {
    gain > 2 * error ? "above SFT beyond two standard errors" : gain < -2 * error ? "below SFT beyond two standard errors"
        : "within two standard errors of SFT"
}
let largeAhead = largeDifference > 0 ? "TRPO ahead" : "vanilla PG ahead"
chapter.prose("""
    At the five times larger step, vanilla PG's updates moved the policy \(nats(largeSteps.min() ?? 0)) to \
    \(nats(largeSteps.max() ?? 0)) nats per state (at lr \(settings.policyGradientLearningRate): \
    \(nats(vanillaSteps.min() ?? 0)) to \(nats(vanillaSteps.max() ?? 0))), and its answers ended \
    \(String(format: "%.1f", largeSummary.klExact ?? 0)) nats from SFT's; on the held-out prompts its \
    gold changed by \(gainText(largeGain, largeError)), \(direction(largeGain, largeError)). TRPO at \
    δ = \(settings.largeMaxKL) kept its \(trpoLargeSteps.count) accepted steps between \
    \(nats(trpoLargeSteps.min() ?? 0)) and \(nats(trpoLargeSteps.max() ?? 0)) nats, ended \
    \(String(format: "%.1f", trpoLargeSummary.klExact ?? 0)) nats from SFT, and changed gold by \
    \(gainText(trpoLargeGain, trpoLargeError)), \(direction(trpoLargeGain, trpoLargeError)). Prompt \
    by prompt, TRPO minus vanilla PG at this step size is \
    \(String(format: "%+.2f ± %.2f", largeDifference, largeDifferenceError)) (\(largeAhead)), \
    \(verdict(largeDifference, largeDifferenceError)). In training (figure), vanilla PG's batch gold \
    went from \(String(format: "%.2f", vanillaLarge.records.first?.gold ?? 0)) at the first update to \
    \(String(format: "%.2f", vanillaLarge.records.last?.gold ?? 0)) at the last, TRPO's from \
    \(String(format: "%.2f", trpoLarge.records.first?.gold ?? 0)) to \(String(format: "%.2f", trpoLarge.records.last?.gold ?? 0)). PPO (chapter 06) aims at the same limit on each update with a \
    first-order trick instead of the Fisher.
    """)
chapter.section("The notebook's question, before and after")
chapter.showRunningExamples([baseline, trpoEvaluation], count: 1)
chapter.finish()
