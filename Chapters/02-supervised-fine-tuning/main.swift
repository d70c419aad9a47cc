// Chapter 02: supervised fine-tuning.
//
// Teaches the pretrained model of chapter 01 the shape of an answer, by imitating
// demonstrations, with a LoRA adapter and a loss on response tokens only. Writes
// runs/02-supervised-fine-tuning/adapter.safetensors for every later chapter.
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter("02-supervised-fine-tuning", title: "Chapter 02 · Supervised fine-tuning", options: options)

chapter.section("From a text predictor to an answerer")
chapter.prose("""
    Supervised fine-tuning (SFT) is the first alignment step and the simplest: collect \
    demonstrations, prompts with answers written the way we want answers written, and keep \
    training the language model on them with the same next-token loss as in pretraining. \
    The model already knows the facts; SFT teaches it the format (a user speaks, the \
    assistant answers, then stops) and the register (talk to the person asking).

    SFT and RLHF learn from different signals. SFT imitates: it needs someone to write the \
    good answer, and the model can at best become the average of its demonstrators, flaws \
    included. RLHF compares: people only say which of two answers is better, which is \
    cheaper and easier to do well than writing the ideal answer, and the policy can be \
    pushed past the demonstrations towards whatever people prefer.

    What if we stopped after SFT? We would keep the demonstrators' average: here, a mix of \
    excellent, dry, too technical, too long and occasionally wrong answers. What if we \
    skipped SFT and went straight to RL? The pretrained model almost never produces \
    something shaped like an answer, so nearly every sample gets the same low reward and \
    the policy gradient has nothing to climb; and the KL anchor of RLHF would tie the \
    policy to a model that does not chat. InstructGPT and nearly every pipeline since \
    start RL from an SFT model. So do we.
    """)

// ---------------------------------------------------------------------------------------
// What chapter 01 left behind.
let pretrainedDirectory = chapter.require("model.safetensors", from: "01-pretrained-model")
    .deletingLastPathComponent()
let llm = chapter.load("model.safetensors", from: "01-pretrained-model") { _ in
    try PretrainedLLM.load(from: pretrainedDirectory)
}
let (tokenizer, model) = (llm.tokenizer, llm.model)
let world = SyntheticWorld(seed: options.seed)
let judge = GoldJudge()

/// The settings of this chapter, with the usual ranges.
struct SFTSettings {
    /// LoRA rank r (4-64), scale α (usually 2r) and dropout on the adapter's input.
    var rank = 16, alpha: Float = 32, dropout: Float = 0.05
    /// Sequences per step and optimizer steps of the main run.
    var batch = 16, steps: Int
    /// Steps of each run of the side experiment (masked against unmasked loss).
    var sideSteps: Int
    /// Peak learning rate of AdamW on the adapter (LoRA tolerates 10x full fine-tuning's).
    var learningRate: Float = 3e-3
    /// Held-out demonstrations for the loss, held-out prompts for generation. The full run
    /// answers every held-out prompt: one answer per prompt is a noisy measurement, and
    /// a few hundred of them make a difference of half a point stand out.
    var evaluationDemonstrations: Int, evaluationPrompts: Int
    /// Longest generated response, in tokens.
    var maxNewTokens: Int
    /// Held-out loss every this many steps.
    var evaluationInterval: Int
}
let settings = options.quick
    ? SFTSettings(steps: options.budget(full: 60, quick: 60), sideSteps: 30, evaluationDemonstrations: 32,
                  evaluationPrompts: 32, maxNewTokens: 48, evaluationInterval: 15)
    : SFTSettings(steps: options.budget(full: 600, quick: 60), sideSteps: 80, evaluationDemonstrations: 128,
                  evaluationPrompts: world.heldOutPrompts.count, maxNewTokens: 192, evaluationInterval: 20)

// ---------------------------------------------------------------------------------------
chapter.section("The chat format and the demonstrations")
chapter.prose("""
    A conversation is plain text in a fixed format, then the end-of-text token:

        User: Explain quantum computing to a 10-year-old

        Assistant: Imagine a coin spinning in the air ... <|endoftext|>

    Nothing in it is new to the model: "User", "Assistant" and <|endoftext|> are all in its \
    vocabulary. What is new is the arrangement, and the habit of stopping after the answer. \
    The world's demonstrators wrote answers of mixed quality, as real ones do: some \
    excellent (simple words, an analogy, a question back to the child), many correct but \
    dry, some too technical, too long, or with a small factual slip.
    """)
var qualityRows: [[any TableValue]] = []
for quality in Demonstration.Quality.allCases {
    let demos = world.demonstrations.filter { $0.quality == quality }
    let meanGold = demos.map { judge.score($0.prompt, response: $0.response).total }.reduce(0, +) / Double(max(demos.count, 1))
    qualityRows.append([quality.rawValue, demos.count, meanGold])
}
chapter.table("the demonstrations (\(world.demonstrations.count) in all)",
              columns: ["quality", "demonstrations", "mean gold score (0-10)"], rows: qualityRows)
if let excellent = world.demonstrations.first(where: { $0.quality == .excellent }) {
    chapter.sample(prompt: excellent.prompt.text, response: excellent.response, note: "an excellent demonstration")
}
if let dry = world.demonstrations.first(where: { $0.quality == .dry }) {
    chapter.sample(prompt: dry.prompt.text, response: dry.response, note: "a dry one")
}

func chatExample(_ demo: Demonstration) -> ChatExample {
    ChatExample(prompt: ChatFormat.promptTokens(demo.prompt.text, tokenizer: tokenizer),
                response: ChatFormat.responseTokens(demo.response, tokenizer: tokenizer))
}
let trainingExamples = world.demonstrations.map(chatExample)
let heldOutExamples = Array(world.heldOutDemonstrations.prefix(settings.evaluationDemonstrations).map(chatExample))

// ---------------------------------------------------------------------------------------
chapter.section("LoRA: training a small correction instead of the whole model")
let config = model.config
let d = config.modelWidth
let loraParameterCount = config.layerCount * 2 * (d * settings.rank + settings.rank * d)
let baseParameterCount = config.parameterCount
chapter.prose("""
    Fine-tuning every weight works, but it needs a full copy of the model per task and \
    optimizer state for every weight. LoRA (Hu et al., 2021) freezes the pretrained weight \
    W (d_in x d_out) and learns a low-rank correction beside it:

        y = x W + (alpha / r) * x A B,    A: d_in x r,   B: r x d_out,   r << d

    A starts random and B starts at zero, so at step 0 the correction is exactly zero and \
    the model is exactly the pretrained one; training moves B away from zero. (Starting \
    both at zero would leave every gradient zero; the scale alpha / r keeps the effective \
    step size steady when r changes.) Following the usual recipe, the adapter sits on the \
    query and value projections of every attention layer, which here are the first and \
    last thirds of the fused c_attn matrix, with r = \(settings.rank), alpha = \(Int(settings.alpha)), \
    and dropout \(settings.dropout) on the adapter's input.

    For this model (d = \(d), \(config.layerCount) layers), each adapted projection has \
    d*r + r*d = \(2 * d * settings.rank) trainable numbers instead of d*d = \(d * d); two \
    per layer gives \(loraParameterCount) in all, against \(baseParameterCount) in the \
    model. A later chapter can switch the adapter off to get the pretrained model back for \
    free: that is how RLHF's reference model costs no extra weights here.
    """)

var adapterRNG = chapter.random("adapter")
let loraConfig = LoRAConfig(rank: settings.rank, alpha: settings.alpha, dropout: settings.dropout)
chapter.table(columns: ["trainable (LoRA)", "frozen (base)", "trainable share"], rows: [
    [loraParameterCount, baseParameterCount, String(format: "%.2f%%", 100 * Double(loraParameterCount) / Double(baseParameterCount))],
])

// ---------------------------------------------------------------------------------------
chapter.section("Loss masking: learn the answers, not the questions")
chapter.prose("""
    The loss counts only the predictions we want the model to learn: the response tokens \
    and the end-of-text token after them. The prompt is context; training on it would teach \
    the model to write users' questions. The end-of-text token matters most of all: it is \
    the only way the model learns to stop. (A common bug, present in the notebook this course \
    grew from: padding batches with the end-of-text token and then ignoring padding by its \
    id also ignores every real end-of-text token, so the model never learns to stop.)

    Below, a fresh adapter is first trained for \(settings.sideSteps) steps with the buggy \
    "everything but end-of-text" mask; the real run that follows uses the response-only \
    mask. The held-out loss on response tokens is measured for both as they train.
    """)

/// Mean held-out loss on response tokens (and their end-of-text), in nats/token.
func heldOutResponseLoss() -> Double {
    Autograd.withoutGradients {
        var total = 0.0, batches = 0.0
        for start in stride(from: 0, to: heldOutExamples.count, by: 16) {
            let chunk = Array(heldOutExamples[start..<min(start + 16, heldOutExamples.count)])
            let (batch, targets) = supervisedBatch(chunk, mask: .responseOnly, endOfText: tokenizer.endOfText,
                                                   contextLength: config.contextLength)
            total += Double(model.loss(batch, targets: targets).item)
            batches += 1
        }
        return total / max(batches, 1)
    }
}

/// Trains a fresh adapter on the demonstrations with the given loss mask; returns it with
/// its training and held-out loss curves.
func trainAdapter(mask: LossMask, steps: Int, label: String)
    -> (adapter: LoRAAdapter, train: [Double], heldOut: [(step: Double, loss: Double)]) {
    let adapter = LoRAAdapter(config: loraConfig, for: config, rng: &adapterRNG)
    model.adapter = adapter
    let optimizer = AdamW(parameters: adapter.parameters, learningRate: settings.learningRate, weightDecay: 0)
    let schedule = LearningRateSchedule(peak: settings.learningRate, minimum: settings.learningRate / 10,
                                        warmupSteps: max(steps / 15, 1), totalSteps: steps)
    var batchRNG = chapter.random("batches \(label)")
    var trainLosses: [Double] = []
    var heldOut: [(step: Double, loss: Double)] = [(0, heldOutResponseLoss())]
    let progress = chapter.progress("SFT (\(label))", total: steps)
    for step in 0..<steps {
        let examples = (0..<settings.batch).map { _ in trainingExamples[batchRNG.int(below: trainingExamples.count)] }
        let (batch, targets) = supervisedBatch(examples, mask: mask, endOfText: tokenizer.endOfText,
                                               contextLength: config.contextLength)
        adapter.isTraining = true
        optimizer.learningRate = schedule.rate(at: step)
        optimizer.zeroGrad()
        let loss = model.loss(batch, targets: targets)
        loss.backward()
        let gradientNorm = clipGradientNorm(adapter.parameters, maxNorm: 1)
        chapter.stopIfDiverged("SFT (\(label))", step: step + 1, loss: Double(loss.item), gradientNorm: Double(gradientNorm))
        optimizer.update()
        adapter.isTraining = false

        trainLosses.append(Double(loss.item))
        chapter.log("train \(label)", step: step + 1, "loss", Double(loss.item))
        if (step + 1) % settings.evaluationInterval == 0 || step + 1 == steps {
            heldOut.append((Double(step + 1), heldOutResponseLoss()))
            chapter.log("held-out \(label)", step: step + 1, "response loss", heldOut.last!.loss)
        }
        progress.update(step: step + 1, ["loss": Double(loss.item), "held-out": heldOut.last!.loss],
                        tokens: batch.batch * batch.time)
    }
    progress.finish()
    return (adapter, trainLosses, heldOut)
}

/// How every answer of this chapter is sampled.
let evaluationSampling = SamplingSettings(temperature: 0.7, topP: 0.95)

/// Samples one response per prompt from the model as it is now (adapter on or off).
func respond(to prompts: [Prompt], label: String) -> [Rollout] {
    var rng = chapter.random("responses \(label)")
    return sampleRollouts(policy: model, tokenizer: tokenizer, prompts: prompts.map(\.text),
                          maxNewTokens: settings.maxNewTokens,
                          sampling: evaluationSampling, rng: &rng)
}

let unmasked = trainAdapter(mask: .everythingButEndOfText, steps: settings.sideSteps, label: "seed's mask")
let unmaskedStops = respond(to: Array(world.heldOutPrompts.prefix(32)), label: "seed's mask")
    .filter(\.endedWithEndOfText).count

// ---------------------------------------------------------------------------------------
chapter.section("Supervised fine-tuning")
chapter.prose("""
    Now the real run: a fresh adapter, \(settings.steps) steps of \(settings.batch) \
    demonstrations each, AdamW on the adapter only (no weight decay), warmup then cosine \
    decay, gradients clipped at norm 1. The progress line shows the training loss and the \
    held-out response loss.
    """)
let sft = trainAdapter(mask: .responseOnly, steps: settings.steps, label: "response-only")
let maskedStops = respond(to: Array(world.heldOutPrompts.prefix(32)), label: "response-only check")
    .filter(\.endedWithEndOfText).count
/// The held-out loss a run had reached by `step` (the last evaluation at or before it).
func heldOutLoss(_ curve: [(step: Double, loss: Double)], atStep step: Int) -> Double {
    curve.last { $0.step <= Double(step) }!.loss
}
chapter.table("what the mask does: held-out response loss after \(settings.sideSteps) steps, and how many of 32 held-out answers stop after training",
              columns: ["loss mask", "held-out response loss (nats/token)", "answers that end by themselves"],
              rows: [
                  ["everything but <|endoftext|> (seed)", heldOutLoss(unmasked.heldOut, atStep: settings.sideSteps),
                   "\(unmaskedStops)/32 after \(settings.sideSteps) steps"],
                  ["response and <|endoftext|> (ours)", heldOutLoss(sft.heldOut, atStep: settings.sideSteps),
                   "\(maskedStops)/32 after \(settings.steps) steps"],
              ])
chapter.prose("""
    Without the end-of-text target, the model does not learn to stop: most of its answers \
    run to the length limit and keep writing (often a new "User:" turn, which it was also \
    trained to write). With the response-only mask, most answers end by themselves. The \
    held-out loss is lower too: the capacity the buggy run spends on imitating prompts \
    goes, in ours, to the answers.
    """)
chapter.figure(.lines(
    "sft-loss", title: "SFT: held-out response loss for two loss masks",
    x: PlotAxis("optimizer step"), y: PlotAxis("held-out response loss", unit: "nats/token"),
    series: [
        PlotSeries("response + <|endoftext|> (ours)", x: sft.heldOut.map(\.step), y: sft.heldOut.map(\.loss)),
        PlotSeries("everything but <|endoftext|> (seed)", x: unmasked.heldOut.map(\.step), y: unmasked.heldOut.map(\.loss)),
    ]))

// ---------------------------------------------------------------------------------------
chapter.section("Did it help? Base against SFT on held-out prompts")
chapter.prose("""
    The evaluation uses prompts that no demonstration covered, including whole topics the \
    demonstrations never mention (the model knows them from pretraining only). For each \
    prompt both models answer once (temperature 0.7, top-p 0.95), and we measure:
    - the held-out loss and perplexity on demonstration responses;
    - ROUGE-L against a reference demonstration (word overlap in order; a weak signal);
    - how many answers end by themselves with <|endoftext|>;
    - the gold judge's mean score, its breakdown by criterion and by kind of request, and,
      since both models answer the same prompts, the gain prompt by prompt with its
      standard error.
    The base model is the same network with the adapter switched off.
    """)
let evaluationPrompts = Array(world.heldOutPrompts.prefix(settings.evaluationPrompts))
let references = Dictionary(world.heldOutDemonstrations.map { ($0.prompt.text, $0.response) }, uniquingKeysWith: { a, _ in a })

struct Evaluation {
    var responseLoss: Double
    var rollouts: [Rollout]
    var scores: [GoldScore]
    var rouge: Double
    var meanGold: Double { scores.map(\.total).reduce(0, +) / Double(max(scores.count, 1)) }
    var stopShare: Double { Double(rollouts.filter(\.endedWithEndOfText).count) / Double(max(rollouts.count, 1)) }
}

func evaluate(label: String) -> Evaluation {
    let loss = heldOutResponseLoss()
    let rollouts = respond(to: evaluationPrompts, label: label)
    let scores = zip(evaluationPrompts, rollouts).map { judge.score($0, response: $1.response) }
    let rouges = zip(evaluationPrompts, rollouts).compactMap { prompt, rollout in
        references[prompt.text].map { rougeL(candidate: rollout.response, reference: $0) }
    }
    return Evaluation(responseLoss: loss, rollouts: rollouts, scores: scores,
                      rouge: rouges.reduce(0, +) / Double(max(rouges.count, 1)))
}

let base = model.withAdapterDisabled { evaluate(label: "base") }
let tuned = evaluate(label: "sft")
for (name, e) in [("base", base), ("sft", tuned)] {
    chapter.log("evaluation", step: 0, "\(name) response loss", e.responseLoss)
    chapter.log("evaluation", step: 0, "\(name) rouge-l", e.rouge)
    chapter.log("evaluation", step: 0, "\(name) stop share", e.stopShare)
    chapter.log("evaluation", step: 0, "\(name) mean gold", e.meanGold)
}
chapter.table("held-out evaluation (\(evaluationPrompts.count) prompts, \(heldOutExamples.count) demonstrations)",
              columns: ["model", "response loss (nats/token)", "perplexity", "ROUGE-L", "ends with <|endoftext|>",
                        "mean gold score (0-10)"],
              rows: [
                  ["pretrained (adapter off)", base.responseLoss, exp(base.responseLoss), base.rouge,
                   String(format: "%.0f%%", 100 * base.stopShare), base.meanGold],
                  ["SFT (LoRA)", tuned.responseLoss, exp(tuned.responseLoss), tuned.rouge,
                   String(format: "%.0f%%", 100 * tuned.stopShare), tuned.meanGold],
              ])
chapter.result("mean gold score, pretrained", base.meanGold)
chapter.result("mean gold score, SFT", tuned.meanGold)
chapter.result("SFT answers that end with <|endoftext|>", 100 * tuned.stopShare, unit: "%")

func meanCriterion(_ e: Evaluation, _ name: String) -> Double {
    e.scores.map { $0[name] }.reduce(0, +) / Double(max(e.scores.count, 1))
}
chapter.table("the gold judge's criteria, mean over the held-out prompts",
              columns: ["criterion", "pretrained", "SFT"],
              rows: GoldJudge.criterionNames.map { [$0, meanCriterion(base, $0), meanCriterion(tuned, $0)] })
chapter.figure(.histogram(
    "gold-distribution", title: "Gold score of held-out answers, before and after SFT",
    x: PlotAxis("gold score", unit: "0-10"),
    samples: [PlotSample("pretrained", values: base.scores.map(\.total)),
              PlotSample("SFT", values: tuned.scores.map(\.total))],
    bins: 20, legend: .topLeft))
let onTopicShare = { (e: Evaluation) in
    Double(e.scores.filter { $0[.onTopic] > 0 }.count) / Double(max(e.scores.count, 1))
}
// The two models answered the same prompts, so compare them prompt by prompt: the mean of
// the differences, with the standard error of that mean.
let differences = zip(tuned.scores, base.scores).map { $0.total - $1.total }
let meanDifference = mean(differences)
let differenceError = standardError(differences)
chapter.result("gold score gain of SFT (paired)", meanDifference)
chapter.result("standard error of the gain", differenceError)
chapter.log("evaluation", step: 0, "gold gain", meanDifference)
chapter.log("evaluation", step: 0, "gold gain standard error", differenceError)

let families: [(name: String, prompts: Int, base: Double, sft: Double)] = Prompt.Family.allCases.compactMap { family in
    let indices = evaluationPrompts.indices.filter { evaluationPrompts[$0].family == family }
    guard !indices.isEmpty else { return nil }
    let meanGold = { (e: Evaluation) in mean(indices.map { e.scores[$0].total }) }
    return (family.rawValue, indices.count, meanGold(base), meanGold(tuned))
}
chapter.table("mean gold score by kind of request", columns: ["request", "prompts", "pretrained", "SFT"],
              rows: families.map { [$0.name, $0.prompts, $0.base, $0.sft] })
let largestGain = families.max { $0.sft - $0.base < $1.sft - $1.base }!
let noGain = families.filter { $0.sft <= $0.base }.map(\.name)
let noGainList = noGain.count > 1 ? noGain.dropLast().joined(separator: ", ") + " and " + noGain.last! : noGain.joined()
let familySentence = "By kind of request, the largest gain is on \(largestGain.name) requests (" +
    String(format: "%.2f to %.2f", largestGain.base, largestGain.sft) + ")" +
    (noGain.isEmpty ? "." : "; on \(noGainList) requests SFT scores no higher than the " +
        "pretrained model, whose short fragments often state one fact correctly and stop.")

let repeating = { (e: Evaluation) in
    Double(e.scores.filter { $0[.noRepetition] < 0 }.count) / Double(max(e.scores.count, 1))
}
chapter.prose("""
    Read the columns criterion by criterion. SFT moves the mean gold score from \
    \(String(format: "%.2f", base.meanGold)) to \(String(format: "%.2f", tuned.meanGold)): a gain of \
    \(String(format: "%.2f", meanDifference)) points, with a standard error of \
    \(String(format: "%.2f", differenceError)) over \(evaluationPrompts.count) prompts answered by both. The \
    pretrained model's replies are document fragments: they end (a document ends with \
    <|endoftext|> too) and stay on the topic asked \(Int((100 * onTopicShare(base)).rounded()))% of \
    the time, but they are written for grown-ups, rarely compare anything to everyday life \
    and seldom ask the child anything. After SFT, the words are simpler, analogies and questions \
    back to the child appear, the length fits the request, and the \
    held-out loss on good answers has dropped from \(String(format: "%.2f", base.responseLoss)) to \
    \(String(format: "%.2f", tuned.responseLoss)) nats per token. The SFT model has learned the \
    shape of an answer.

    It has not learned everything the demonstrations show. \(Int((100 * onTopicShare(tuned)).rounded()))% \
    of its answers stay on the topic asked, and \(Int((100 * repeating(tuned)).rounded()))% repeat \
    themselves (against \(Int((100 * repeating(base)).rounded()))% of the shorter pretrained \
    replies): a model this small loses track of what it has said, and after a generic \
    opening ("Great question!") it sometimes loses track of what it was asked. Story \
    prompts are the hardest to keep to: they name a story idea ("a robot learning to \
    feel"), not the topic, and the model seldom finds its way from the one to the other. \
    \(familySentence) SFT \
    imitates the average demonstration, with the model's own limits on top; the \
    preference-based chapters that follow try to push past that average, towards what the \
    judge, through the annotators, prefers.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("The three running examples, before and after")
var exampleRNG = chapter.random("running examples")
for prompt in world.evaluationPrompts {
    let before = model.withAdapterDisabled {
        sampleRollouts(policy: model, tokenizer: tokenizer, prompts: [prompt.text], maxNewTokens: settings.maxNewTokens,
                       sampling: evaluationSampling, rng: &exampleRNG)[0]
    }
    let after = sampleRollouts(policy: model, tokenizer: tokenizer, prompts: [prompt.text],
                               maxNewTokens: settings.maxNewTokens,
                               sampling: evaluationSampling, rng: &exampleRNG)[0]
    chapter.sample(prompt: prompt.text, response: before.response,
                   note: String(format: "pretrained · gold %.2f", judge.score(prompt, response: before.response).total))
    chapter.sample(prompt: prompt.text, response: after.response,
                   note: String(format: "SFT · gold %.2f", judge.score(prompt, response: after.response).total))
}

// ---------------------------------------------------------------------------------------
chapter.section("Saving the adapter")
do {
    try sft.adapter.save(to: chapter.runFile(LoRAAdapter.fileName))
} catch {
    chapter.stop("could not save the adapter to \(chapter.runFile(LoRAAdapter.fileName).path): \(error)")
}
chapter.say("saved the LoRA adapter (\(loraParameterCount) numbers) to runs/02-supervised-fine-tuning/\(LoRAAdapter.fileName)")
chapter.finish()
