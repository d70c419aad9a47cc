// Chapter 03: RL basics.
//
// Casts text generation as reinforcement learning and trains the SFT model of chapter 02
// with the plainest policy-gradient method, REINFORCE, on a reward taken from one of the
// gold judge's criteria. Three experiments: what a baseline does to the gradient's noise,
// what a step that is too large does to the policy, and how fast importance weights
// degrade as a policy moves away from the one that wrote the samples.
import Course
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter(CourseChapter.rlBasics, title: "RL basics: policy gradients on a language model", options: options)

chapter.section("Text generation is a sequential decision problem")
chapter.prose("""
    Reinforcement learning studies an agent that acts in an environment, one step at a time, \
    and is told afterwards, through a reward, how well it did. Writing a response is exactly \
    such a process, with these correspondences:

    - agent: the language model, whose weights θ we train;
    - environment: the user who wrote the prompt, and whoever judges the finished answer;
    - state s_t: the prompt plus the response tokens written so far;
    - action a_t: the next token, one of the V entries of the vocabulary;
    - policy π_θ(a | s): the model's next-token distribution, the softmax of its logits;
    - transition: deterministic; the new state is the old one with a_t appended;
    - episode (trajectory): the tokens from the first one to <|endoftext|> or the length limit;
    - reward R: a score of the finished response, given once, at the end (sparse);
    - value V(s): the reward expected from state s onwards when following π.

    The objective is the expected reward of the policy's own responses,

        J(θ) = E_{x ~ prompts, y ~ π_θ(·|x)} [ R(x, y) ],   π_θ(y|x) = Π_t π_θ(y_t | x, y_<t).

    A toy episode: the state is "User: ... Assistant:", the policy picks the action " Hey", \
    the state becomes "... Assistant: Hey", the next action is " there!", then " Imagine", \
    and so on until it picks <|endoftext|>; every reward along the way is 0 except the \
    last one. Below is one real episode of the SFT model: every row is one decision, with the \
    probability the policy gave to the token it picked. The reward is zero at every step \
    except the last, when the finished answer is judged. (RL samples from the policy \
    itself, at temperature 1, as the course's held-out evaluation does.)
    """)

/// The settings of this chapter, with the usual ranges.
struct RLBasicsSettings {
    /// Prompts per step (M) and responses sampled per prompt (G, the group of the
    /// leave-one-out baseline); the batch holds N = M·G responses. RLOO and GRPO use G = 4-16.
    var promptsPerStep = 4, samplesPerPrompt = 4
    /// Longest response, in tokens. Answers that hit it are cut off and cannot end with a
    /// question, so the policy also has to learn to finish.
    var maxNewTokens: Int
    /// REINFORCE steps of each run, and seeds per baseline.
    var steps: Int, seeds: Int
    /// The step size of Adam on the adapter. LoRA on this model trains well at 1e-3 to 3e-3.
    var learningRate: Float = 2e-3
    /// A step size five times larger, found by trying (lr 5e-3 already degenerates the
    /// text, 2e-2 breaks it on the first step), and the steps of its run.
    var largeLearningRate: Float = 1e-2, largeSteps: Int
    /// Prompts (each sampled G times) for measuring the gradient's variance.
    var variancePrompts: Int
    /// Prompts (each sampled G times) drawn from the start policy for importance sampling.
    var importancePrompts: Int
    /// LoRA adapter of the policy: rank r, scale α; no dropout, so that the log-probs of the
    /// training pass are exactly those of the sampling pass.
    var lora = LoRAConfig(rank: 16, alpha: 32, dropout: 0)
}
var settings = RLBasicsSettings(maxNewTokens: 48, steps: options.budget(full: 24, quick: 4), seeds: 3,
                                largeSteps: options.budget(full: 24, quick: 4), variancePrompts: 16, importancePrompts: 32)
if options.quick { (settings.maxNewTokens, settings.seeds, settings.variancePrompts, settings.importancePrompts) = (32, 2, 6, 8) }
chapter.setting("prompts per step", settings.promptsPerStep)
chapter.setting("samples per prompt", settings.samplesPerPrompt)
chapter.setting("max new tokens", settings.maxNewTokens)
chapter.setting("learning rate", Double(settings.learningRate))
chapter.setting("large learning rate", Double(settings.largeLearningRate))

// What chapters 01 and 02 left behind: the SFT policy, with a fresh adapter on top.
let policy = chapter.loadSFTPolicy(lora: settings.lora)
let (model, tokenizer) = (policy.model, policy.tokenizer)
let world = SyntheticWorld(seed: options.seed)
let judge = GoldJudge()

/// Sampling from the policy itself: temperature 1, no top-k or top-p, so that the samples
/// follow π_θ exactly, as the policy-gradient theorem requires.
let onPolicy = SamplingSettings()

// ---------------------------------------------------------------------------------------
// The walk-through: one episode, step by step.
var walkRNG = chapter.random("walk-through")
let walkPrompt = world.evaluationPrompts[0]
let episode = sampleRollouts(policy: model, tokenizer: tokenizer, prompts: [walkPrompt.text],
                             maxNewTokens: settings.maxNewTokens, sampling: onPolicy, rng: &walkRNG)[0]

/// The reward of this chapter: the gold judge's "engaging question" points. The last
/// sentence is a question to the child ("you", "your"): 1.5; a question to nobody in
/// particular: 0.75; otherwise 0; three or more questions cost 0.75 each, down to -1.5.
func reward(_ prompt: Prompt, _ response: String) -> Float {
    Float(judge.score(prompt, response: response)[GoldJudge.Criterion.engagingQuestion.rawValue])
}

func shown(_ text: String) -> String {
    text.replacingOccurrences(of: "\n", with: "⏎")
}
var walkRows: [[any TableValue]] = []
let walkTokens = episode.responseTokens
// The first six decisions and the last two (all of them for a short episode).
let shownSteps = walkTokens.count > 8
    ? Array(0..<6) + [walkTokens.count - 2, walkTokens.count - 1] : Array(walkTokens.indices)
for t in shownSteps {
    let before = tokenizer.decode(episode.promptTokens + Array(walkTokens.prefix(t)))
    let state = "…" + shown(String(before.suffix(26)))
    let isLast = t == walkTokens.count - 1
    walkRows.append([t, state, "\"" + shown(tokenizer.decode([walkTokens[t]])) + "\"",
                     Double(exp(episode.logProbs[t])),
                     isLast ? Double(reward(walkPrompt, episode.response)) : 0.0])
    if t == 5 && walkTokens.count > 8 { walkRows.append(["…", "", "", "", ""]) }
}
chapter.table("one episode (prompt: \"\(walkPrompt.text)\")",
              columns: ["t", "state s_t (its end)", "action a_t", "π(a_t | s_t)", "reward r_t"], rows: walkRows)
chapter.sample(prompt: walkPrompt.text, response: episode.response,
               note: String(format: "the whole episode · %d tokens · log π(y|x) = %.1f · reward %.2f",
                            walkTokens.count, episode.logProbs.reduce(0, +), reward(walkPrompt, episode.response)))

// ---------------------------------------------------------------------------------------
chapter.section("The reward: ask the child a question back")
chapter.prose("""
    Real RLHF rewards come from a learned reward model (chapter 04). To study the RL part \
    alone we use a programmatic reward instead: one criterion of the gold judge, "engaging \
    question". A response earns 1.5 when its last sentence is a question to the child \
    ("What would you build with one?"), 0.75 for a question at the end that does not \
    address the child, and 0 otherwise; a quiz of three or more questions loses 0.75 for each \
    beyond two, down to -1.5. Few demonstrations ended that way, so the SFT model rarely \
    does it: there is room to learn, and the reward is sparse, a single number at the end of \
    the episode.

    The prompts are the training prompts of the "explain" and "how-to" families.
    """)
let trainingPrompts = world.trainPrompts.filter { $0.family == .explain || $0.family == .howTo }
chapter.say("\(trainingPrompts.count) training prompts (explain and how-to)")

// ---------------------------------------------------------------------------------------
chapter.section("The policy gradient and REINFORCE")
chapter.prose("""
    We want ∇_θ J, but J is an expectation over the policy's own samples, and sampling is \
    not differentiable. The log-derivative trick, ∇π = π ∇log π, moves the gradient inside:

        ∇_θ J = Σ_y R(x,y) ∇_θ π_θ(y|x) = E_{y~π_θ}[ R(x,y) ∇_θ log π_θ(y|x) ]
              = E[ Σ_t ∇_θ log π_θ(a_t | s_t) · R ].

    This is the policy-gradient theorem for an episode with one reward at the end (with \
    rewards along the way, each token would be weighted by the reward still to come). It \
    needs no model of the environment and no gradient of the reward: only samples, their \
    rewards, and the gradient of the log-probability of what was sampled. REINFORCE \
    (Williams, 1992) estimates it from N sampled responses and takes a step:

        ĝ = (1/N) Σ_i (R_i - b_i) Σ_t ∇_θ log π_θ(a_it | s_it),    θ ← θ + η ĝ.

    As a loss to minimize, L = -(1/N) Σ_i Â_i log π_θ(y_i|x_i) with Â_i = R_i - b_i held \
    constant. Responses better than the baseline b become more likely, worse ones less.

    Why a baseline is free: for any b that does not depend on the sampled response,
    E_y[ b ∇ log π(y|x) ] = b Σ_y ∇π(y|x) = b ∇ Σ_y π(y|x) = b ∇1 = 0,
    so subtracting it leaves the expected gradient unchanged. Its variance is not \
    unchanged: without a baseline every sampled response is pushed up whenever rewards are \
    positive, and the estimate relies on small differences between large pushes. The best \
    constant is close to the expected reward. Three choices:
    - no baseline, b = 0;
    - the batch mean, b = mean of all N rewards (it includes the sample itself, a bias of \
      order 1/N that is negligible here);
    - leave-one-out (RLOO): with G responses per prompt, b_i = the mean reward of the other \
      G - 1 responses to the same prompt: unbiased, and specific to the prompt.

    The policy network is the SFT model with a fresh LoRA adapter on top (B = 0, so it \
    starts exactly at π_SFT); the reference for KL is the same network with the adapter off. \
    Each step samples \(settings.samplesPerPrompt) responses to each of \(settings.promptsPerStep) \
    prompts (N = \(settings.promptsPerStep * settings.samplesPerPrompt)), up to \
    \(settings.maxNewTokens) tokens, at temperature 1, and takes one Adam step (lr \
    \(settings.learningRate), no clipping, no KL penalty: the plain algorithm).
    """)

/// Runs REINFORCE from the SFT policy with a fresh adapter (Course's loop, with this
/// chapter's reward, prompts and sizes).
func reinforce(baseline: PolicyGradientBaseline, learningRate: Float, steps: Int, seed: Int, label: String,
               snapshotSteps: Set<Int> = []) -> ReinforceRun {
    REINFORCE(model: model, tokenizer: tokenizer, prompts: trainingPrompts, reward: reward,
              promptsPerStep: settings.promptsPerStep, samplesPerPrompt: settings.samplesPerPrompt,
              maxNewTokens: settings.maxNewTokens, lora: settings.lora)
        .run(baseline: baseline, learningRate: learningRate, steps: steps, seed: seed, label: label,
             snapshotSteps: snapshotSteps, chapter: chapter)
}

// ---------------------------------------------------------------------------------------
chapter.section("Experiment 1: REINFORCE with and without a baseline")
chapter.prose("""
    Each baseline is run with \(settings.seeds) seeds for \(settings.steps) steps; a seed fixes \
    the adapter's initialization, the prompts and the sampling stream, and is shared by the \
    three baselines. The curve is the mean reward of each step's batch, averaged over the \
    seeds, with a band of ± one standard deviation across seeds.
    """)
let baselines = PolicyGradientBaseline.allCases
var runs: [PolicyGradientBaseline: [ReinforceRun]] = [:]
let snapshotSteps = Set([0, 1, 2, 4, 6, 9, 12, 16, 20, 24, settings.steps].filter { $0 <= settings.steps })
for baseline in baselines {
    runs[baseline] = (0..<settings.seeds).map { seed in
        reinforce(baseline: baseline, learningRate: settings.learningRate, steps: settings.steps, seed: seed,
                  label: "\(baseline.rawValue), seed \(seed)",
                  snapshotSteps: baseline == .leaveOneOut ? (seed == 0 ? snapshotSteps : [settings.steps]) : [])
    }
}

/// Mean and standard deviation across runs at every step.
func acrossSeeds(_ series: [[Double]]) -> (mean: [Double], spread: [Double]) {
    let steps = series.map(\.count).min() ?? 0
    let columns = (0..<steps).map { k in series.map { $0[k] } }
    return (columns.map(mean), columns.map(standardDeviation))
}
/// Mean of the last few entries of a series (a steadier end point than the last batch).
func tailMean(_ series: [Double], _ count: Int = 4) -> Double {
    let tail = series.suffix(count)
    return tail.reduce(0, +) / Double(max(tail.count, 1))
}

var rewardSeries: [PlotSeries] = []
var baselineRows: [[any TableValue]] = []
for baseline in baselines {
    let seeds = runs[baseline]!
    let curve = acrossSeeds(seeds.map(\.rewards))
    rewardSeries.append(PlotSeries(baseline.rawValue, x: curve.mean.indices.map(Double.init), y: curve.mean, spread: curve.spread))
    let finals = seeds.map { tailMean($0.rewards) }
    baselineRows.append([baseline.rawValue, curve.mean[0], mean(finals), standardDeviation(finals),
                         mean(seeds.map { tailMean($0.k3) }), mean(seeds.map { tailMean($0.stopShare) })])
}
chapter.table("REINFORCE after \(settings.steps) steps (\(settings.seeds) seeds; end = mean of the last 4 batches)",
              columns: ["estimator", "reward at start", "reward at end", "± across seeds", "KL k3 at end (nats)",
                        "answers that stop"],
              rows: baselineRows)
let endRewards = Dictionary(uniqueKeysWithValues: baselines.map { baseline in
    (baseline, runs[baseline]!.map { tailMean($0.rewards) })
})
let endMeans = endRewards.mapValues { $0.reduce(0, +) / Double($0.count) }
let bestBaseline = baselines.max { endMeans[$0]! < endMeans[$1]! }!
let worstBaseline = baselines.min { endMeans[$0]! < endMeans[$1]! }!
func summary(_ baseline: PolicyGradientBaseline) -> String {
    let values = endRewards[baseline]!
    let mean = values.reduce(0, +) / Double(values.count)
    return String(format: "%.2f (seeds: %@)", mean, values.map { String(format: "%.2f", $0) }.joined(separator: ", "))
}
chapter.figure(.lines(
    "reinforce-baselines", title: "REINFORCE on the engaging-question reward: mean ± std over \(settings.seeds) seeds",
    x: PlotAxis("REINFORCE step"), y: PlotAxis("mean reward of the batch", unit: "points, max 1.5"),
    series: rewardSeries))

chapter.prose("""
    Mean reward over the last four batches: no baseline \(summary(.none)); batch mean \
    \(summary(.batchMean)); leave-one-out \(summary(.leaveOneOut)). All three climb, as they \
    must: the expected gradient is the same. Here "\(bestBaseline.rawValue)" ends highest and \
    "\(worstBaseline.rawValue)" lowest, but \(settings.seeds) seeds of \(settings.steps) steps are a \
    small experiment, and differences the size of the bands are not evidence; the noise of \
    the gradient, measured directly below, is. Note also how slowly every run starts: a \
    reward that almost never occurs gives almost no gradient, which is why RLHF starts from \
    an SFT model that already does the right thing now and then.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("How noisy is each estimator?")
chapter.prose("""
    The curves show the outcome; the cause is the noise of the gradient estimate. To measure \
    it, fix the policy, sample \(settings.variancePrompts) prompts × \(settings.samplesPerPrompt) \
    responses, and compute for every response its own score-function gradient \
    g_i = ∇_θ log π_θ(y_i|x_i) over the adapter's weights (one backward pass each). Each \
    estimator's per-sample estimate is e_i = Â_i g_i, on the very same samples; its mean is \
    the gradient the estimator points at, and its total variance tr Cov(e) = \
    1/(n-1) Σ_i ‖e_i - ē‖² is the noise (a batch of N responses has 1/N of it). We measure \
    at the start policy, where the reward is rare, and at the policy that the leave-one-out \
    run with the highest final reward (of the \(settings.seeds) seeds) ended with, where it is common.
    """)
var varianceRNG = chapter.random("variance samples")
let probe = LoRAAdapter(config: settings.lora, for: model.config, rng: &varianceRNG)
/// Loads saved adapter weights into the probe adapter and makes it the model's adapter.
func usePolicy(_ snapshot: WeightSnapshot) {
    model.adapter = probe
    snapshot.restore(into: probe.parameters)
}
let loo = runs[.leaveOneOut]![0]
/// The leave-one-out seed whose last batches scored highest: the policy where the reward is common.
let richest = runs[.leaveOneOut]!.max { tailMean($0.rewards) < tailMean($1.rewards) }!
var varianceRows: [[any TableValue]] = []
var noiseRatios: [String: Double] = [:]
var varianceMeanRewards: [String: Double] = [:]
for (name, snapshot) in [("start (SFT)", loo.snapshots[0]!), ("after \(settings.steps) steps", richest.snapshots[settings.steps]!)] {
    usePolicy(snapshot)
    let prompts = (0..<settings.variancePrompts).flatMap { _ in
        Array(repeating: trainingPrompts[varianceRNG.int(below: trainingPrompts.count)], count: settings.samplesPerPrompt)
    }
    let rollouts = sampleRollouts(policy: model, tokenizer: tokenizer, prompts: prompts.map(\.text),
                                  maxNewTokens: settings.maxNewTokens, sampling: onPolicy, rng: &varianceRNG)
    let rewards = zip(prompts, rollouts).map { reward($0, $1.response) }
    let gradients = scoreFunctionGradients(of: rollouts, under: model, parameters: probe.parameters)
    let meanReward = Double(rewards.reduce(0, +)) / Double(rewards.count)
    varianceMeanRewards[name] = meanReward
    var noBaselineVariance = 0.0
    for baseline in baselines {
        let spread = gradientSpread(scoreGradients: gradients,
                                    advantages: baseline.advantages(rewards: rewards, groupSize: settings.samplesPerPrompt))
        if baseline == .none { noBaselineVariance = spread.totalVariance }
        // (Both zero when every reward is equal: then there is nothing to reduce.)
        let ratio = spread.totalVariance > 0 ? noBaselineVariance / spread.totalVariance : 1
        noiseRatios["\(name)/\(baseline.rawValue)"] = ratio
        varianceRows.append([name, baseline.rawValue, meanReward, spread.meanNorm, spread.totalVariance, ratio])
    }
}
chapter.table("per-sample gradient estimates e_i = Â_i ∇log π(y_i|x_i) (\(settings.variancePrompts * settings.samplesPerPrompt) responses per policy)",
              columns: ["policy", "estimator", "mean reward", "‖mean estimate‖", "total variance tr Cov(e)",
                        "variance reduction (no baseline / this)"],
              rows: varianceRows)
for (key, value) in noiseRatios.sorted(by: { $0.key < $1.key }) where !key.hasSuffix(PolicyGradientBaseline.none.rawValue) {
    chapter.result("variance ratio, \(key)", value, unit: "x")
}
// The lesson of experiment 1, drawn: the noise of each estimator, at both policies.
var varianceByPolicy: [String: [PolicyGradientBaseline: Double]] = [:]
for row in varianceRows {
    let policyName = row[0].tableText, estimator = PolicyGradientBaseline(rawValue: row[1].tableText)!
    varianceByPolicy[policyName, default: [:]][estimator] = row[4].tableNumber ?? 0
}
let variancePolicies = ["start (SFT)", "after \(settings.steps) steps"]
chapter.figure(.bars(
    "gradient-variance", title: "Noise of one sample's policy-gradient estimate, tr Cov(Â g), same samples",
    categories: variancePolicies, y: PlotAxis("total variance over the adapter's weights", logarithmic: true),
    series: baselines.map { baseline in
        PlotSeries(baseline.rawValue, y: variancePolicies.map { varianceByPolicy[$0]?[baseline] ?? 0 })
    }))
let endKey = "after \(settings.steps) steps"
/// Leave-one-out advantages are G/(G-1) times the reward minus the group mean: the same
/// direction with a longer step. Removing that factor compares the noise per unit of step.
let looScale = pow(Double(settings.samplesPerPrompt - 1) / Double(settings.samplesPerPrompt), 2)
let looRescaled = (noiseRatios["\(endKey)/\(PolicyGradientBaseline.leaveOneOut.rawValue)"] ?? 0) / looScale
chapter.result("variance ratio, \(endKey)/leave-one-out rescaled by ((G-1)/G)²", looRescaled, unit: "x")
chapter.headline(String(format: "REINFORCE lifts the question reward %.2f → %.2f; a batch-mean baseline cuts the gradient's variance %.1f-fold",
                        mean(runs[.leaveOneOut]!.map { $0.rewards[0] }), endMeans[.leaveOneOut] ?? 0,
                        noiseRatios["\(endKey)/\(PolicyGradientBaseline.batchMean.rawValue)"] ?? 0))
let howOften = (varianceMeanRewards[endKey] ?? 0) > 0.25 ? "often" : "more often"
chapter.prose("""
    Every row uses the same responses and the same g_i; only the weights Â_i differ. The \
    differences between the mean estimates are noise too: without a baseline the mean \
    carries an extra b · mean_i(g_i), zero in expectation but large in one sample.

    At the start the reward is rare (mean \(String(format: "%.3f", varianceMeanRewards["start (SFT)"] ?? 0))): \
    almost every R is 0, so R and R - b are nearly the same numbers and a baseline changes \
    little (variance ratio \(String(format: "%.2f", noiseRatios["start (SFT)/\(PolicyGradientBaseline.batchMean.rawValue)"] ?? 0))). \
    Once the policy asks questions \(howOften) \
    (mean \(String(format: "%.2f", varianceMeanRewards[endKey] ?? 0))), more responses get a sizeable positive reward, \
    and without a baseline each one is pushed up, relying on small differences between \
    large pushes: the batch-mean baseline then cuts the variance \
    \(String(format: "%.1f", noiseRatios["\(endKey)/\(PolicyGradientBaseline.batchMean.rawValue)"] ?? 0))-fold. \
    The leave-one-out advantage is G/(G-1) = \(settings.samplesPerPrompt)/\(settings.samplesPerPrompt - 1) \
    times (R_i - group mean), a longer step in the same direction; with that factor removed \
    its variance is \(String(format: "%.1f", looRescaled))x below no baseline. In general the \
    gain from a constant baseline is 1 + mean(R)²/Var(R) or so (when ‖g‖ does not depend \
    on R): nothing for a centred reward, a lot for a reward with a large offset, such as \
    the always-positive scores of a reward model.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Experiment 2: a step that is too large")
chapter.prose("""
    The policy gradient says which direction improves the reward here, at the current \
    policy, for an infinitesimal step. It says nothing about how far that direction stays \
    good. In supervised learning a bad step is corrected by the next batch, because the data \
    do not change. In RL the policy writes its own data: a step that breaks the policy makes \
    it sample broken responses, whose gradients are meaningless, and it may never come back.

    Below, the leave-one-out run at lr \(settings.learningRate) (seed 0, from above) is set \
    against the same run at lr \(settings.largeLearningRate). Beside the reward we track how far \
    the policy has moved from where it started, KL(π_θ ‖ π_ref) for whole responses, \
    estimated from each batch with k1 = Σ_t log(π_θ/π_ref) and k3 = Σ_t [(r - 1) - log r], \
    r = π_ref/π_θ (unbiased, and never negative).
    """)
let large = reinforce(baseline: .leaveOneOut, learningRate: settings.largeLearningRate, steps: settings.largeSteps,
                      seed: 0, label: "leave-one-out, lr \(settings.largeLearningRate)",
                      snapshotSteps: Set([0, 1, 2, 3, 4, 6, 8, 12, settings.largeSteps].filter { $0 <= settings.largeSteps }))
let normalLabel = "lr \(settings.learningRate)", largeLabel = "lr \(settings.largeLearningRate)"
func steps(_ series: [Double]) -> [Double] { series.indices.map(Double.init) }
chapter.figure(.lines(
    "step-size-reward", title: "Reward under REINFORCE (leave-one-out) at two step sizes",
    x: PlotAxis("REINFORCE step"), y: PlotAxis("mean reward of the batch", unit: "points, max 1.5"),
    series: [PlotSeries(normalLabel, x: steps(loo.rewards), y: loo.rewards),
             PlotSeries(largeLabel, x: steps(large.rewards), y: large.rewards)]))
/// A KL curve for a logarithmic axis: the steps where the estimate is positive (at step 0
/// the policy is the reference and the estimates are 0 up to rounding).
func klSeries(_ label: String, _ values: [Double]) -> PlotSeries {
    let kept = values.indices.filter { $0 > 0 && values[$0] > 0 }
    return PlotSeries(label, x: kept.map(Double.init), y: kept.map { values[$0] })
}
chapter.figure(.lines(
    "step-size-kl", title: "Distance from the start: KL(π_θ ‖ π_ref) per response",
    x: PlotAxis("REINFORCE step"), y: PlotAxis("KL estimate", unit: "nats per response", logarithmic: true),
    series: [klSeries("\(normalLabel), k1", loo.k1), klSeries("\(normalLabel), k3", loo.k3),
             klSeries("\(largeLabel), k1", large.k1), klSeries("\(largeLabel), k3", large.k3)]
        .filter { !$0.x.isEmpty }))
let largePeak = large.rewards.enumerated().max { $0.element < $1.element }!
chapter.table("two step sizes (leave-one-out baseline, seed 0)",
              columns: ["learning rate", "reward at start", "best batch reward (step)", "reward at end",
                        "KL k1 at end", "KL k3 at end", "answers that stop at end", "mean length at end (tokens)"],
              rows: [
                  [normalLabel, loo.rewards[0], String(format: "%.3f (%d)", loo.rewards.max()!, loo.rewards.firstIndex(of: loo.rewards.max()!)!),
                   loo.rewards.last!, loo.k1.last!, loo.k3.last!, loo.stopShare.last!, loo.lengths.last!],
                  [largeLabel, large.rewards[0], String(format: "%.3f (%d)", largePeak.element, largePeak.offset),
                   large.rewards.last!, large.k1.last!, large.k3.last!, large.stopShare.last!, large.lengths.last!],
              ])
chapter.result("best batch reward at the large lr", largePeak.element)
chapter.result("reward at the end, large lr", large.rewards.last!)
chapter.result("KL k3 at the end, large lr", large.k3.last!, unit: "nats")
chapter.result("KL k3 at the end, normal lr", loo.k3.last!, unit: "nats")
for (note, pair) in [("start", large.first!), ("\(normalLabel), after \(settings.steps) steps", loo.last!),
                     ("\(largeLabel), after \(settings.largeSteps) steps", large.last!)] {
    chapter.sample(prompt: pair.0.text, response: pair.1.response,
                   note: String(format: "%@ · reward %.2f", note, reward(pair.0, pair.1.response)))
}
chapter.prose("""
    At lr \(settings.largeLearningRate) the reward jumps (best batch \(String(format: "%.2f", largePeak.element)) \
    at step \(largePeak.offset), when the normal run stood at \(String(format: "%.2f", loo.rewards[min(largePeak.offset, loo.rewards.count - 1)]))), \
    but the KL to the start is already \(String(format: "%.0f", large.k3[largePeak.offset])) nats per response \
    (\(String(format: "%.1f", loo.k3[min(largePeak.offset, loo.k3.count - 1)])) for the normal run); a few \
    steps later the text has degenerated into fragments of words, the reward is \(String(format: "%.2f", large.rewards.last!)), \
    and the KL is \(String(format: "%.0f", large.k3.last!)) nats per response. Broken responses \
    almost never end with a question, so nearly every advantage is zero and the gradient \
    has nothing to climb back along: the collapse does not undo itself. Nothing in plain REINFORCE limits how far \
    one update moves the policy, and a step in weight space is a poor proxy for a step in \
    behaviour: a small change to a few weights can move the distribution over responses a lot.

    The normal run is not innocent either: its KL reached \(String(format: "%.1f", loo.k3.last!)) nats \
    and its answers shrank from \(String(format: "%.0f", loo.lengths[0])) to \(String(format: "%.0f", loo.lengths.last!)) tokens. \
    The reward asks only for a question at the end, and nothing asks the answer to stay an \
    answer; RLHF adds a KL penalty to the reference for exactly this (chapter 06).
    """)

// ---------------------------------------------------------------------------------------
chapter.section("On-policy, off-policy and importance sampling")
chapter.prose("""
    REINFORCE is on-policy: its estimate is an expectation under π_θ, so every sample is \
    used for one step and then thrown away, because after the step the policy is different. \
    Sampling is the expensive part of RLHF, so we would like to reuse samples drawn from an \
    older policy μ (off-policy learning). Importance sampling corrects the expectation:

        E_{y~π}[f(y)] = E_{y~μ}[ w(y) f(y) ],   w(y) = π(y|x) / μ(y|x) = Π_t π(a_t|s_t) / μ(a_t|s_t).

    The estimate stays unbiased, but the weights are a product over every token of the \
    response, so they get heavy-tailed fast: E_μ[w²] = 1 + χ²(π‖μ) ≥ exp(KL(π‖μ)). The \
    effective sample size ESS = (Σw)²/Σw² counts how many equally weighted samples the \
    weighted set is worth; if log w is roughly normal, ESS/n ≈ exp(-2 KL(μ‖π)).

    To see it, we draw \(settings.importancePrompts) prompts × \(settings.samplesPerPrompt) \
    responses from the start policy μ = π_SFT once, and reweight them towards the policies \
    that the two runs above passed through (the adapter saved after k steps), and, to fill \
    in the region below a few nats, towards policies between μ and the end of the normal \
    run (its adapter's update ΔW scaled by λ < 1). For each, the \
    table gives the KL between the policies, the weights' variance and ESS, and what \
    importance sampling makes of μ's samples as an estimate of that policy's reward, against \
    the reward the policy actually got on its own samples.
    """)
var importanceRNG = chapter.random("importance samples")
model.adapter = probe
usePolicy(loo.snapshots[0]!)
let behaviourPrompts = (0..<settings.importancePrompts).flatMap { _ in
    Array(repeating: trainingPrompts[importanceRNG.int(below: trainingPrompts.count)], count: settings.samplesPerPrompt)
}
let behaviourRollouts = sampleRollouts(policy: model, tokenizer: tokenizer, prompts: behaviourPrompts.map(\.text),
                                       maxNewTokens: settings.maxNewTokens, sampling: onPolicy, rng: &importanceRNG)
let behaviourRewards = zip(behaviourPrompts, behaviourRollouts).map { Double(reward($0, $1.response)) }
/// log π(y_i | x_i) of the behaviour samples under the model as it is now.
func sequenceLogProbs() -> [Double] {
    Autograd.withoutGradients {
        var result: [Double] = []
        for start in stride(from: 0, to: behaviourRollouts.count, by: 32) {
            let chunk = Array(behaviourRollouts[start..<min(start + 32, behaviourRollouts.count)])
            result += responseLogProbs(of: chunk, under: model).sequenceSums.data.map(Double.init)
        }
        return result
    }
}
let behaviourLogProbs = sequenceLogProbs()
let n = Double(behaviourRollouts.count)

/// One target policy π for the behaviour samples: its importance weights, and what its own
/// samples said during training (nil for the interpolated policies, which never sampled).
struct ImportancePoint {
    var family: String, label: String
    var weights: ImportanceWeights
    var onPolicyKL: Double?, onPolicyReward: Double?
}
var points: [ImportancePoint] = []
for (runName, run) in [(normalLabel, loo), (largeLabel, large)] {
    for step in run.snapshots.keys.sorted() {
        usePolicy(run.snapshots[step]!)
        let weights = ImportanceWeights(targetLogProbs: sequenceLogProbs(), behaviourLogProbs: behaviourLogProbs)
        points.append(ImportancePoint(family: runName + " (steps of the run)", label: "\(runName), step \(step)",
                                      weights: weights, onPolicyKL: run.k3[step], onPolicyReward: run.rewards[step]))
    }
}
// Policies between μ and the end of the normal run, for the region below one nat: the
// adapter's update ΔW = (α/r)·A·B scaled by λ (B multiplied by λ).
let finalAdapter = loo.snapshots[settings.steps]!
let interpolationLabel = "\(normalLabel), step \(settings.steps), update × λ"
for lambda in [0.02, 0.04, 0.07, 0.1, 0.15, 0.25, 0.4] {
    usePolicy(finalAdapter)
    for pair in probe.layers.flatMap(\.pairs.values) { pair.b.data = pair.b.data.map { $0 * Float(lambda) } }
    let weights = ImportanceWeights(targetLogProbs: sequenceLogProbs(), behaviourLogProbs: behaviourLogProbs)
    points.append(ImportancePoint(family: interpolationLabel, label: "update × \(lambda)", weights: weights,
                                  onPolicyKL: nil, onPolicyReward: nil))
}
/// A table cell for a number that may be missing.
func cell(_ value: Double?) -> any TableValue { value.map { $0 as any TableValue } ?? "–" }
var importanceRows: [[any TableValue]] = []
for p in points {
    let w = p.weights
    importanceRows.append([p.label, w.behaviourToTargetKL, cell(p.onPolicyKL), w.weightVariance,
                           w.normalizedWeightVariance, w.effectiveSampleSize, w.effectiveSampleSize / n, w.largestShare,
                           cell(p.onPolicyReward), w.estimate(of: behaviourRewards),
                           w.selfNormalizedEstimate(of: behaviourRewards)])
}
chapter.table("importance weights of \(Int(n)) responses from the start policy μ, towards π (a policy of the runs)",
              columns: ["target policy π", "KL(μ‖π) from μ's samples", "KL(π‖μ) on-policy (k3)", "Var(w)",
                        "Var(w)/w̄²", "ESS", "ESS / n", "largest weight share", "reward of π (own samples)",
                        "IS estimate", "self-normalized IS"],
              rows: importanceRows)
// Figures on logarithmic axes: the policies that moved (KL > 0), per family, in order of KL.
let families = [interpolationLabel, normalLabel + " (steps of the run)", largeLabel + " (steps of the run)"]
var essSeries: [PlotSeries] = []
var varianceSeries: [PlotSeries] = []
for family in families {
    let moved = points.filter { $0.family == family && $0.weights.behaviourToTargetKL > 0 }
        .sorted { $0.weights.behaviourToTargetKL < $1.weights.behaviourToTargetKL }
    guard !moved.isEmpty else { continue }
    essSeries.append(PlotSeries(family, x: moved.map(\.weights.behaviourToTargetKL),
                                y: moved.map { $0.weights.effectiveSampleSize / n }))
    let spread = moved.filter { $0.weights.weightVariance > 1e-12 }
    if !spread.isEmpty {
        varianceSeries.append(PlotSeries(family, x: spread.map(\.weights.behaviourToTargetKL),
                                         y: spread.map(\.weights.weightVariance)))
    }
}
let largestKL = max(points.map(\.weights.behaviourToTargetKL).max() ?? 1, 1)
let klGrid = (0...60).map { 0.01 * pow(largestKL / 0.01, Double($0) / 60) }
// The log-normal formulas, drawn until they pass a tenth of what n samples can show.
let formulaGrid = klGrid.filter { exp(2 * $0) <= 10 * n }
essSeries.append(PlotSeries("log-normal weights: exp(-2 KL)", x: formulaGrid, y: formulaGrid.map { exp(-2 * $0) }))
varianceSeries.append(PlotSeries("log-normal weights with mean 1: exp(2 KL) - 1", x: formulaGrid,
                                 y: formulaGrid.map { exp(2 * $0) - 1 }))
chapter.figure(.lines(
    "importance-ess", title: "Effective sample size of \(Int(n)) samples from μ, reweighted towards π",
    x: PlotAxis("KL(μ ‖ π) per response", unit: "nats", logarithmic: true), y: PlotAxis("ESS / n", logarithmic: true),
    series: essSeries, references: [.horizontal(1 / n, "one sample")]))
chapter.figure(.lines(
    "importance-variance", title: "Variance of the sequence-level importance weights w = π(y|x) / μ(y|x)",
    x: PlotAxis("KL(μ ‖ π) per response", unit: "nats", logarithmic: true),
    y: PlotAxis("Var(w) over μ's samples", logarithmic: true),
    series: varianceSeries))
let halfESS = points.filter { $0.weights.effectiveSampleSize <= n / 2 }.min { $0.weights.behaviourToTargetKL < $1.weights.behaviourToTargetKL }
if let halfESS {
    chapter.result("smallest KL(μ‖π) with ESS ≤ n/2 (\(halfESS.label))", halfESS.weights.behaviourToTargetKL, unit: "nats")
}
let halfESSSentence = halfESS.map {
    String(format: "Here the first policy whose ESS is n/2 or less sits %.2f nats from μ (%@).",
           $0.weights.behaviourToTargetKL, $0.label)
} ?? "Here no policy came close enough to μ to keep half its samples."
if let worst = points.min(by: { $0.weights.effectiveSampleSize < $1.weights.effectiveSampleSize }) {
    chapter.result("smallest ESS (\(worst.label))", worst.weights.effectiveSampleSize, unit: "of \(Int(n))")
}
chapter.prose("""
    At KL = 0 every weight is 1 and all n samples count. Under the log-normal model, \
    log w ~ N(−s²/2, s²) (the mean that makes E_μ[w] = 1) gives KL(μ‖π) = E_μ[−log w] = s²/2 \
    and E_μ[w²] = e^{s²}, so ESS/n ≈ 1/E_μ[w²] = exp(−2 KL) and Var(w) = exp(2 KL) − 1: half \
    the samples are gone at KL = ln 2 / 2 ≈ 0.35 nats. \(halfESSSentence) A few nats away a \
    handful of responses \
    carry nearly all the weight, and the estimates of the target's reward fall behind the \
    reward it really gets. Further still the weighted sample stops describing π at all: π \
    puts its mass on responses μ never wrote, every weight is tiny, so the raw Var(w) even \
    shrinks (the sample cannot show the variance it is missing), the ordinary estimate goes \
    to zero, and the self-normalized one repeats the reward of whichever sample happens to \
    dominate. Off-policy reuse is only trustworthy while the new policy stays close to the \
    one that sampled; PPO reuses each batch for a few epochs for exactly that reason, and \
    no more.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Why plain policy gradient is fragile, and what comes next")
chapter.prose("""
    Everything in this chapter points to one missing piece: a limit on how far each update \
    may move the policy, measured in behaviour (KL), not in weights.
    - The estimate is noisy. Baselines help (measured above), but every step still follows \
      a direction estimated from \(settings.promptsPerStep * settings.samplesPerPrompt) samples.
    - The step size is a guess. Too small wastes samples; too large leaves the region where \
      the gradient was informative, and the policy collapses into text the reward cannot \
      correct, with the KL to the start exploding.
    - Samples are single-use. Importance weights could recycle them, but only close to the \
      sampling policy, and their variance explodes with the KL.

    TRPO (chapter 05) maximizes the importance-weighted objective subject to a hard limit \
    on the KL between the old and the new policy, with a natural-gradient step and a line \
    search. PPO (chapter 06) gets most of the benefit with a first-order trick, clipping the \
    per-token ratio π/π_old to [1 - ε, 1 + ε], and adds a KL penalty to the reference as \
    RLHF does. Both stand on the pieces built here: rollouts, log-probs, baselines, \
    importance ratios and KL estimates.
    """)
chapter.finish()
