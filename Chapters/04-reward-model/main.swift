// Chapter 04: human preferences and the reward model.
//
// Samples several answers per prompt from the SFT model, has the simulated annotators
// compare them on the seed's five-option form, trains a Bradley-Terry reward model on the
// comparisons, measures it against the annotators' own agreement and against the hidden
// gold judge, and takes a first look at over-optimization with best-of-N. Writes
// runs/04-reward-model/preferences.jsonl and reward_model.safetensors for later chapters.
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter("04-reward-model", title: "Chapter 04 · Human preferences and the reward model", options: options)

chapter.section("What a comparison says that a demonstration cannot")
chapter.prose("""
    The SFT model of chapter 02 writes like the average of its demonstrators. To do better \
    we need a signal that says which answers are better, and demonstrations cannot give it: \
    a demonstration shows one acceptable answer, not how it ranks against the answers the \
    model actually writes, and nobody can demonstrate an answer better than they can write.

    Comparisons can. Given two answers to the same question, most people can say which one \
    they prefer, quickly and fairly consistently, even when they could not have written \
    either. A comparison is also about the model's own outputs, so it tells us exactly \
    where the model goes wrong: the answer that forgot the analogy, the one that rambled, \
    the one that got a fact wrong. And a comparison carries its own scale: "significantly \
    better" and "slightly better" are different pieces of information.

    Collecting preference data takes three steps, as in InstructGPT:
    1. Sample several responses for each prompt from the SFT policy (InstructGPT: 4 to 9).
    2. Show people pairs of them, and have them pick on a five-option form: A significantly \
    better, A slightly better, about the same, B slightly better, B significantly better.
    3. Turn the answers into a data set of (prompt, chosen, rejected) pairs.

    Then a reward model learns to predict the choices, and later chapters optimize the \
    policy against the reward model, since people cannot be asked about every sample.
    """)

// ---------------------------------------------------------------------------------------
// What chapters 01 and 02 left behind: the SFT policy is the pretrained model with the
// SFT adapter merged into it.
let pretrainedDirectory = chapter.require("model.safetensors", from: "01-pretrained-model")
    .deletingLastPathComponent()
let llm = chapter.load("model.safetensors", from: "01-pretrained-model") { _ in
    try PretrainedLLM.load(from: pretrainedDirectory)
}
let sftAdapter = chapter.load("adapter.safetensors", from: "02-supervised-fine-tuning") { url in
    try LoRAAdapter.load(from: url, for: llm.model.config)
}
var policyRNG = chapter.random("policy adapter")
let policy = SFTPolicy(tokenizer: llm.tokenizer, model: llm.model, sftAdapter: sftAdapter, rng: &policyRNG)
let tokenizer = policy.tokenizer
let world = SyntheticWorld(seed: options.seed)
let judge = GoldJudge()
let panel = Annotator.panel

/// The settings of this chapter, with the usual ranges.
struct RewardModelSettings {
    /// Training prompts to sample responses for (a quarter of them arithmetic), and K, the
    /// responses per prompt (InstructGPT showed labellers 4 to 9). All C(K, 2) pairs are
    /// compared, and a training step reads each answer once, so the labels grow as K²
    /// while generation and training grow as K (K = 8 did no better here than K = 4).
    var trainingPrompts: Int, responsesPerPrompt = 4
    /// Held-out prompts, and samples per held-out prompt (the largest best-of-N).
    var heldOutPrompts: Int, samplesPerHeldOutPrompt = 16
    /// The longest response, in tokens; sampling temperature and nucleus (top-p) of the
    /// SFT policy. Temperature 1 gives the diverse answers comparisons need.
    var maxNewTokens: Int, temperature: Float = 1.0, topP: Float = 0.95
    /// Share of the training pairs that the whole panel labels, to measure agreement.
    var panelShare = 0.2
    /// The margin m in −log σ(r_c − r_r − m) for each label strength: Llama 2's "small"
    /// margins (1 for significantly better, 1/3 for slightly better). 0 turns margins off.
    var significantMargin: Float = 1, slightMargin: Float = 1.0 / 3
    /// Prompts per optimizer step (each brings all its decisive pairs), and passes over
    /// the data. InstructGPT trains reward models for one epoch: they overfit after that.
    var promptsPerStep = 8, epochs: Int
    /// Peak learning rate of AdamW on every weight of the reward model (full fine-tuning
    /// wants 1e-5 to 1e-4 on large models; this small one tolerates more). With 800 prompts
    /// and 2 epochs, 2e-4 reached 62.4% held-out accuracy against 60.4% for 400 prompts at
    /// 1e-4; 1,200 prompts, one epoch, K = 6 or no margins all stayed within 62-63%.
    var learningRate: Float
    /// Coefficient c of the centering term c · mean((r_c + r_r)²) (TRL suggests 0.01).
    var centeringCoefficient: Float = 0.01
    /// Held-out accuracy every this many steps.
    var evaluationInterval: Int
}
let settings = options.quick
    ? RewardModelSettings(trainingPrompts: 24, heldOutPrompts: 8, maxNewTokens: 32, epochs: 1, learningRate: 3e-4,
                          evaluationInterval: 2)
    : RewardModelSettings(trainingPrompts: 800, heldOutPrompts: 64, maxNewTokens: 96, epochs: 2, learningRate: 2e-4,
                          evaluationInterval: 20)
chapter.setting("training prompts", settings.trainingPrompts)
chapter.setting("responses per prompt", settings.responsesPerPrompt)
chapter.setting("held-out prompts", settings.heldOutPrompts)
chapter.setting("learning rate", Double(settings.learningRate))
chapter.setting("epochs", settings.epochs)

/// A quarter arithmetic, the rest open-ended, in a seeded random order.
func choosePrompts(_ pool: [Prompt], count: Int, label: String) -> [Prompt] {
    var rng = chapter.random(label)
    let arithmetic = rng.shuffled(pool.filter { $0.family == .arithmetic })
    let open = rng.shuffled(pool.filter { $0.family != .arithmetic })
    let arithmeticCount = min(count / 4, arithmetic.count)
    return rng.shuffled(Array(open.prefix(count - arithmeticCount)) + Array(arithmetic.prefix(arithmeticCount)))
}
let trainingPrompts = choosePrompts(world.trainPrompts, count: settings.trainingPrompts, label: "training prompts")
let heldOutPrompts = choosePrompts(world.heldOutPrompts, count: settings.heldOutPrompts, label: "held-out prompts")

// ---------------------------------------------------------------------------------------
chapter.section("Step 1: several answers per prompt from the SFT model")
chapter.prose("""
    For each of \(trainingPrompts.count) training prompts, the SFT model answers \
    \(settings.responsesPerPrompt) times (temperature \(settings.temperature), top-p \
    \(settings.topP), at most \(settings.maxNewTokens) tokens). For \(heldOutPrompts.count) \
    held-out prompts, which no training pair uses, it answers \(settings.samplesPerHeldOutPrompt) \
    times: these give the held-out pairs and the candidates of best-of-N at the end.
    """)

/// One sampled answer, with the gold judge's score (kept hidden from everything that learns).
struct Answer {
    let rollout: Rollout
    let gold: GoldScore
    var text: String { rollout.response }
    var words: Int { TextAnalysis.words(rollout.response).count }
}

/// K answers to each prompt from the SFT policy (the fresh adapter switched off, so the
/// network is exactly π_SFT), with a progress line.
func sampleAnswers(_ prompts: [Prompt], each k: Int, label: String) -> [[Answer]] {
    var rng = chapter.random(label)
    let sampling = SamplingSettings(temperature: settings.temperature, topP: settings.topP)
    let requests = prompts.flatMap { Array(repeating: $0.text, count: k) }
    let chunk = 64
    let progress = chapter.progress(label, total: (requests.count + chunk - 1) / chunk)
    var rollouts: [Rollout] = []
    for (step, start) in stride(from: 0, to: requests.count, by: chunk).enumerated() {
        let part = Array(requests[start..<min(start + chunk, requests.count)])
        let sampled = policy.model.withAdapterDisabled {
            sampleRollouts(policy: policy.model, tokenizer: tokenizer, prompts: part, maxNewTokens: settings.maxNewTokens,
                           sampling: sampling, batchSize: chunk, rng: &rng)
        }
        rollouts += sampled
        progress.update(step: step + 1, tokens: sampled.map(\.responseTokens.count).reduce(0, +))
    }
    progress.finish()
    return prompts.indices.map { p in
        (0..<k).map { i in
            let rollout = rollouts[p * k + i]
            return Answer(rollout: rollout, gold: judge.score(prompts[p], response: rollout.response))
        }
    }
}
let trainingAnswers = sampleAnswers(trainingPrompts, each: settings.responsesPerPrompt, label: "sampling (training prompts)")
let heldOutAnswers = sampleAnswers(heldOutPrompts, each: settings.samplesPerHeldOutPrompt, label: "sampling (held-out prompts)")

let allTrainingAnswers = trainingAnswers.flatMap { $0 }
let withinPromptSpread = mean(trainingAnswers.map { standardDeviation($0.map(\.gold.total)) })
chapter.table("the sampled answers", columns: ["prompts", "answers", "mean gold score (0-10)",
                                               "gold spread within a prompt (std)", "ended by themselves", "mean words"],
              rows: [
                  ["training", allTrainingAnswers.count, mean(allTrainingAnswers.map(\.gold.total)), withinPromptSpread,
                   String(format: "%.0f%%", 100 * mean(allTrainingAnswers.map { $0.rollout.endedWithEndOfText ? 1 : 0 })),
                   mean(allTrainingAnswers.map { Double($0.words) })],
              ])
chapter.prose("""
    The spread of gold scores within a prompt is what preference data feeds on: if the K \
    answers to a prompt were all equally good, every comparison would be a coin toss.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Step 2: people compare pairs")
chapter.prose("""
    Each comparison goes to one annotator drawn at random from a panel of five, with the \
    two answers in random order (people favour the first one shown a little). Every \
    annotator compares by the hidden gold standard, with noise: annotator j feels the \
    difference z = Δgold + b_j + T_j·ε (ε logistic, b_j their length and position habits, \
    T_j their carelessness), and ticks "about the same" when |z| is small and \
    "significantly better" when it is large. \(Int((100 * settings.panelShare).rounded()))% of \
    the training pairs, and every held-out pair, go to the whole panel, so we can measure \
    how often two people agree.
    """)

/// One pair of answers to one prompt, in the order shown (A first), with the labels it got.
struct Comparison {
    let prompt: Prompt
    let a: Answer
    let b: Answer
    /// Every label given to the pair, with who gave it (one, or the whole panel).
    let labels: [(annotator: Annotator, label: PreferenceLabel)]
    /// The label that goes into the data set: one annotator's, drawn at random.
    let datasetLabel: (annotator: Annotator, label: PreferenceLabel)
}

/// Shows the pair in random order and collects one label, or the whole panel's.
func compare(_ prompt: Prompt, _ first: Answer, _ second: Answer, wholePanel: Bool, rng: inout RandomGenerator) -> Comparison {
    let (a, b) = rng.bernoulli(0.5) ? (first, second) : (second, first)
    let drawn = rng.int(below: panel.count)
    let annotators = wholePanel ? panel : [panel[drawn]]
    let labels = annotators.map { annotator in
        (annotator, annotator.label(goldA: a.gold.total, goldB: b.gold.total, wordsA: a.words, wordsB: b.words, rng: &rng))
    }
    return Comparison(prompt: prompt, a: a, b: b, labels: labels,
                      datasetLabel: wholePanel ? labels[drawn] : labels[0])
}

var labellingRNG = chapter.random("labelling")
var trainingComparisons: [Comparison] = []
for (prompt, answers) in zip(trainingPrompts, trainingAnswers) {
    for i in 0..<answers.count {
        for j in (i + 1)..<answers.count {
            let wholePanel = labellingRNG.bernoulli(settings.panelShare)
            trainingComparisons.append(compare(prompt, answers[i], answers[j], wholePanel: wholePanel, rng: &labellingRNG))
        }
    }
}
// Held-out pairs: disjoint pairs of the held-out samples (0-1, 2-3, ...), all labelled by the panel.
var heldOutComparisons: [Comparison] = []
for (prompt, answers) in zip(heldOutPrompts, heldOutAnswers) {
    for i in stride(from: 0, to: answers.count - 1, by: 2) {
        heldOutComparisons.append(compare(prompt, answers[i], answers[i + 1], wholePanel: true, rng: &labellingRNG))
    }
}

// One comparison on screen, in the seed's five-option form: a pair the panel split on.
let shown = trainingComparisons.first {
    $0.labels.count == panel.count && $0.prompt.family != .arithmetic && Set($0.labels.map(\.label.preferred)).count > 1
} ?? trainingComparisons[0]
chapter.sample(prompt: shown.prompt.text, response: shown.a.text, note: String(format: "Response A · gold %.2f (hidden from the annotators)", shown.a.gold.total))
chapter.sample(prompt: shown.prompt.text, response: shown.b.text, note: String(format: "Response B · gold %.2f", shown.b.gold.total))
chapter.table("Which response is better? (what each annotator ticked)", columns: ["", "option", "annotators"],
              rows: PreferenceLabel.allCases.map { option in
                  let who = shown.labels.filter { $0.label == option }.map(\.annotator.name)
                  return [who.isEmpty ? "[ ]" : "[x]", option.text, who.isEmpty ? "-" : who.joined(separator: ", ")]
              })

// ---------------------------------------------------------------------------------------
chapter.section("Step 3: the data set")
chapter.prose("""
    "About the same" says that neither answer is preferred, and the Bradley-Terry model \
    below has no outcome for that: it gives every pair a winner. We drop ties from \
    training (keeping them as 50/50 targets, or fitting a model with a tie outcome such as \
    Rao-Kupper's, are the alternatives) but count them in the statistics. The strength of \
    a decisive label becomes the margin of the loss. Agreement between two annotators is \
    the share of their common pairs where they name the same better answer; "slightly" and \
    "significantly" on the same side agree.
    """)

func margin(_ strength: PreferenceStrength) -> Float {
    strength == .significant ? settings.significantMargin : settings.slightMargin
}

/// The decisive label of a comparison as an oriented pair; nil for "about the same".
func preferencePair(_ comparison: Comparison, split: PreferencePair.Split) -> PreferencePair? {
    let (annotator, label) = comparison.datasetLabel
    guard label.preferred != .tie else { return nil }
    let (chosen, rejected) = label.preferred == .a ? (comparison.a, comparison.b) : (comparison.b, comparison.a)
    let strength: PreferenceStrength = label == .aSignificantlyBetter || label == .bSignificantlyBetter ? .significant : .slight
    return PreferencePair(prompt: comparison.prompt.text, chosen: chosen.text, rejected: rejected.text, strength: strength,
                          margin: margin(strength), annotator: annotator.name, split: split,
                          chosenGold: chosen.gold.total, rejectedGold: rejected.gold.total)
}
let trainingPairs = trainingComparisons.compactMap { preferencePair($0, split: .train) }
let heldOutPairs = heldOutComparisons.compactMap { preferencePair($0, split: .heldOut) }

/// Share of decisive labels that agree with the gold judge's order (pairs the judge scores
/// equally are left out).
func goldAgreement(_ comparisons: [Comparison]) -> Double {
    var agree = 0, total = 0
    for c in comparisons where c.a.gold.total != c.b.gold.total {
        for (_, label) in c.labels where label.preferred != .tie {
            total += 1
            if (label.preferred == .a) == (c.a.gold.total > c.b.gold.total) { agree += 1 }
        }
    }
    return total == 0 ? 0 : Double(agree) / Double(total)
}

let datasetLabels = trainingComparisons.map(\.datasetLabel.label)
chapter.table("the labels of the \(trainingComparisons.count) training comparisons (one per pair)",
              columns: ["label", "pairs", "share"],
              rows: PreferenceLabel.allCases.map { option in
                  let n = datasetLabels.filter { $0 == option }.count
                  return [option.text, n, String(format: "%.1f%%", 100 * Double(n) / Double(max(datasetLabels.count, 1)))]
              })
let panelTraining = trainingComparisons.filter { $0.labels.count > 1 }
let trainingAgreementStrict = agreement(panelTraining.map { $0.labels.map(\.label) }, ties: .strict) ?? 0
let trainingAgreement = agreement(panelTraining.map { $0.labels.map(\.label) }, ties: .ignored) ?? 0
let heldOutAgreement = agreement(heldOutComparisons.map { $0.labels.map(\.label) }, ties: .ignored) ?? 0
let heldOutAgreementStrict = agreement(heldOutComparisons.map { $0.labels.map(\.label) }, ties: .strict) ?? 0
let ties = datasetLabels.filter { $0 == .aboutTheSame }.count
chapter.table("the data set", columns: ["", "training", "held-out"], rows: [
    ["prompts", trainingPrompts.count, heldOutPrompts.count],
    ["pairs compared", trainingComparisons.count, heldOutComparisons.count],
    ["\"about the same\" (dropped)", ties, heldOutComparisons.count - heldOutPairs.count],
    ["pairs kept", trainingPairs.count, heldOutPairs.count],
    ["of which \"significantly better\"", trainingPairs.filter { $0.strength == .significant }.count,
     heldOutPairs.filter { $0.strength == .significant }.count],
    ["pairs labelled by the whole panel", panelTraining.count, heldOutComparisons.count],
    ["agreement between annotators (ties count)", trainingAgreementStrict, heldOutAgreementStrict],
    ["agreement between annotators (ties left out)", trainingAgreement, heldOutAgreement],
    ["labels that agree with the gold order", goldAgreement(panelTraining), goldAgreement(heldOutComparisons)],
])
chapter.prose("""
    Two people name the same better answer in about \(Int((100 * heldOutAgreement).rounded()))% \
    of the pairs where both take a side (InstructGPT's labellers agreed 73% of the time). \
    That is the noise in the labels, and it is a ceiling of sorts: a reward model that \
    agrees with one annotator as often as a second annotator would is doing as well as \
    a person. (A model that knew the gold standard itself would do a little better than \
    a person, since it adds no noise of its own: the last row shows how often the gold \
    order agrees with an annotator.)
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Bradley-Terry: from comparisons to a reward")
chapter.prose("""
    Bradley and Terry (1952) model a comparison as a contest between two hidden strengths. \
    If answer y has reward r(x, y), the chance that a person prefers y_A over y_B is

        P(y_A ≻ y_B | x) = exp(r_A) / (exp(r_A) + exp(r_B)) = σ(r_A − r_B),

    with σ(z) = 1 / (1 + e^(−z)) the logistic function. Only differences matter: adding a \
    constant to every reward changes no probability. A difference of 0 is a coin toss, a \
    difference of 1 gives 73%, 2 gives 88%, 4 gives 98%. (Our simulated annotators follow \
    this model, with r = gold / T_j plus their habits, so a reward model can recover much \
    of the gold order from their choices; real people follow it only roughly.)

    The reward model r_φ maximizes the likelihood of the observed choices, that is, it \
    minimizes the negative log-likelihood over the data set D of (x, y_c, y_r):

        L(φ) = −E_D [ log σ(r_φ(x, y_c) − r_φ(x, y_r) − m) ]

    where m ≥ 0 is a margin (Llama 2): for a "significantly better" label the model must \
    put the chosen answer ahead by more than m before the loss lets go. The gradient \
    pushes r_c up and r_r down with weight σ(r_r − r_c + m): close to 1 while the model \
    gets the pair wrong or wins it by less than the margin, close to 0 once it wins it \
    comfortably, so settled pairs stop contributing.

    Since the loss only sees differences, the level of the rewards drifts freely. Two \
    fixes, both used here: a small centering term c · E[(r_c + r_r)²] (c = \
    \(settings.centeringCoefficient)) that pulls the rewards towards mean 0, and, after \
    training, subtracting the mean reward of the SFT answers, so that 0 means "as good as \
    a typical SFT answer", the natural zero for the PPO chapters.
    """)

chapter.section("The reward model: the SFT model with a scalar head")
let config = policy.model.config
chapter.prose("""
    The reward model starts as a copy of the SFT model, whose features already know the \
    world and the chat format. The LM head (d → vocabulary) is replaced by a scalar head \
    (d → 1), and the reward is read at the last token of "User: x  Assistant: y", the \
    <|endoftext|> that ends the answer: in a causal model it is the only position that \
    has seen the whole exchange.

    We fine-tune every weight (InstructGPT and Llama 2 do too). A LoRA adapter would be \
    the choice for a large model; this one has \(String(format: "%.2f", Double(config.parameterCount) / 1e6)) million weights, so a full \
    copy costs \(String(format: "%.1f", Double(config.parameterCount * 4) / 1e6)) MB and full fine-tuning lets the \
    features themselves change from "what comes next" to "what is better", which a \
    rank-16 correction on two projections does less well with so few comparisons. The \
    backbone is separate from the policy: later chapters train the policy while the \
    reward model stays frozen.

    Training follows InstructGPT's batching: each step takes \(settings.promptsPerStep) \
    prompts with all of their decisive pairs, so each of a prompt's \
    \(settings.responsesPerPrompt) answers is read once per step however many pairs it is \
    in. Passes over the data: \(settings.epochs); AdamW at peak learning rate \
    \(settings.learningRate), warmup then cosine decay, gradients clipped at norm 1. The \
    progress line shows TRL's metric names: the loss, accuracy (share of pairs with \
    r_c > r_r), margin (mean r_c − r_r) and mean reward.
    """)

var headRNG = chapter.random("reward head")
let backbone = GPT(config: config, rng: &headRNG)
for (copy, original) in zip(backbone.parameters, policy.model.parameters) { copy.data = original.data }
let rewardModel = RewardModel(backbone: backbone, tokenizer: tokenizer, rng: &headRNG)

// Training batches: the decisive pairs of each prompt, together.
let pairsByPrompt = Dictionary(grouping: trainingPairs.map { ($0.prompt, rewardModel.tokenized($0)) }, by: \.0)
    .mapValues { $0.map(\.1) }
let trainingGroups = trainingPrompts.compactMap { pairsByPrompt[$0.text] }
let stepsPerEpoch = (trainingGroups.count + settings.promptsPerStep - 1) / settings.promptsPerStep
let totalSteps = options.budget(full: stepsPerEpoch * settings.epochs, quick: stepsPerEpoch * settings.epochs)

/// Accuracy of the reward model against every decisive annotator label of the held-out
/// comparisons, from the rewards of their two answers.
func annotatorAccuracy(_ comparisons: [Comparison], rewardsA: [Float], rewardsB: [Float]) -> Double {
    var agree = 0, total = 0
    for (c, (ra, rb)) in zip(comparisons, zip(rewardsA, rewardsB)) {
        for (_, label) in c.labels where label.preferred != .tie {
            total += 1
            if (label.preferred == .a) == (ra > rb) { agree += 1 }
        }
    }
    return total == 0 ? 0 : Double(agree) / Double(total)
}
func scoreComparisons(_ comparisons: [Comparison]) -> (a: [Float], b: [Float]) {
    let scores = rewardModel.score(prompts: comparisons.flatMap { [$0.prompt.text, $0.prompt.text] },
                                   responses: comparisons.flatMap { [$0.a.text, $0.b.text] })
    return (stride(from: 0, to: scores.count, by: 2).map { scores[$0] }, stride(from: 1, to: scores.count, by: 2).map { scores[$0] })
}
// The held-out curve during training uses a quarter of the held-out pairs (the final numbers use all).
let curveComparisons = Array(heldOutComparisons.prefix(max(heldOutComparisons.count / 4, 1)))
func heldOutCurveAccuracy() -> Double {
    let (a, b) = scoreComparisons(curveComparisons)
    return annotatorAccuracy(curveComparisons, rewardsA: a, rewardsB: b)
}

let optimizer = AdamW(parameters: rewardModel.parameters, learningRate: settings.learningRate, weightDecay: 0)
let schedule = LearningRateSchedule(peak: settings.learningRate, minimum: settings.learningRate / 10,
                                    warmupSteps: max(totalSteps / 20, 1), totalSteps: totalSteps)
var batchRNG = chapter.random("batches")
var order: [Int] = []
var trainAccuracies: [Double] = [], trainLosses: [Double] = []
var heldOutCurve: [(step: Double, accuracy: Double)] = [(0, heldOutCurveAccuracy())]
let progress = chapter.progress("reward model", total: totalSteps)
for step in 0..<totalSteps {
    if order.isEmpty { order = batchRNG.shuffled(Array(trainingGroups.indices)) }
    let take = min(settings.promptsPerStep, order.count)
    let batch = order.prefix(take).flatMap { trainingGroups[$0] }
    order.removeFirst(take)

    optimizer.learningRate = schedule.rate(at: step)
    optimizer.zeroGrad()
    let result = rewardModel.pairLoss(batch, centeringCoefficient: settings.centeringCoefficient)
    result.loss.backward()
    let gradientNorm = clipGradientNorm(rewardModel.parameters, maxNorm: 1)
    chapter.stopIfDiverged("reward model", step: step + 1, loss: Double(result.loss.item), gradientNorm: Double(gradientNorm))
    optimizer.update()

    trainLosses.append(Double(result.loss.item))
    trainAccuracies.append(Double(result.accuracy))
    for (name, value) in [("loss", Double(result.loss.item)), ("accuracy", Double(result.accuracy)),
                          ("margin", Double(result.margin)), ("mean_reward", Double(result.meanReward))] {
        chapter.log("train", step: step + 1, name, value)
    }
    if (step + 1) % settings.evaluationInterval == 0 || step + 1 == totalSteps {
        heldOutCurve.append((Double(step + 1), heldOutCurveAccuracy()))
        chapter.log("held-out", step: step + 1, "accuracy", heldOutCurve.last!.accuracy)
    }
    progress.update(step: step + 1, ["loss": Double(result.loss.item), "accuracy": Double(result.accuracy),
                                     "margin": Double(result.margin), "mean_reward": Double(result.meanReward),
                                     "held-out acc": heldOutCurve.last!.accuracy],
                    tokens: Set(batch.flatMap { [$0.chosen, $0.rejected] }).map(\.count).reduce(0, +))
}
progress.finish()

// Centering after training: the mean reward of the SFT answers becomes 0.
let trainingRows = allTrainingAnswers.map { rewardModel.tokens(promptTokens: $0.rollout.promptTokens, responseTokens: $0.rollout.responseTokens) }
let (meanBefore, referenceStd) = rewardModel.center(on: trainingRows)
chapter.say(String(format: "centered the rewards: subtracted %.3f, the mean reward of the %d SFT training answers (their std is %.3f)",
                   meanBefore, trainingRows.count, referenceStd))

// ---------------------------------------------------------------------------------------
chapter.section("How good is the reward model?")
chapter.prose("""
    All measured on the held-out prompts, which no training pair used, each pair labelled \
    by the whole panel:
    - accuracy against the annotators: over every decisive label, how often the reward \
    model prefers the same answer;
    - the ceiling: how often two annotators agree (ties left out, as the model never says tie);
    - accuracy against the gold judge's order, which no one trained on;
    - Spearman's rank correlation between reward and gold score over all held-out answers \
    (1 is the same order, 0 none), and within each prompt (what best-of-N relies on).
    """)
let heldOutScores = scoreComparisons(heldOutComparisons)
let accuracyVsAnnotators = annotatorAccuracy(heldOutComparisons, rewardsA: heldOutScores.a, rewardsB: heldOutScores.b)
var goldOrderAgree = 0, goldOrderTotal = 0
for (c, (ra, rb)) in zip(heldOutComparisons, zip(heldOutScores.a, heldOutScores.b)) where c.a.gold.total != c.b.gold.total {
    goldOrderTotal += 1
    if (c.a.gold.total > c.b.gold.total) == (ra > rb) { goldOrderAgree += 1 }
}
let accuracyVsGold = Double(goldOrderAgree) / Double(max(goldOrderTotal, 1))
let goldVsAnnotators = goldAgreement(heldOutComparisons)

// Every held-out answer scored in one call, as later chapters score their rollouts.
let scoringStart = Date()
let flatScores = rewardModel.score(prompts: zip(heldOutPrompts, heldOutAnswers).flatMap { p, a in a.map { _ in p.text } },
                                   responses: heldOutAnswers.flatMap { $0.map(\.text) }, batchSize: 64)
let scoringSeconds = Date().timeIntervalSince(scoringStart)
chapter.say(String(format: "scored %d held-out answers in %.2f s (%.0f answers/s)", flatScores.count, scoringSeconds,
                   Double(flatScores.count) / max(scoringSeconds, 1e-9)))
let heldOutRewards = heldOutAnswers.indices.map { p in
    Array(flatScores[(p * settings.samplesPerHeldOutPrompt)..<((p + 1) * settings.samplesPerHeldOutPrompt)])
}
let flatRewards = heldOutRewards.flatMap { $0 }.map(Double.init)
let flatGold = heldOutAnswers.flatMap { $0 }.map(\.gold.total)
let spearman = spearmanCorrelation(flatRewards, flatGold)
let withinPromptSpearman = mean(zip(heldOutRewards, heldOutAnswers).map { rewards, answers in
    spearmanCorrelation(rewards.map(Double.init), answers.map(\.gold.total))
})
let ratio = accuracyVsAnnotators / max(heldOutAgreement, 1e-9)

chapter.table("held-out evaluation (\(heldOutComparisons.count) pairs from \(heldOutPrompts.count) prompts, five labels each)",
              columns: ["measure", "value"], rows: [
                  ["reward model vs annotators' labels", accuracyVsAnnotators],
                  ["annotators vs each other (the ceiling)", heldOutAgreement],
                  ["reward model / ceiling", ratio],
                  ["gold order vs annotators' labels (a perfect reward)", goldVsAnnotators],
                  ["reward model vs the gold order", accuracyVsGold],
                  ["Spearman ρ(reward, gold), all held-out answers", spearman],
                  ["Spearman ρ(reward, gold) within a prompt (mean)", withinPromptSpearman],
              ])
chapter.result("held-out accuracy against annotators", 100 * accuracyVsAnnotators, unit: "%")
chapter.result("annotator agreement (ceiling)", 100 * heldOutAgreement, unit: "%")
chapter.result("accuracy / agreement", 100 * ratio, unit: "%")
chapter.result("accuracy against the gold order", 100 * accuracyVsGold, unit: "%")
chapter.result("Spearman rank correlation, reward vs gold", spearman)

// Accuracy against the gold order by kind of prompt.
var familyRows: [[any TableValue]] = []
for (name, isArithmetic) in [("open-ended", false), ("arithmetic", true)] {
    var agree = 0, total = 0
    for (c, (ra, rb)) in zip(heldOutComparisons, zip(heldOutScores.a, heldOutScores.b))
        where (c.prompt.family == .arithmetic) == isArithmetic && c.a.gold.total != c.b.gold.total {
        total += 1
        if (c.a.gold.total > c.b.gold.total) == (ra > rb) { agree += 1 }
    }
    familyRows.append([name, total, total == 0 ? 0 : Double(agree) / Double(total)])
}
chapter.table("accuracy against the gold order by kind of prompt", columns: ["prompts", "pairs", "accuracy"], rows: familyRows)
// Which part of the gold standard is hard: pairs where one answer stays on the prompt's
// topic and the other does not, against the rest.
var topicRows: [[any TableValue]] = []
for (name, differ) in [("one answer on topic, the other not", true), ("both on topic, or both off", false)] {
    var agree = 0, total = 0
    for (c, (ra, rb)) in zip(heldOutComparisons, zip(heldOutScores.a, heldOutScores.b))
        where c.prompt.family != .arithmetic && c.a.gold.total != c.b.gold.total
        && ((c.a.gold[.onTopic] > 0) != (c.b.gold[.onTopic] > 0)) == differ {
        total += 1
        if (c.a.gold.total > c.b.gold.total) == (ra > rb) { agree += 1 }
    }
    topicRows.append([name, total, total == 0 ? 0 : Double(agree) / Double(total)])
}
chapter.table("open-ended pairs: accuracy against the gold order by the \"on topic\" criterion",
              columns: ["pairs", "count", "accuracy"], rows: topicRows)

let verdict = ratio >= 0.9
    ? "That is \(Int((100 * ratio).rounded()))% of the annotators' own agreement: the model has learned about as much as noisy labels from one person per pair can teach."
    : "That is only \(Int((100 * ratio).rounded()))% of the annotators' own agreement, short of the 90% we aim for. In our trials neither twice the prompts, nor twice the answers per prompt, nor more passes (which overfit), nor a LoRA backbone closed the gap; the table above shows where the model is weak: telling an answer that stays on the prompt's topic from one that drifts, which needs the reward to match the answer against the question rather than to like its style."
chapter.prose("""
    The reward model agrees with an annotator on \(Int((100 * accuracyVsAnnotators).rounded()))% \
    of held-out labels, against \(Int((100 * heldOutAgreement).rounded()))% for a second \
    annotator. \(verdict) Against the gold order, which it never saw, it is right \
    \(Int((100 * accuracyVsGold).rounded()))% of the time (a perfect reward would agree with \
    the annotators \(Int((100 * goldVsAnnotators).rounded()))% of the time). Training on many \
    noisy labels averages their noise out; what does not average out is what the \
    annotators share: a taste for longer answers and for the first one shown, which the \
    model can learn as if it were quality.
    """)
chapter.figure(.lines(
    "training", title: "Reward model accuracy during training",
    x: PlotAxis("optimizer step"), y: PlotAxis("accuracy (share of pairs ranked like the label)"),
    series: [
        PlotSeries("training batches (10-step mean)", x: trainAccuracies.indices.map { Double($0 + 1) },
                   y: trainAccuracies.indices.map { i in mean(Array(trainAccuracies[max(0, i - 9)...i])) }),
        PlotSeries("held-out pairs vs annotators", x: heldOutCurve.map(\.step), y: heldOutCurve.map(\.accuracy)),
    ],
    references: [.horizontal(heldOutAgreement, "annotator agreement (ceiling)"),
                 .horizontal(0.9 * heldOutAgreement, "90% of the ceiling")],
    legend: .bottomRight))
chapter.figure(.scatter(
    "reward-vs-gold", title: String(format: "Reward model against the gold judge on held-out answers (Spearman %.2f)", spearman),
    x: PlotAxis("gold score", unit: "0-10"), y: PlotAxis("reward r(x, y)", unit: "0 = mean SFT answer"),
    series: [false, true].map { isArithmetic in
        let points = zip(heldOutPrompts, zip(heldOutAnswers, heldOutRewards)).filter { ($0.0.family == .arithmetic) == isArithmetic }
        return PlotSeries(isArithmetic ? "arithmetic prompts" : "open-ended prompts",
                          x: points.flatMap { $0.1.0.map(\.gold.total) }, y: points.flatMap { $0.1.1.map(Double.init) })
    },
    legend: .topLeft))

// ---------------------------------------------------------------------------------------
chapter.section("Best-of-N: optimizing the reward, and over-optimizing it")
chapter.prose("""
    The simplest way to use a reward model: sample N answers and keep the one with the \
    highest reward. No weights change, but the distribution of answers does: best-of-N \
    is a new policy, and its KL divergence from the SFT policy is

        KL(π_bon ‖ π_SFT) = log N − (N − 1) / N

    (0 at N = 1, 0.64 nats at N = 4, 1.84 at N = 16). As N grows we optimize the reward \
    harder. If the reward model were the gold judge, the gold score would climb steadily; \
    since it is only a proxy, fitted to noisy and biased labels, the gold score of the \
    chosen answer climbs more slowly than the reward, and with enough pressure it turns \
    down while the reward keeps rising. This is Goodhart's law ("when a measure becomes a \
    target, it ceases to be a good measure"), which Gao et al. (2023) measured for reward \
    models; every RL chapter after this one fights it with a KL penalty.

    For each held-out prompt we have \(settings.samplesPerHeldOutPrompt) answers. The \
    expected result of best-of-N is computed exactly over every N-subset of them (the \
    best of a random subset is the answer of reward rank i in C(i−1, N−1) of the \
    C(K, N) subsets), which is unbiased and far less noisy than drawing one subset.
    """)
let bestOfNSizes = [1, 2, 4, 8, 16].filter { $0 <= settings.samplesPerHeldOutPrompt }
struct BestOfNRow {
    let n: Int
    let reward: [Double], gold: [Double], oracleGold: [Double], words: [Double], oracleWords: [Double]
}
let bestOfNRows = bestOfNSizes.map { n in
    BestOfNRow(
        n: n,
        reward: heldOutRewards.map { expectedBestOfN(n, rewards: $0, values: $0.map(Double.init)) },
        gold: zip(heldOutRewards, heldOutAnswers).map { expectedBestOfN(n, rewards: $0, values: $1.map(\.gold.total)) },
        oracleGold: heldOutAnswers.map { answers in
            expectedBestOfN(n, rewards: answers.map { Float($0.gold.total) }, values: answers.map(\.gold.total))
        },
        words: zip(heldOutRewards, heldOutAnswers).map { expectedBestOfN(n, rewards: $0, values: $1.map { Double($0.words) }) },
        oracleWords: heldOutAnswers.map { answers in
            expectedBestOfN(n, rewards: answers.map { Float($0.gold.total) }, values: answers.map { Double($0.words) })
        })
}
for row in bestOfNRows {
    chapter.log("best-of-n", step: row.n, "kl", bestOfNKL(row.n))
    chapter.log("best-of-n", step: row.n, "reward", mean(row.reward))
    chapter.log("best-of-n", step: row.n, "gold", mean(row.gold))
    chapter.log("best-of-n", step: row.n, "oracle gold", mean(row.oracleGold))
}
chapter.table("best-of-N on \(heldOutPrompts.count) held-out prompts (means over prompts)",
              columns: ["N", "KL (nats)", "reward of the choice", "gold of the choice", "gold if the judge chose",
                        "words of the choice", "words of the judge's choice"],
              rows: bestOfNRows.map { row in
                  [row.n, bestOfNKL(row.n), mean(row.reward), mean(row.gold), mean(row.oracleGold), mean(row.words),
                   mean(row.oracleWords)]
              })
let first = bestOfNRows[0]
let at4 = bestOfNRows.first { $0.n == 4 } ?? bestOfNRows.last!
let last = bestOfNRows.last!
chapter.result("gold score, best-of-1", mean(first.gold))
chapter.result("gold score, best-of-4", mean(at4.gold))
chapter.result("gold score, best-of-\(last.n)", mean(last.gold))

let rewardGainSD = (mean(last.reward) - mean(first.reward)) / Double(max(referenceStd, 1e-6))
let goldGainSD = (mean(last.gold) - mean(first.gold)) / max(standardDeviation(flatGold), 1e-9)
let oracleGain = mean(last.oracleGold) - mean(first.gold)
let goldGain = mean(last.gold) - mean(first.gold)
let wordsGain = mean(last.words) - mean(first.words)
let oracleWordsGain = mean(last.oracleWords) - mean(first.words)
let lengthRemark = wordsGain > oracleWordsGain + 3
    ? "The chosen answers also grow longer, by \(String(format: "%.0f", wordsGain)) words on average, against \(String(format: "%.0f", oracleWordsGain)) for the gold judge's own choices: the annotators like length a little, and a reward model fitted to them learns to like it more than quality alone would explain."
    : "The chosen answers change length by \(String(format: "%+.0f", wordsGain)) words on average, about as the gold judge's own choices do (\(String(format: "%+.0f", oracleWordsGain))): here length goes with quality, and the annotators' mild taste for it has not become a lever yet."
let peak = bestOfNRows.max { mean($0.gold) < mean($1.gold) }!
let shape = peak.n < last.n
    ? "The gold score peaks at N = \(peak.n) and falls after it while the reward keeps climbing: the reward model's errors, not the answers' quality, now decide which answer wins. That is over-optimization, already at \(String(format: "%.2f", bestOfNKL(peak.n))) nats."
    : "The gold score still rises at N = \(last.n), but more slowly than the reward: the larger N, the more the winner is an answer whose reward the model overestimates."
chapter.prose("""
    From N = 1 to N = \(last.n), the reward of the chosen answer rises by \
    \(String(format: "%.1f", rewardGainSD)) standard deviations of the reward, the gold \
    score by \(String(format: "%.1f", goldGainSD)) standard deviations of the gold score \
    (\(String(format: "%+.2f", goldGain)) points, where choosing by the gold judge itself \
    would gain \(String(format: "%+.2f", oracleGain))). \(shape) \(lengthRemark) Best-of-N \
    stops at \(String(format: "%.1f", bestOfNKL(last.n))) nats here; PPO will push far further, and without a KL penalty the same gap \
    would open much wider.
    """)
let firstReward = mean(first.reward), firstGold = mean(first.gold)
chapter.figure(.lines(
    "best-of-n", title: "Best-of-N on held-out prompts: proxy reward against gold score",
    x: PlotAxis("KL(best-of-N ‖ SFT) = log N − (N−1)/N", unit: "nats"), y: PlotAxis("gain over N = 1"),
    series: [
        PlotSeries("reward of the choice (in std of SFT rewards)", x: bestOfNSizes.map(bestOfNKL),
                   y: bestOfNRows.map { (mean($0.reward) - firstReward) / Double(max(referenceStd, 1e-6)) },
                   spread: bestOfNRows.map { standardError($0.reward) / Double(max(referenceStd, 1e-6)) }),
        PlotSeries("gold score of the choice (points)", x: bestOfNSizes.map(bestOfNKL),
                   y: bestOfNRows.map { mean($0.gold) - firstGold }, spread: bestOfNRows.map { standardError($0.gold) }),
        PlotSeries("gold score if the gold judge chose (points)", x: bestOfNSizes.map(bestOfNKL),
                   y: bestOfNRows.map { mean($0.oracleGold) - firstGold }, spread: bestOfNRows.map { standardError($0.oracleGold) }),
    ],
    legend: .topLeft))

// ---------------------------------------------------------------------------------------
chapter.section("Saving the preference data and the reward model")
let allPairs = trainingPairs + heldOutPairs
do {
    try PreferenceData.save(allPairs, to: chapter.runFile(PreferenceData.fileName))
    try rewardModel.save(to: chapter.runFile(RewardModel.fileName))
} catch {
    chapter.stop("could not save the chapter's outputs: \(error)")
}
chapter.say("""
    saved \(allPairs.count) pairs (\(trainingPairs.count) train, \(heldOutPairs.count) held-out) to \
    runs/04-reward-model/\(PreferenceData.fileName) and the reward model to runs/04-reward-model/\(RewardModel.fileName)
    """)
chapter.finish()
