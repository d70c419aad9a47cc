// Chapter 04: human preferences and the reward model.
//
// Samples several answers per prompt from the SFT policy, has the simulated annotators
// compare them on the notebook's five-option form, trains a Bradley-Terry reward model on
// the comparisons, measures it against a second annotator (the human baseline) and against
// the gold order (the ceiling), and takes a first look at over-optimization with best-of-N.
// Writes runs/04-reward-model/preferences.jsonl, reward_model.safetensors, the SFT baseline
// with reward-model scores (evaluation-sft.json) and best-of-4 (evaluation.json).
import Course
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter(CourseChapter.rewardModel, title: "Human preferences and the reward model", options: options)

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
// What chapters 01 and 02 left behind: the SFT policy (chapter 02's model, a fresh adapter
// on top, switched off while sampling so the network is exactly π_SFT), and chapter 02's
// held-out evaluation of it, which becomes the baseline every later chapter compares with.
let policy = chapter.loadSFTPolicy()
let (tokenizer, model) = (policy.tokenizer, policy.model)
let world = SyntheticWorld(seed: options.seed)
let evaluation = HeldOutEvaluation(world: world, tokenizer: tokenizer, rewardModel: nil, chapter: chapter.name.folder,
                                   quick: options.quick, seed: options.seed)
let sftEvaluation = chapter.loadEvaluation(from: CourseChapter.supervisedFineTuning, matching: evaluation)

/// The settings of this chapter, with the usual ranges.
struct RewardModelSettings {
    /// Training prompts to sample answers for (a quarter of them arithmetic), and K, the
    /// answers per prompt (InstructGPT showed labellers 4 to 9). All C(K, 2) pairs are
    /// compared, and a training step reads each answer once, so the labels grow as K²
    /// while generation and training grow as K.
    var trainingPrompts: Int, answersPerPrompt = 4
    /// Answers per held-out prompt (every held-out prompt: two disjoint pairs each, and
    /// best-of-4), and the held-out prompts that get 16 (best-of-N up to 16).
    var heldOutAnswers = 4, bestOfNPrompts: Int, bestOfNAnswers = 16
    /// Share of the training pairs that the whole panel labels, to measure agreement.
    var panelShare = 0.2
    /// The margin m in −log σ(r_c − r_r − m) for each label strength: Llama 2's "small"
    /// margins (1 for significantly better, 1/3 for slightly better). 0 turns margins off.
    var significantMargin: Float = 1, slightMargin: Float = 1.0 / 3
    /// The training run. Full fine-tuning at 2e-4 (large models want 1e-5 to 1e-4; this
    /// small one tolerates more), 2 epochs (see the training curve).
    var training: RewardModelTraining
    /// Shares of the training comparisons for the accuracy-against-comparisons experiment.
    var dataShares: [Double]
}
let settings = options.quick
    ? RewardModelSettings(trainingPrompts: 24, bestOfNPrompts: 8,
                          training: RewardModelTraining(epochs: 1, learningRate: 3e-4),
                          dataShares: [0.5])
    : RewardModelSettings(trainingPrompts: 800, bestOfNPrompts: 64,
                          training: RewardModelTraining(epochs: 2, learningRate: 2e-4, evaluationsPerEpoch: 2),
                          dataShares: [0.125, 0.25, 0.5])
chapter.setting("training prompts", settings.trainingPrompts)
chapter.setting("answers per prompt", settings.answersPerPrompt)
chapter.setting("learning rate", Double(settings.training.learningRate))
chapter.setting("epochs", settings.training.epochs)

var promptRNG = chapter.random("training prompts")
let trainingPrompts = PreferenceCollection.choosePrompts(world.trainPrompts, count: settings.trainingPrompts, rng: &promptRNG)
let heldOutPrompts = evaluation.prompts
let bestOfNPrompts = Array(heldOutPrompts.prefix(settings.bestOfNPrompts))

// ---------------------------------------------------------------------------------------
chapter.section("Step 1: several answers per prompt from the SFT policy")
chapter.prose("""
    For each of \(trainingPrompts.count) training prompts, the SFT policy answers \
    \(settings.answersPerPrompt) times; for each of the \(heldOutPrompts.count) held-out \
    prompts of the course's evaluation, which no training pair uses, it answers \
    \(settings.heldOutAnswers) times, and \(settings.bestOfNAnswers) times for the first \
    \(bestOfNPrompts.count) of them. Every answer is sampled as the held-out evaluation \
    samples: temperature 1, no top-p, at most \(evaluation.maxNewTokens) tokens, so the \
    reward model learns on the kind of answers the policy really writes, and best-of-N's \
    candidates are draws from π_SFT itself.
    """)
let (trainingAnswers, heldOutAnswers, bestOfNAnswers) = model.withAdapterDisabled {
    (PreferenceCollection.sampleAnswers(trainingPrompts, each: settings.answersPerPrompt, model: model, tokenizer: tokenizer,
                                        maxNewTokens: evaluation.maxNewTokens, label: "sampling (training prompts)", chapter: chapter),
     PreferenceCollection.sampleAnswers(heldOutPrompts, each: settings.heldOutAnswers, model: model, tokenizer: tokenizer,
                                        maxNewTokens: evaluation.maxNewTokens, label: "sampling (held-out prompts)", chapter: chapter),
     PreferenceCollection.sampleAnswers(bestOfNPrompts, each: settings.bestOfNAnswers, model: model, tokenizer: tokenizer,
                                        maxNewTokens: evaluation.maxNewTokens, label: "sampling (best-of-N)", chapter: chapter))
}
let allTrainingAnswers = trainingAnswers.flatMap { $0 }
chapter.table("the sampled answers", columns: ["prompts", "answers", "mean gold score (0-10)",
                                               "gold spread within a prompt (std)", "ended by themselves", "mean words"],
              rows: [
                  ["training", allTrainingAnswers.count, mean(allTrainingAnswers.map(\.gold.total)),
                   mean(trainingAnswers.map { standardDeviation($0.map(\.gold.total)) }),
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
var labellingRNG = chapter.random("labelling")
let trainingComparisons = PreferenceCollection.allPairs(trainingPrompts, trainingAnswers, panelShare: settings.panelShare,
                                                        rng: &labellingRNG)
let heldOutComparisons = PreferenceCollection.disjointPanelPairs(heldOutPrompts, heldOutAnswers, rng: &labellingRNG)

// One comparison on screen, in the five-option form: a pair the panel split on.
let shown = trainingComparisons.first {
    $0.labels.count == Annotator.panel.count && $0.prompt.family != .arithmetic && Set($0.labels.map(\.label.preferred)).count > 1
} ?? trainingComparisons[0]
chapter.sample(prompt: shown.prompt.text, response: shown.a.text,
               note: String(format: "Response A · gold %.2f (hidden from the annotators)", shown.a.gold.total))
chapter.sample(prompt: shown.prompt.text, response: shown.b.text, note: String(format: "Response B · gold %.2f", shown.b.gold.total))
chapter.table("Which response is better? (what each annotator ticked)", columns: ["", "option", "annotators"],
              rows: PreferenceLabel.allCases.map { option in
                  let who = shown.labels.filter { $0.label == option }.map(\.annotator.name)
                  return [who.isEmpty ? "[ ]" : "[x]", option.text, who.isEmpty ? "-" : who.joined(separator: ", ")]
              })

// ---------------------------------------------------------------------------------------
chapter.section("Step 3: the data set, the human baseline and the ceiling")
chapter.prose("""
    "About the same" says that neither answer is preferred, and the Bradley-Terry model \
    below has no outcome for that: it gives every pair a winner. We drop ties from \
    training (keeping them as 50/50 targets, or fitting a model with a tie outcome such as \
    Rao-Kupper's, are the alternatives) but count them in the statistics. The strength of \
    a decisive label becomes the margin of the loss.
    """)
func margin(_ strength: PreferenceStrength) -> Float {
    strength == .significant ? settings.significantMargin : settings.slightMargin
}
let trainingPairs = trainingComparisons.compactMap { PreferenceCollection.preferencePair($0, split: .train, margin: margin) }
let heldOutPairs = heldOutComparisons.compactMap { PreferenceCollection.preferencePair($0, split: .heldOut, margin: margin) }
let datasetLabels = trainingComparisons.map(\.datasetLabel.label)
chapter.table("the labels of the \(trainingComparisons.count) training comparisons (one per pair)",
              columns: ["label", "pairs", "share"],
              rows: PreferenceLabel.allCases.map { option in
                  let n = datasetLabels.filter { $0 == option }.count
                  return [option.text, n, String(format: "%.1f%%", 100 * Double(n) / Double(max(datasetLabels.count, 1)))]
              })
let panelTraining = trainingComparisons.filter { $0.labels.count > 1 }
let humanBaseline = PreferenceCollection.interAnnotatorAgreement(heldOutComparisons)
let ceiling = PreferenceCollection.goldOrderAgreement(heldOutComparisons)
chapter.table("the data set", columns: ["", "training", "held-out"], rows: [
    ["prompts", trainingPrompts.count, heldOutPrompts.count],
    ["pairs compared", trainingComparisons.count, heldOutComparisons.count],
    ["\"about the same\" (dropped)", trainingComparisons.count - trainingPairs.count, heldOutComparisons.count - heldOutPairs.count],
    ["pairs kept", trainingPairs.count, heldOutPairs.count],
    ["of which \"significantly better\"", trainingPairs.filter { $0.strength == .significant }.count,
     heldOutPairs.filter { $0.strength == .significant }.count],
    ["pairs labelled by the whole panel", panelTraining.count, heldOutComparisons.count],
    ["agreement between annotators (ties count)", PreferenceCollection.interAnnotatorAgreement(panelTraining, ties: .strict),
     PreferenceCollection.interAnnotatorAgreement(heldOutComparisons, ties: .strict)],
    ["agreement between annotators (ties left out)", PreferenceCollection.interAnnotatorAgreement(panelTraining), humanBaseline],
    ["labels that agree with the gold order", PreferenceCollection.goldOrderAgreement(panelTraining), ceiling],
])
let uniformAgreement = ceiling * ceiling + (1 - ceiling) * (1 - ceiling)
chapter.result(RewardModelResults.humanBaseline, 100 * humanBaseline, unit: "%")
chapter.result("ceiling: gold order agrees with a label", 100 * ceiling, unit: "%")
let measuredAgreement = String(format: "%.1f", 100 * humanBaseline)
let uniformVerdict = humanBaseline > uniformAgreement
    ? "below the measured \(measuredAgreement)%: p is not the same for every pair, close to 1 for pairs far apart in gold and "
        + "close to ½ for pairs that nearly tie, and averaging p² + (1 − p)² over pairs gives more than plugging in the average p"
    : "against \(measuredAgreement)% measured"
chapter.prose("""
    Two numbers frame everything a reward model can do, and they are not the same thing. \
    A second annotator names the same better answer as the first in \
    \(measuredAgreement)% of held-out pairs (InstructGPT's labellers: \
    73%): that is the human baseline, how well a person predicts a person. It is not the \
    ceiling. Suppose each annotator follows the gold order of a pair with probability p and \
    errs otherwise, independently. Two of them agree when both follow it or both err:

        P(agree) = p² + (1 − p)²,

    which is below p for every p between ½ and 1 (p − p² − (1 − p)² = (1 − p)(2p − 1) > 0): \
    each of the two adds its own noise. A reward model that had learned the gold order \
    itself would agree with a fresh label with probability p, the share of labels that \
    follow the gold order, here \(String(format: "%.1f", 100 * ceiling))% (on the pairs the \
    judge does not score equally): that is the ceiling for a model that knows the gold \
    order and nothing else. (The annotators also have habits, a taste for longer answers \
    and for the first one shown; a model that learned those too could in principle edge \
    past it, by predicting the habits rather than the quality.) With p = \
    \(String(format: "%.3f", ceiling)) for every pair the formula would give \
    \(String(format: "%.1f", 100 * uniformAgreement))% agreement, \(uniformVerdict).
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

    Since the loss only sees differences, the level of the rewards drifts freely. A small \
    centering term c · E[(r_c + r_r)²] (c = \(settings.training.centeringCoefficient)) keeps \
    it near 0 during training, and afterwards the mean reward of the SFT answers is \
    subtracted, so that 0 means "as good as a typical SFT answer". Neither changes what RL \
    will trade the reward against. The KL-regularized objective E[r] − β KL has the optimum \
    π*(y|x) ∝ π_ref(y|x) exp(r(x, y)/β), and a constant c added to every reward becomes a \
    factor exp(c/β) that the normalization over y cancels: the same optimal policy. What \
    centering buys is practical: policy-gradient estimates with a smaller offset in the \
    reward have less variance (chapter 03 measured how much a baseline helps), and a PPO \
    critic starts closer to the right values.
    """)

chapter.section("The reward model: the SFT model with a scalar head")
let config = model.config
chapter.prose("""
    The reward model starts as a copy of the SFT model, whose features already know the \
    world and the chat format. The LM head (d → vocabulary) is replaced by a scalar head \
    (d → 1), and the reward is read at the last token of "User: x  Assistant: y", the \
    <|endoftext|> that ends the answer: in a causal model it is the only position that \
    has seen the whole exchange.

    We fine-tune every weight (InstructGPT and Llama 2 do too); this model has \
    \(String(format: "%.2f", Double(config.parameterCount) / 1e6)) million weights, so a full \
    copy costs \(String(format: "%.1f", Double(config.parameterCount * 4) / 1e6)) MB. The \
    backbone is separate from the policy: later chapters train the policy while the reward \
    model stays frozen. Each training step takes \(settings.training.promptsPerStep) prompts \
    with all of their decisive pairs (InstructGPT's batching: each of a prompt's \
    \(settings.answersPerPrompt) answers is read once per step however many pairs it is in); \
    \(settings.training.epochs) passes over the data; AdamW at peak learning rate \
    \(settings.training.learningRate), warmup then cosine decay, gradients clipped at norm 1. \
    The progress line shows TRL's metric names: the loss, accuracy (share of pairs with \
    r_c > r_r), margin (mean r_c − r_r) and mean reward.
    """)

/// A fresh reward model on a copy of the SFT weights.
func freshRewardModel(_ label: String) -> RewardModel {
    var rng = chapter.random("reward head \(label)")
    let backbone = GPT(config: config, rng: &rng)
    backbone.parameters.copyWeights(from: model.parameters)
    return RewardModel(backbone: backbone, tokenizer: tokenizer, rng: &rng)
}

/// Accuracy against every decisive label of the comparisons, from the rewards of A and B.
func annotatorAccuracy(_ comparisons: [Comparison], _ a: [Float], _ b: [Float]) -> Double {
    PreferenceCollection.agreementWithLabels(comparisons) { a[$0] == b[$0] ? nil : a[$0] > b[$0] }
}

/// The Bradley-Terry loss (with margins) and the accuracy against every label, on every
/// held-out comparison: the numbers the training figure draws and the table reports.
func heldOutMeasures(_ rewardModel: RewardModel) -> (loss: Double, accuracy: Double) {
    let (a, b) = PreferenceCollection.rewards(of: heldOutComparisons, by: rewardModel)
    var chosen: [Float] = [], rejected: [Float] = [], margins: [Float] = []
    for (i, c) in heldOutComparisons.enumerated() {
        guard let pair = PreferenceCollection.preferencePair(c, split: .heldOut, margin: margin) else { continue }
        let aChosen = c.datasetLabel.label.preferred == .a
        chosen.append(aChosen ? a[i] : b[i])
        rejected.append(aChosen ? b[i] : a[i])
        margins.append(pair.margin)
    }
    let loss = bradleyTerryLoss(chosenRewards: Tensor(shape: [chosen.count], data: chosen),
                                rejectedRewards: Tensor(shape: [rejected.count], data: rejected), margins: margins).loss
    return (Double(loss.item), annotatorAccuracy(heldOutComparisons, a, b))
}

/// Trains a reward model on the pairs of some of the training comparisons; `curve` false
/// skips the held-out measurements along the way.
func trainRewardModel(on comparisons: [Comparison], label: String, curve: Bool = true)
    -> (model: RewardModel, curves: RewardModelTraining.Curves) {
    let rewardModel = freshRewardModel(label)
    let pairs = comparisons.compactMap { PreferenceCollection.preferencePair($0, split: .train, margin: margin) }
    let byPrompt = Dictionary(grouping: pairs.map { ($0.prompt, rewardModel.tokenized($0)) }, by: \.0).mapValues { $0.map(\.1) }
    let groups = trainingPrompts.compactMap { byPrompt[$0.text] }
    let curves = settings.training.train(rewardModel, groups: groups, chapter: chapter, label: label,
                                         heldOut: curve ? { Autograd.withoutGradients { heldOutMeasures(rewardModel) } } : nil)
    return (rewardModel, curves)
}

let (rewardModel, curves) = trainRewardModel(on: trainingComparisons, label: "reward model")
let smoothed = { (values: [Double]) in values.indices.map { mean(Array(values[max(0, $0 - 19)...$0])) } }
let heldOutLosses = curves.heldOut.map(\.loss)
let bestStep = curves.heldOut[heldOutLosses.firstIndex(of: heldOutLosses.min()!)!].step
let stepsPerEpoch = curves.trainLoss.count / max(settings.training.epochs, 1)
chapter.figure(.lines(
    "training", title: "Reward model training: loss and accuracy",
    x: PlotAxis("optimizer step"), y: PlotAxis("loss (nats) and accuracy (share)"),
    series: [
        PlotSeries("training loss (20-step mean)", x: curves.trainLoss.indices.map { Double($0 + 1) }, y: smoothed(curves.trainLoss)),
        PlotSeries("held-out loss", x: curves.heldOut.map { Double($0.step) }, y: heldOutLosses),
        PlotSeries("training accuracy (20-step mean)", x: curves.trainAccuracy.indices.map { Double($0 + 1) },
                   y: smoothed(curves.trainAccuracy)),
        PlotSeries("held-out accuracy vs annotators", x: curves.heldOut.map { Double($0.step) }, y: curves.heldOut.map(\.accuracy)),
    ],
    references: [.horizontal(humanBaseline, "human baseline"), .horizontal(ceiling, "ceiling (gold order)")]
        + (1..<max(settings.training.epochs, 1)).map { .vertical(Double($0 * stepsPerEpoch), "end of epoch \($0)") }))
let trainEnd = mean(Array(curves.trainAccuracy.suffix(20))), trainStart = mean(Array(curves.trainAccuracy.prefix(20)))
let measuredAccuracies = curves.heldOut.dropFirst().map { String(format: "%.3f at step %d", $0.accuracy, $0.step) }
    .joined(separator: ", ")
let timesPerEpoch = [1: "once", 2: "twice"][settings.training.evaluationsPerEpoch] ?? "\(settings.training.evaluationsPerEpoch) times"
let bestAccuracy = curves.heldOut.max { $0.accuracy < $1.accuracy }!
let lossVerdict = bestStep == curves.trainLoss.count
    ? "still falling at the last step: no sign of overfitting within \(settings.training.epochs == 1 ? "one pass" : "\(settings.training.epochs) passes")."
    : "and rises after it while the training accuracy keeps climbing: the later pass starts to fit the noise of the training "
        + "labels, which is why InstructGPT stops after one epoch. The accuracy, which is what later chapters need, "
        + (bestAccuracy.step == curves.trainLoss.count ? "is at its best at the end, so we keep both passes."
            : String(format: "peaked at %.3f at step %d and ends at %.3f.", bestAccuracy.accuracy, bestAccuracy.step,
                     curves.heldOut.last!.accuracy))
chapter.prose("""
    The training accuracy climbs from \(String(format: "%.2f", trainStart)) to \
    \(String(format: "%.2f", trainEnd)) (against single noisy labels, whose own ceiling is \
    about \(String(format: "%.2f", ceiling))). On all \(heldOutComparisons.count) held-out \
    comparisons, measured \(timesPerEpoch) an epoch, the accuracy against the annotators is \
    \(measuredAccuracies) (the table below reports the last); the held-out loss is lowest \
    at step \(bestStep) of \(curves.trainLoss.count) (epoch 1 ends at step \(stepsPerEpoch)), \
    \(lossVerdict)
    """)

// Centering after training: the mean reward of the SFT training answers becomes 0.
let referenceRows = allTrainingAnswers.map { rewardModel.tokens(promptTokens: $0.rollout.promptTokens, responseTokens: $0.rollout.responseTokens) }
let (meanBefore, referenceStd) = rewardModel.center(on: referenceRows)
chapter.say(String(format: "centered the rewards: subtracted %.3f, the mean reward of the %d SFT training answers (their std is %.3f)",
                   meanBefore, referenceRows.count, referenceStd))

// ---------------------------------------------------------------------------------------
chapter.section("How good is the reward model?")
let (heldOutA, heldOutB) = PreferenceCollection.rewards(of: heldOutComparisons, by: rewardModel)
let accuracy = annotatorAccuracy(heldOutComparisons, heldOutA, heldOutB)
// On the pairs the gold judge does not score equally, the set the ceiling is measured on.
let accuracyOnCeilingPairs = PreferenceCollection.agreementWithLabels(heldOutComparisons) {
    heldOutComparisons[$0].goldDiffers && heldOutA[$0] != heldOutB[$0] ? heldOutA[$0] > heldOutB[$0] : nil
}
let goldOrder = PreferenceCollection.goldOrderAccuracy(heldOutComparisons, rewardsA: heldOutA, rewardsB: heldOutB)
let heldOutFlat = heldOutAnswers.flatMap { $0 }
let heldOutRewards = rewardModel.score(heldOutFlat.map(\.rollout), batchSize: 64).map(Double.init)
let isArithmetic = heldOutPrompts.flatMap { Array(repeating: $0.family == .arithmetic, count: settings.heldOutAnswers) }
func spearman(_ arithmetic: Bool?) -> Double {
    let kept = heldOutFlat.indices.filter { arithmetic == nil || isArithmetic[$0] == arithmetic }
    return spearmanCorrelation(kept.map { heldOutRewards[$0] }, kept.map { heldOutFlat[$0].gold.total })
}
chapter.table("held-out evaluation (\(heldOutComparisons.count) pairs from \(heldOutPrompts.count) prompts, five labels each)",
              columns: ["measure", "value"], rows: [
                  ["reward model vs annotators' labels", accuracy],
                  ["a second annotator (the human baseline)", humanBaseline],
                  ["the gold order (the ceiling)", ceiling],
                  ["reward model / human baseline", accuracy / humanBaseline],
                  ["reward model vs labels, pairs the judge tells apart", accuracyOnCeilingPairs],
                  ["that / ceiling (the same pairs)", accuracyOnCeilingPairs / ceiling],
                  ["reward model vs the gold order (\(goldOrder.pairs) pairs)", goldOrder.accuracy],
                  ["Spearman ρ(reward, gold), all held-out answers", spearman(nil)],
                  ["Spearman ρ, open-ended prompts", spearman(false)],
                  ["Spearman ρ, arithmetic prompts", spearman(true)],
              ])
chapter.result(RewardModelResults.heldOutAccuracy, 100 * accuracy, unit: "%")
chapter.result("accuracy / human baseline", 100 * accuracy / humanBaseline, unit: "%")
chapter.result("accuracy / ceiling (same pairs)", 100 * accuracyOnCeilingPairs / ceiling, unit: "%")
chapter.result(RewardModelResults.goldOrderAccuracy, 100 * goldOrder.accuracy, unit: "%")
chapter.result("Spearman rank correlation, open-ended", spearman(false))

// Which parts of the gold standard the reward model has learned: the rank correlation of
// the reward with each criterion, beside the gold total's own.
let openAnswers = heldOutFlat.indices.filter { !isArithmetic[$0] }
chapter.table("open-ended held-out answers: what the reward tracks, criterion by criterion (Spearman ρ)",
              columns: ["criterion", "ρ(reward, criterion)", "ρ(gold total, criterion)"],
              rows: GoldJudge.Criterion.allCases.filter { $0 != .rightNumber }.map { criterion in
                  let values = openAnswers.map { heldOutFlat[$0].gold[criterion] }
                  return [criterion.rawValue, spearmanCorrelation(openAnswers.map { heldOutRewards[$0] }, values),
                          spearmanCorrelation(openAnswers.map { heldOutFlat[$0].gold.total }, values)]
              })
let topicSplit = [true, false].map { differs in
    PreferenceCollection.goldOrderAccuracy(heldOutComparisons, rewardsA: heldOutA, rewardsB: heldOutB) { c in
        c.prompt.family != .arithmetic && ((c.a.gold[.onTopic] > 0) != (c.b.gold[.onTopic] > 0)) == differs
    }
}
chapter.table("open-ended pairs: accuracy against the gold order by the \"on topic\" criterion",
              columns: ["pairs", "count", "accuracy"],
              rows: [["one answer on topic, the other not", topicSplit[0].pairs, topicSplit[0].accuracy],
                     ["both on topic, or both off", topicSplit[1].pairs, topicSplit[1].accuracy]])

// ---------------------------------------------------------------------------------------
chapter.section("More comparisons")
chapter.prose("""
    Would more labels fix it? Labels are cheap here, so the question can be asked directly: \
    the same recipe trained on the comparisons of a share of the training prompts, \
    \(settings.dataShares.map { String(format: "%g", $0) }.joined(separator: ", ")) and all of them, each \
    measured on the same held-out pairs. (Reward-model papers report accuracy growing \
    roughly with the logarithm of the number of comparisons.)
    """)
var dataRows: [[any TableValue]] = []
var dataPoints: [(comparisons: Double, accuracy: Double)] = []
// A share of the prompts, with all of their comparisons: the training steps, which go by
// prompts, then shrink with the data.
var shareRNG = chapter.random("data shares")
let shuffledPrompts = shareRNG.shuffled(trainingPrompts.map(\.text))
for share in settings.dataShares {
    let kept = Set(shuffledPrompts.prefix(max(Int(Double(shuffledPrompts.count) * share), 1)))
    let subset = trainingComparisons.filter { kept.contains($0.prompt.text) }
    let (subsetModel, _) = trainRewardModel(on: subset, label: String(format: "reward model, %g of the data", share), curve: false)
    let (subsetA, subsetB) = PreferenceCollection.rewards(of: heldOutComparisons, by: subsetModel)
    let value = annotatorAccuracy(heldOutComparisons, subsetA, subsetB)
    dataPoints.append((Double(subset.count), value))
    dataRows.append([String(format: "%g", share), subset.count, value])
}
dataPoints.append((Double(trainingComparisons.count), accuracy))
dataRows.append(["1", trainingComparisons.count, accuracy])
chapter.table("held-out accuracy against the annotators, by the comparisons trained on",
              columns: ["share", "comparisons", "accuracy"], rows: dataRows)
chapter.figure(.lines(
    "accuracy-vs-comparisons", title: "Reward model: held-out accuracy against the number of comparisons",
    x: PlotAxis("training comparisons", logarithmic: true), y: PlotAxis("accuracy against the annotators' labels"),
    series: [PlotSeries("reward model", x: dataPoints.map(\.comparisons), y: dataPoints.map(\.accuracy))],
    references: [.horizontal(humanBaseline, "human baseline (a second annotator)"), .horizontal(ceiling, "ceiling (the gold order)")]))
let gainPerDoubling = dataPoints.count > 1
    ? (dataPoints.last!.accuracy - dataPoints.first!.accuracy) / log2(dataPoints.last!.comparisons / dataPoints.first!.comparisons) : 0
// An accuracy over the held-out pairs has a standard error of at most 0.5/√pairs; the
// difference of two, at most √2 times that.
let accuracyError = 0.5 / Double(max(heldOutComparisons.count, 1)).squareRoot()
let labelsGain = dataPoints.last!.accuracy - dataPoints.first!.accuracy
let labelsVerdict = dataPoints.count < 2 ? "" : String(
    format: "From %.0f to %.0f comparisons the accuracy went from %.1f%% to %.1f%% (%+.1f points per doubling); an "
        + "accuracy measured on %d pairs has a standard error of up to %.1f points, and a difference of two up to %.1f, so ",
    dataPoints.first!.comparisons, dataPoints.last!.comparisons, 100 * dataPoints.first!.accuracy, 100 * dataPoints.last!.accuracy,
    100 * gainPerDoubling, heldOutComparisons.count, 100 * accuracyError, 100 * 2.0.squareRoot() * accuracyError)
    + (abs(labelsGain) > 2 * 2.0.squareRoot() * accuracyError
        ? (labelsGain > 0 ? "more labels help, beyond two standard errors." : "more labels hurt here, beyond two standard errors.")
        : "the change is within two standard errors: at this size, more labels of this kind do not measurably help.")
let criterion = { (name: GoldJudge.Criterion) -> Double in
    spearmanCorrelation(openAnswers.map { heldOutRewards[$0] }, openAnswers.map { heldOutFlat[$0].gold[name] })
}
let goldOnTopic = spearmanCorrelation(openAnswers.map { heldOutFlat[$0].gold.total }, openAnswers.map { heldOutFlat[$0].gold[.onTopic] })
let goldFacts = spearmanCorrelation(openAnswers.map { heldOutFlat[$0].gold.total }, openAnswers.map { heldOutFlat[$0].gold[.correctFacts] })
let styleFollowed = [criterion(.simpleWords), criterion(.analogy), criterion(.engagingQuestion)].max()!
let topicVerdict = criterion(.onTopic) < styleFollowed
    ? "It follows style more closely than whether the question was answered, though the judge weighs the second far more: on "
        + "pairs where one answer is on topic and the other is not, the pairs the judge separates most widely, it picks the one on "
        + String(format: "topic %.0f%% of the time. A reward model this small, fine-tuned on a few thousand comparisons, ", 100 * topicSplit[0].accuracy)
        + "learns the style of a good answer long before it learns to check the answer against the question. That blind spot "
        + "is what the RL chapters will find: a policy can raise this reward with style alone."
    : "It follows whether the question was answered more closely than any single point of style: on pairs where one "
        + String(format: "answer is on topic and the other is not, it picks the one on topic %.0f%% of the time.", 100 * topicSplit[0].accuracy)
chapter.prose("""
    The reward model agrees with an annotator on \(String(format: "%.1f", 100 * accuracy))% of \
    held-out labels: \(String(format: "%.0f", 100 * accuracy / humanBaseline))% of the human \
    baseline (\(String(format: "%.1f", 100 * humanBaseline))%); on the pairs the judge tells apart it \
    agrees \(String(format: "%.1f", 100 * accuracyOnCeilingPairs))% of the time, \
    \(String(format: "%.0f", 100 * accuracyOnCeilingPairs / ceiling))% of the ceiling \
    (\(String(format: "%.1f", 100 * ceiling))%) on the same pairs. Against the gold order, which it never saw, it \
    is right on \(String(format: "%.1f", 100 * goldOrder.accuracy))% of the pairs, and its rank \
    correlation with the gold score is \(String(format: "%.2f", spearman(false))) on open-ended \
    answers. \(labelsVerdict)

    The criterion table says what it has learned. Of the criteria a reader can see in the \
    answer alone, the reward follows simple words (ρ \(String(format: "%.2f", criterion(.simpleWords)))), \
    an analogy (\(String(format: "%.2f", criterion(.analogy)))), a question at the end \
    (\(String(format: "%.2f", criterion(.engagingQuestion)))) and a sensible length \
    (\(String(format: "%.2f", criterion(.sensibleLength)))). Of those that need the answer read \
    against the question, it follows whether the answer stays on the topic asked with ρ \
    \(String(format: "%.2f", criterion(.onTopic))), where the gold total's own is \
    \(String(format: "%.2f", goldOnTopic)), and whether it states that topic's facts with \
    \(String(format: "%.2f", criterion(.correctFacts))) (gold: \
    \(String(format: "%.2f", goldFacts))). \(topicVerdict)
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Best-of-N: optimizing the reward, and over-optimizing it")
chapter.prose("""
    The simplest way to use a reward model: sample N answers and keep the one with the \
    highest reward. No weights change, but the distribution of answers does: best-of-N is \
    a new policy. The usual formula for its distance from the base policy,

        KL(π_bon ‖ π_SFT) ≤ log N − (N − 1) / N

    (0 at N = 1, 0.64 nats at N = 4, 1.84 at N = 16), is an upper bound (Beirami et al., \
    2024), exact only when the N candidates are always distinct; repeated answers make the \
    true KL smaller. It is a bound on the KL from the distribution the candidates were \
    drawn from, which is why they are sampled here at temperature 1 with no top-p: that \
    distribution is π_SFT itself.

    As N grows we optimize the reward harder. If the reward model were the gold judge, the \
    gold score would climb steadily; since it is only a proxy, fitted to noisy labels and \
    blind to some criteria, the gold score of the chosen answer climbs more slowly than the \
    reward, and with enough pressure it can turn down while the reward keeps rising \
    (Goodhart's law, measured for reward models by Gao et al., 2023). For each of \
    \(bestOfNPrompts.count) held-out prompts we have \(settings.bestOfNAnswers) answers; the \
    expected result of best-of-N is computed exactly over every N-subset of them (the best \
    of a random subset is the answer of reward rank i in C(i−1, N−1) of the C(K, N) \
    subsets), which is unbiased and far less noisy than drawing one subset. Both gains are \
    shown in the same unit, standard deviations of the SFT answers' values, so that the \
    gap between them is visible.
    """)
let bestOfNRewards = bestOfNAnswers.map { answers in rewardModel.score(answers.map(\.rollout), batchSize: 64) }
let bestOfNSizes = [1, 2, 4, 8, 16].filter { $0 <= settings.bestOfNAnswers }
struct BestOfNRow { let n: Int; let reward: [Double], gold: [Double], oracleGold: [Double], words: [Double] }
let bestOfNRows = bestOfNSizes.map { n in
    BestOfNRow(
        n: n,
        reward: bestOfNRewards.map { expectedBestOfN(n, rewards: $0, values: $0.map(Double.init)) },
        gold: zip(bestOfNRewards, bestOfNAnswers).map { expectedBestOfN(n, rewards: $0, values: $1.map(\.gold.total)) },
        oracleGold: bestOfNAnswers.map { a in expectedBestOfN(n, rewards: a.map { Float($0.gold.total) }, values: a.map(\.gold.total)) },
        words: zip(bestOfNRewards, bestOfNAnswers).map { expectedBestOfN(n, rewards: $0, values: $1.map { Double($0.words) }) })
}
let candidateRewards = bestOfNRewards.flatMap { $0 }.map(Double.init)
let candidateGold = bestOfNAnswers.flatMap { $0 }.map(\.gold.total)
let (rewardSD, goldSD) = (standardDeviation(candidateRewards), standardDeviation(candidateGold))
for row in bestOfNRows {
    chapter.log("best-of-n", step: row.n, "kl bound", bestOfNKL(row.n))
    chapter.log("best-of-n", step: row.n, "reward", mean(row.reward))
    chapter.log("best-of-n", step: row.n, "gold", mean(row.gold))
    chapter.log("best-of-n", step: row.n, "oracle gold", mean(row.oracleGold))
}
chapter.table("best-of-N on \(bestOfNPrompts.count) held-out prompts (means over prompts)",
              columns: ["N", "KL bound (nats)", "reward of the choice", "gold of the choice", "gold if the judge chose",
                        "words of the choice"],
              rows: bestOfNRows.map { [$0.n, bestOfNKL($0.n), mean($0.reward), mean($0.gold), mean($0.oracleGold), mean($0.words)] })
let (first, last) = (bestOfNRows.first!, bestOfNRows.last!)
let goldGain = mean(last.gold) - mean(first.gold), oracleGain = mean(last.oracleGold) - mean(first.gold)
chapter.result("gold gain of best-of-\(last.n) by the reward model", goldGain)
chapter.result("gold gain of best-of-\(last.n) by the gold judge", oracleGain)
chapter.result("share of the judge's gain", 100 * goldGain / max(oracleGain, 1e-9), unit: "%")
let peak = bestOfNRows.max { mean($0.gold) < mean($1.gold) }!
let lengthChange = mean(last.words) >= mean(first.words) ? "longer" : "shorter"
let shape = peak.n < last.n
    ? "The gold score peaks at N = \(peak.n) and falls after it while the reward keeps climbing: the reward model's errors, not the answers' quality, now decide which answer wins. That is over-optimization, already within \(String(format: "%.2f", bestOfNKL(peak.n))) nats."
    : "The gold score still rises at N = \(last.n), but more slowly than the reward: the larger N, the more often the winner is an answer whose reward the model overestimates."
chapter.prose("""
    From N = 1 to N = \(last.n), the reward of the chosen answer rises by \
    \(String(format: "%.2f", (mean(last.reward) - mean(first.reward)) / max(rewardSD, 1e-9))) standard \
    deviations and its gold score by \(String(format: "%.2f", goldGain / max(goldSD, 1e-9))) \
    (\(String(format: "%+.2f", goldGain)) points, where choosing by the gold judge itself would \
    gain \(String(format: "%+.2f", oracleGain)): the reward model captures \
    \(String(format: "%.0f", 100 * goldGain / max(oracleGain, 1e-9)))% of the gain a perfect judge \
    would get). \(shape) The chosen answers are \(String(format: "%.0f", abs(mean(last.words) - mean(first.words)))) \
    words \(lengthChange) on average than a random one. Best-of-\(last.n) stops at \
    \(String(format: "%.1f", bestOfNKL(last.n))) nats at most; PPO will push further, and without a KL \
    penalty the same gap would open much wider.
    """)
chapter.figure(.lines(
    "best-of-n", title: "Best-of-N on held-out prompts: proxy reward against gold score",
    x: PlotAxis("KL bound log N − (N−1)/N", unit: "nats"), y: PlotAxis("gain over N = 1", unit: "standard deviations"),
    series: [
        PlotSeries("reward of the choice", x: bestOfNSizes.map(bestOfNKL),
                   y: bestOfNRows.map { (mean($0.reward) - mean(first.reward)) / rewardSD },
                   spread: bestOfNRows.map { standardError($0.reward) / rewardSD }),
        PlotSeries("gold score of the choice", x: bestOfNSizes.map(bestOfNKL),
                   y: bestOfNRows.map { (mean($0.gold) - mean(first.gold)) / goldSD }, spread: bestOfNRows.map { standardError($0.gold) / goldSD }),
        PlotSeries("gold score if the gold judge chose", x: bestOfNSizes.map(bestOfNKL),
                   y: bestOfNRows.map { (mean($0.oracleGold) - mean(first.gold)) / goldSD },
                   spread: bestOfNRows.map { standardError($0.oracleGold) / goldSD }),
    ]))

// ---------------------------------------------------------------------------------------
chapter.section("The course's baseline and best-of-4 on every held-out prompt")
chapter.prose("""
    Every later chapter compares its policy with the SFT policy on the course's held-out \
    evaluation. The SFT policy's answers are chapter 02's; here the reward model scores \
    them, and that evaluation becomes the baseline. Best-of-4, the choice among the four \
    answers sampled above for every held-out prompt, is measured the same way.
    """)
let scorer = HeldOutEvaluation(world: world, tokenizer: tokenizer, rewardModel: rewardModel, chapter: chapter.name.folder,
                               quick: options.quick, seed: options.seed)
let baseline = scorer.addingRewards(to: sftEvaluation)
let k = settings.heldOutAnswers
let bestOf4 = scorer.evaluate("best-of-\(k)", rollouts: heldOutAnswers.indices.map { p in
    heldOutAnswers[p][bestIndex(heldOutRewards[(p * k)..<((p + 1) * k)].map(Float.init))].rollout
}, klSource: .bound, klBound: bestOfNKL(k), selection: "the best of \(k) by the reward model",
   against: baseline, compute: .init(rewardModelCallsPerPrompt: k))
chapter.report([baseline, bestOf4], against: baseline)
chapter.headline(String(format: "reward model %.1f%% against a second annotator's %.1f%% (ceiling %.1f%%); best-of-%d gains %+.2f ± %.2f gold",
                        100 * accuracy, 100 * humanBaseline, 100 * ceiling, k, bestOf4.summary(against: baseline).goldGain ?? 0,
                        bestOf4.summary(against: baseline).goldGainStandardError ?? 0))
chapter.save(baseline, name: "SFT")
chapter.save(bestOf4, showdown: .baseline)

// ---------------------------------------------------------------------------------------
chapter.section("Saving the preference data and the reward model")
let allPairs = trainingPairs + heldOutPairs
do {
    try PreferenceData.save(allPairs, to: chapter.runFile(PreferenceData.fileName))
    try rewardModel.save(to: chapter.runFile(RewardModel.fileName))
} catch {
    chapter.stop("chapter 04 could not save its outputs in \(chapter.runPath): \(ArtifactMessage.reason(error))", code: 74)
}
chapter.say("""
    saved \(allPairs.count) pairs (\(trainingPairs.count) train, \(heldOutPairs.count) held-out) to \
    \(chapter.runPath)/\(PreferenceData.fileName), the reward model to \(chapter.runPath)/\(RewardModel.fileName), \
    and the SFT baseline and best-of-4 evaluations beside them
    """)
chapter.finish()
