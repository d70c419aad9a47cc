// Chapter 09: TPO, test-time preference optimization, with no weight update.
//
// Improves the SFT policy's answers at inference with chapter 04's reward model: sample,
// score, keep a cache, contrast the best and the worst answer, steer the next samples by
// that contrast, and answer with the best in the cache. Against best-of-N and "revision" at
// the same number of reward-model calls. Writes runs/09-tpo/evaluation.json.
import Course
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter(CourseChapter.tpo, title: "TPO: preference optimization at test time", options: options)

chapter.section("Alignment at training time, and at test time")
chapter.prose("""
    Every method so far changes the weights: the preferences are spent once, in training, \
    and every later answer benefits. Test-time methods leave the weights alone and spend \
    compute on each answer instead: best-of-N (chapter 04) samples N answers and keeps the \
    reward model's favourite. Test-time preference optimization (TPO; Li et al., 2025) \
    goes further: it iterates, using what the reward model said about earlier samples to \
    guide the next ones. For one prompt:

        1. sample N answers, score each with the reward model, put all of them in a cache;
        2. repeat D times:
           chosen = the best answer in the cache, rejected = the worst;
           textual loss = what separates them; textual gradient = how to change an answer
           in that direction;
           sample N new answers guided by the gradient, score them, add them to the cache;
        3. answer with the best in the cache.

    The best in the cache can never get worse (it is a maximum over a set that only \
    grows), and it costs N(D + 1) reward-model calls and as many sampled answers per prompt.

    In the paper the loss and the gradient are text: the model itself writes why the \
    chosen answer is better and how to revise the rejected one, and the next samples are \
    conditioned on that critique. A model of two million weights cannot write critiques, \
    so this chapter keeps the loop and makes loss and gradient concrete operations on \
    tokens: the loss is the contrast, the tokens the chosen answer uses that the rejected \
    one does not and the reverse; the gradient is a logit bias, +α on the first set and \
    −α on the second, added to the model's logits when it samples the next answers. The \
    model sees only the prompt; the bias tilts its choices toward the chosen answer's \
    words and away from the rejected one's. Nothing reads the gold judge. (Hugging Face's \
    TRL has a "TPO" trainer too, "triple preference optimization": a training method of \
    the DPO family, not this one.)

    Two baselines spend the same N(D + 1) reward-model calls: best-of-N(D + 1), all samples \
    drawn at once and the best kept; and "revision" as the paper defines it, the same loop \
    with the chosen answer alone (bias toward its tokens, nothing away from the rejected one).
    """)

// ---------------------------------------------------------------------------------------
let loaded = chapter.loadAlignmentStart()
let (policy, rewardModel, world, fullEvaluation, baseline) = (loaded.policy, loaded.rewardModel, loaded.world, loaded.evaluator, loaded.baseline)
let (model, tokenizer) = (policy.model, policy.tokenizer)
let judge = GoldJudge()

/// The settings: the paper's N = 5 and temperature 0.7, D iterations, the bias strength α.
struct TPOSettings {
    var n = 5, iterations: Int, temperature: Float = 0.7, strength: Float = 1
    /// Held-out prompts (the first of the course's evaluation, the running examples first).
    var prompts: Int
    var maxNewTokens: Int
}
let settings = options.quick
    ? TPOSettings(iterations: 2, prompts: 8, maxNewTokens: 32)
    : TPOSettings(iterations: 3, prompts: 64, maxNewTokens: HeldOutEvaluation.maxNewTokens)
let calls = settings.n * (settings.iterations + 1)
chapter.setting("N", settings.n)
chapter.setting("D", settings.iterations)
chapter.setting("temperature", Double(settings.temperature))
chapter.setting("strength", Double(settings.strength))
let evaluation = fullEvaluation.prefix(settings.prompts)
let prompts = evaluation.prompts
let sampling = SamplingSettings(temperature: settings.temperature)

/// Samples `each` answers to every prompt, prompt i's with bias `biases[i]` (none when nil),
/// and scores them.
func sample(each: Int, biases: [[Float]]?, rng: inout RandomGenerator) -> (answers: [[Rollout]], rewards: [[Float]]) {
    let requests = prompts.flatMap { Array(repeating: $0.text, count: each) }
    let flatBiases = biases.map { b in b.flatMap { Array(repeating: $0, count: each) } }
    let rollouts = model.withAdapterDisabled {
        sampleRollouts(policy: model, tokenizer: tokenizer, prompts: requests, maxNewTokens: settings.maxNewTokens,
                       sampling: sampling, batchSize: 64, logitBiases: flatBiases, rng: &rng)
    }
    let rewards = rewardModel.score(rollouts, batchSize: 64)
    return (prompts.indices.map { Array(rollouts[($0 * each)..<(($0 + 1) * each)]) },
            prompts.indices.map { Array(rewards[($0 * each)..<(($0 + 1) * each)]) })
}

/// What one run of the loop recorded, per iteration (0 = the first samples), as means over
/// prompts, and each prompt's final cache.
struct LoopRun {
    var bestReward: [Double] = [], batchReward: [Double] = [], bestGold: [Double] = [], batchGold: [Double] = []
    var caches: [TPOCache] = []
    var tokens = 0
    var trace: [String] = []
}

/// TPO (`useRejected`) or revision (chosen only), D iterations of N samples per prompt.
func testTimeLoop(_ label: String, useRejected: Bool, traceFirstPrompt: Bool) -> LoopRun {
    var rng = chapter.random("samples \(label)")
    var run = LoopRun(caches: prompts.map { _ in TPOCache() })
    let V = model.config.vocabularySize
    var biases: [[Float]]? = nil
    let progress = chapter.progress(label, total: settings.iterations + 1)
    for iteration in 0...settings.iterations {
        let (answers, rewards) = sample(each: settings.n, biases: biases, rng: &rng)
        for p in prompts.indices { run.caches[p].add(answers[p], rewards: rewards[p]) }
        run.tokens += answers.flatMap { $0 }.map(\.responseTokens.count).reduce(0, +)
        let gold = prompts.indices.map { p in answers[p].map { judge.score(prompts[p], response: $0.response).total } }
        run.batchReward.append(mean(rewards.flatMap { $0 }.map(Double.init)))
        run.batchGold.append(mean(gold.flatMap { $0 }))
        run.bestReward.append(mean(run.caches.map { Double($0.best.reward) }))
        run.bestGold.append(mean(prompts.indices.map { judge.score(prompts[$0], response: run.caches[$0].best.answer.response).total }))
        for (name, value) in [("best reward", run.bestReward.last!), ("batch reward", run.batchReward.last!),
                              ("best gold", run.bestGold.last!), ("batch gold", run.batchGold.last!)] {
            chapter.log(label, step: iteration, name, value)
        }
        // The textual loss and gradient for the next samples.
        let contrasts = run.caches.map { cache in
            TokenContrast(chosen: cache.best.answer.responseTokens, rejected: useRejected ? cache.worst.answer.responseTokens : [],
                          ignoring: [tokenizer.endOfText])
        }
        biases = contrasts.map { $0.logitBias(vocabularySize: V, strength: settings.strength) }
        if traceFirstPrompt {
            let cache = run.caches[0]
            run.trace.append(contentsOf: [
                "iteration \(iteration): new rewards " + rewards[0].map { String(format: "%.2f", $0) }.joined(separator: ", ")
                    + String(format: "; best in cache %.2f, worst %.2f", cache.best.reward, cache.worst.reward),
                "  feedback, more of: " + words(contrasts[0].chosenOnly) + (useRejected ? "; less of: " + words(contrasts[0].rejectedOnly) : ""),
            ])
        }
        progress.update(step: iteration + 1, ["best reward": run.bestReward.last!, "batch reward": run.batchReward.last!])
    }
    progress.finish()
    return run
}
/// Up to ten tokens of a contrast, as text.
func words(_ tokens: [Int]) -> String {
    tokens.prefix(10).map { "'" + tokenizer.decode([$0]).trimmingCharacters(in: .whitespacesAndNewlines) + "'" }.joined(separator: " ")
}

// ---------------------------------------------------------------------------------------
chapter.section("TPO on the notebook's question, step by step")
chapter.prose("""
    N = \(settings.n), D = \(settings.iterations), temperature \(settings.temperature), α = \(settings.strength), on the \
    first \(prompts.count) held-out prompts of the course's evaluation: \(calls) reward-model calls \
    and \(calls) sampled answers per prompt. The trace below follows the first prompt, \
    "\(prompts[0].text)": at each iteration the rewards of the new candidates, the best and \
    the worst in the cache, and the feedback, the tokens the gradient pushes toward and away \
    from.
    """)
let tpo = testTimeLoop("TPO", useRejected: true, traceFirstPrompt: true)
for line in tpo.trace { chapter.say(line) }
let firstCache = tpo.caches[0]
chapter.sample(prompt: prompts[0].text, response: firstCache.answers[0].response,
               note: String(format: "first sample · reward %.2f", firstCache.rewards[0]))
chapter.sample(prompt: prompts[0].text, response: firstCache.best.answer.response,
               note: String(format: "TPO's answer, the best in the cache · reward %.2f · gold %.2f", firstCache.best.reward,
                            judge.score(prompts[0], response: firstCache.best.answer.response).total))
chapter.sample(prompt: prompts[0].text, response: firstCache.worst.answer.response,
               note: String(format: "the worst in the cache · reward %.2f", firstCache.worst.reward))

chapter.section("TPO against revision and best-of-\(calls)")
let revision = testTimeLoop("revision", useRejected: false, traceFirstPrompt: false)
var bestRNG = chapter.random("samples best-of-N")
let (bestAnswers, bestRewards) = sample(each: calls, biases: nil, rng: &bestRNG)
let bestOfN = prompts.indices.map { bestAnswers[$0][bestIndex(bestRewards[$0])] }
let bestOfNReward = mean(prompts.indices.map { Double(bestRewards[$0].max()!) })
let bestOfNGold = mean(prompts.indices.map { judge.score(prompts[$0], response: bestOfN[$0].response).total })
let iterations = (0...settings.iterations).map(Double.init)
chapter.table("means over \(prompts.count) prompts, by iteration (reward-model calls so far: N × (iteration + 1))",
              columns: ["iteration", "calls", "TPO best reward", "TPO batch reward", "revision best", "revision batch",
                        "TPO best gold", "TPO batch gold", "revision best gold"],
              rows: (0...settings.iterations).map { (k: Int) -> [any TableValue] in
                  let counts: [any TableValue] = [k, settings.n * (k + 1)]
                  let rewards: [any TableValue] = [tpo.bestReward[k], tpo.batchReward[k], revision.bestReward[k], revision.batchReward[k]]
                  let golds: [any TableValue] = [tpo.bestGold[k], tpo.batchGold[k], revision.bestGold[k]]
                  return counts + rewards + golds
              })
/// TPO's and revision's curves of one measure (best in the cache, batch mean), beside best-of-N at the same calls.
func cacheFigure(_ name: String, title: String, y: PlotAxis, _ curves: [[Double]], bestOfN: Double) {
    let labels = ["TPO, best in cache", "TPO, batch mean", "revision, best in cache", "revision, batch mean"]
    chapter.figure(.lines(name, title: title, x: PlotAxis("iteration"), y: y,
                          series: zip(labels, curves).map { PlotSeries($0, x: iterations, y: $1) },
                          references: [.horizontal(bestOfN, "best-of-\(calls), same calls")]))
}
cacheFigure("reward", title: "TPO and revision: reward of the best in the cache and of each new batch", y: PlotAxis("reward-model score"),
            [tpo.bestReward, tpo.batchReward, revision.bestReward, revision.batchReward], bestOfN: bestOfNReward)
cacheFigure("gold", title: "The same in gold score", y: PlotAxis("gold score (0-10)"),
            [tpo.bestGold, tpo.batchGold, revision.bestGold, revision.batchGold], bestOfN: bestOfNGold)

// ---------------------------------------------------------------------------------------
chapter.section("The held-out measures")
let compute = PolicyEvaluation.Compute(trainingTokensSampled: 0, trainingSeconds: 0, rewardModelCallsPerPrompt: calls)
func answers(_ run: LoopRun) -> [Rollout] { run.caches.map(\.best.answer) }
// None of these answers comes from π_SFT itself (they are drawn at temperature 0.7, and
// chosen or steered): no KL to SFT is defined for them, not even best-of-N's bound, which
// is a bound on the KL from the distribution the candidates were drawn from.
let tpoEvaluation = evaluation.evaluate("TPO", rollouts: answers(tpo), klSource: .none,
                                        selection: "TPO, N \(settings.n), D \(settings.iterations), temperature \(settings.temperature)",
                                        sampling: sampling, against: baseline, compute: compute)
let revisionEvaluation = evaluation.evaluate("revision", rollouts: answers(revision), klSource: .none,
                                             selection: "revision (chosen only)", sampling: sampling, against: baseline, compute: compute)
let bestEvaluation = evaluation.evaluate("best-of-\(calls)", rollouts: bestOfN, klSource: .none,
                                         selection: "the best of \(calls) at temperature \(settings.temperature)",
                                         sampling: sampling, against: baseline, compute: compute)
let firstSamples = evaluation.evaluate("SFT at temperature \(settings.temperature)", rollouts: tpo.caches.map { $0.answers[0] },
                                       klSource: .none, selection: "one sample at temperature \(settings.temperature)",
                                       sampling: sampling, against: baseline, compute: .init(rewardModelCallsPerPrompt: 0))
// The baseline's row on the same prompts as the others, so that the gold column and the
// paired gains are read on one set (the saved baseline keeps all of its answers).
var baselineHere = baseline
let promptSet = Set(prompts.map(\.text))
baselineHere.answers = baseline.answers.filter { promptSet.contains($0.prompt) }
chapter.report([baselineHere, firstSamples, bestEvaluation, revisionEvaluation, tpoEvaluation], against: baseline,
               title: "the first \(prompts.count) held-out prompts; SFT is the course's baseline (temperature 1)")
chapter.save(tpoEvaluation, showdown: .method)
chapter.save(bestEvaluation, name: "best-of-\(calls)")
chapter.save(revisionEvaluation, name: "revision")
/// The paired gain of `a` over `b` on the prompts both answered, with its standard error.
func paired(_ a: PolicyEvaluation, _ b: PolicyEvaluation) -> (Double, Double) {
    let s = a.summary(against: b)
    return (s.goldGain ?? 0, s.goldGainStandardError ?? 0)
}
let (overSFT, overSFTError) = paired(tpoEvaluation, baseline)
let (overBest, overBestError) = paired(tpoEvaluation, bestEvaluation)
let (overWarm, overWarmError) = paired(tpoEvaluation, firstSamples)
chapter.headline(String(format: "TPO %+.2f ± %.2f gold over SFT, %+.2f ± %.2f over best-of-%d at %d reward-model calls", overSFT, overSFTError,
                        overBest, overBestError, calls, calls))
let rises = zip(tpo.batchReward.dropFirst(), tpo.batchReward).allSatisfy { $0 >= $1 }
let batchTrend = rises ? "it rises at every iteration, so the contrast steers the samples toward what the reward model likes"
                       : "it does not rise at every iteration"
chapter.prose("""
    The best reward in TPO's cache rises from \(String(format: "%.2f", tpo.bestReward.first!)) to \
    \(String(format: "%.2f", tpo.bestReward.last!)) (it cannot fall), and the mean reward of each \
    new batch goes \(tpo.batchReward.map { String(format: "%.2f", $0) }.joined(separator: " → ")): \
    \(batchTrend) \
    (revision's batches: \(revision.batchReward.map { String(format: "%.2f", $0) }.joined(separator: " → "))). \
    Best-of-\(calls) with the same calls reaches a best reward of \(String(format: "%.2f", bestOfNReward)).

    In gold, TPO's answers gain \(String(format: "%+.2f", overSFT)) ± \(String(format: "%.2f", overSFTError)) over the \
    course's SFT baseline (sampled at temperature 1), \(String(format: "%+.2f", overWarm)) ± \
    \(String(format: "%.2f", overWarmError)) over a single SFT sample at temperature \(settings.temperature) (part of \
    the first number is only the lower temperature), and \(String(format: "%+.2f", overBest)) ± \
    \(String(format: "%.2f", overBestError)) over best-of-\(calls) at equal reward-model calls. No weight \
    changed; each answer cost \(calls) samples and \(calls) reward-model calls, where a trained \
    policy answers with one.
    """)
chapter.finish()
