// Chapter 02: supervised fine-tuning.
//
// Teaches the pretrained model of chapter 01 the shape of an answer, by imitating
// demonstrations with a loss on response tokens only: LoRA adapters and full fine-tuning
// compared, then every weight trained, with pretraining text replayed in each batch. Writes
// the SFT model to runs/02-supervised-fine-tuning/model.safetensors for every later chapter.
import Course
import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter(CourseChapter.supervisedFineTuning, title: "Supervised fine-tuning", options: options)

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
let llm = chapter.loadPretrainedModel()
let (tokenizer, model) = (llm.tokenizer, llm.model)
let world = SyntheticWorld(seed: options.seed)
let judge = GoldJudge()

/// The settings of this chapter, with the usual ranges.
struct SFTSettings {
    /// LoRA rank r (4-64), scale α (usually 2r) and dropout on the adapter's input, for the
    /// adapters of the side experiments.
    var rank = 16, alpha: Float = 32, dropout: Float = 0.05
    /// The projections the loss-mask experiment adapts: every linear layer of every block.
    var targets: [LoRATarget] = LoRATarget.allCases
    /// Share of each batch's sequences that are pretraining text (0-0.5): replay, so that
    /// SFT keeps what only pretraining taught (the side experiment below measures it).
    var replay = 0.25
    /// Sequences per step and optimizer steps of the main run.
    var batch = 16, steps: Int
    /// Steps of each run of the two side experiments (loss masks; what to train), with
    /// the same schedule and the same batches within an experiment.
    var sideSteps: Int, placementSteps: Int
    /// Held-out prompts each placement is sampled on, to count answers on topic.
    var placementPrompts: Int
    /// Peak learning rate of AdamW: on an adapter (LoRA tolerates several times full
    /// fine-tuning's), and on every weight (the main run).
    var adapterLearningRate: Float = 3e-3, learningRate: Float = 1e-3
    /// Held-out demonstrations for the loss.
    var evaluationDemonstrations: Int
    /// Held-out loss every this many steps.
    var evaluationInterval: Int
}
let settings = options.quick
    ? SFTSettings(steps: options.steps ?? 60, sideSteps: 20, placementSteps: 10, placementPrompts: 8,
                  evaluationDemonstrations: 32, evaluationInterval: 10)
    : SFTSettings(steps: options.steps ?? 600, sideSteps: 60, placementSteps: 100, placementPrompts: 64,
                  evaluationDemonstrations: 128, evaluationInterval: 20)
chapter.setting("trained weights", "all")
chapter.setting("replay share", settings.replay)
chapter.setting("steps", settings.steps)
chapter.setting("batch", settings.batch)
chapter.setting("learning rate", Double(settings.learningRate))

// ---------------------------------------------------------------------------------------
chapter.section("The chat format and the demonstrations")
chapter.prose("""
    A conversation is plain text in a fixed format, then the end-of-text token:

        User: Explain quantum computing to a 10-year-old

        Assistant: Let me explain quantum computing. A quantum computer is ... <|endoftext|>

    Nothing in it is new to the model: "User", "Assistant" and <|endoftext|> are all in its \
    vocabulary. What is new is the arrangement, and the habit of stopping after the answer. \
    The world's demonstrators wrote answers of mixed quality, as real ones do: some \
    excellent (simple words, an analogy, a question back to the child), many correct but \
    dry, some too technical, too long, or with a small factual slip. Whatever their \
    quality, they begin as a teacher does, by saying back what was asked, in the question's \
    own words: "Let me explain quantum computing.", "Here is how you can see a rainbow at \
    home.", "37 + 45 = 82." (one-sentence answers aside). The words that must come from the \
    question, its topic or its numbers, are then copied into the answer's first sentence, \
    a skill chapter 01's question pages and quizzes trained, and the rest of the answer \
    follows from the words just before it.
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
/// Trainable numbers of an adapter of rank r on `targets`: (in + out)·r per adapted projection.
func adapterSize(_ targets: [LoRATarget]) -> Int {
    LoRAConfig(rank: settings.rank, alpha: settings.alpha, targets: targets).weightShapes(for: config)
        .reduce(0) { $0 + $1.shape.reduce(1, *) }
}
let queryValue: [LoRATarget] = [.query, .value]
let loraParameterCount = adapterSize(settings.targets)
let baseParameterCount = config.parameterCount
chapter.prose("""
    Fine-tuning every weight works, but it needs a full copy of the model per task and \
    optimizer state for every weight. LoRA (Hu et al., 2021) freezes the pretrained weight \
    W (d_in x d_out) and learns a low-rank correction beside it:

        y = x W + (alpha / r) * x A B,    A: d_in x r,   B: r x d_out,   r << d

    A starts random and B starts at zero, so at step 0 the correction is exactly zero and \
    the model is exactly the pretrained one; training moves B away from zero. (Starting \
    both at zero would leave every gradient zero: B's gradient is (xA)ᵀ dy, A's is \
    xᵀ dy Bᵀ.) The notebook this course replaces puts the adapter on the query and value \
    projections of every attention layer only (here, the first and last thirds of the fused \
    c_attn matrix), as the LoRA paper did. Later work (QLoRA, Dettmers et al., 2023, among \
    others) found that adapting every linear layer, the MLP's above all, is what lets LoRA \
    match full fine-tuning: the MLP holds most of the weights, and what the model must \
    change to answer questions is not only where it looks. A side experiment below \
    measures both placements, and full fine-tuning beside them; its adapters have \
    r = \(settings.rank), alpha = \(Int(settings.alpha)), and dropout \(settings.dropout) on \
    the adapter's input. (Every linear layer means q, k, v, the attention output and both \
    MLP matrices.)

    What the scale does: with alpha = 2r, as here and in the notebook, alpha / r is 2 \
    whatever r is, so it changes nothing by itself. It matters when r changes with alpha \
    held fixed: then alpha / r shrinks as r grows, which keeps the size of the update \
    roughly steady at the start of training for a given learning rate. Kalajdzievski \
    (2023) showed that dividing by sqrt(r) instead (rsLoRA, alpha / sqrt(r)) is the choice \
    that keeps learning stable across ranks; alpha / r slows large ranks down.

    For this model (d = \(d), \(config.layerCount) layers), an adapted d x d projection has \
    d*r + r*d = \(2 * d * settings.rank) trainable numbers instead of d*d = \(d * d). On q and \
    v only, the adapter has \(adapterSize(queryValue)) numbers; on every linear layer, \
    \(loraParameterCount), against \(baseParameterCount) in the model. Switching the adapter \
    off gives back the pretrained model. The later chapters need another reference: RLHF \
    keeps the policy close to the SFT model, not to the pretrained one. So they put a fresh \
    adapter on top of the SFT model's weights; switching it off gives the SFT model, and \
    the reference costs no second copy of the weights.
    """)

chapter.table(columns: ["adapter", "trainable (LoRA)", "frozen (base)", "trainable share"], rows: [
    ["q and v (the notebook's)", adapterSize(queryValue), baseParameterCount,
     String(format: "%.2f%%", 100 * Double(adapterSize(queryValue)) / Double(baseParameterCount))],
    ["every linear layer", loraParameterCount, baseParameterCount,
     String(format: "%.2f%%", 100 * Double(loraParameterCount) / Double(baseParameterCount))],
])

// ---------------------------------------------------------------------------------------
chapter.section("Loss masking: learn the answers, not the questions")
chapter.prose("""
    The loss counts only the predictions we want the model to learn: the response tokens \
    and the end-of-text token after them. The prompt is context; training on it would teach \
    the model to write users' questions. The end-of-text token matters most of all: it is \
    the only way the model learns to stop. (A bug in the notebook this course replaces: it \
    pads batches with the end-of-text token and then ignores padding by its id, which also \
    ignores every real end-of-text token, so the model never learns to stop; and it trains \
    on the prompt's tokens too.)

    Before the real run, a side experiment: two fresh adapters trained for \
    \(settings.sideSteps) steps each, on the same batches with the same schedule, one with \
    the notebook's "everything but end-of-text" mask and one with ours. Both are measured on \
    held-out demonstrations in two ways: the loss on the answer's own tokens (its content), \
    and the loss on its end-of-text target alone (knowing where to stop).
    """)

/// Mean held-out loss over the tokens `mask` counts, in nats/token.
func heldOutLoss(_ mask: LossMask) -> Double { meanLoss(heldOutExamples, mask: mask) }

/// Mean loss of `examples` over the tokens `mask` counts (batches of 16), in nats/token.
func meanLoss(_ examples: [ChatExample], mask: LossMask) -> Double {
    Autograd.withoutGradients {
        var total = 0.0, batches = 0.0
        for start in stride(from: 0, to: examples.count, by: 16) {
            let chunk = Array(examples[start..<min(start + 16, examples.count)])
            let (batch, targets) = supervisedBatch(chunk, mask: mask, endOfText: tokenizer.endOfText,
                                                   contextLength: config.contextLength)
            total += Double(model.loss(batch, targets: targets).item)
            batches += 1
        }
        return total / max(batches, 1)
    }
}

/// What SFT trains: a LoRA adapter on some projections (the base frozen), or every weight.
enum SFTMethod {
    case adapter([LoRATarget])
    case everyWeight
}

/// Pretraining text for replay: windows of chapter 01's training documents (the world
/// writes them again from the same seed; the first documents of its corpus are these),
/// each a "response" with no prompt, so the loss counts all of its tokens.
let pretrainingText = world.corpusDocuments(targetBytes: options.quick ? 200_000 : 3_000_000)
let textWindowWidth = min(200, config.contextLength)
let replayWindows = pretrainingText.train.flatMap { document in
    ChatExample.textWindows(tokenizer.encode(document.text) + [tokenizer.endOfText], width: textWindowWidth)
}

/// The pretrained weights, for every comparison with the pretrained model and to start each
/// side experiment from it.
let pretrainedWeights = WeightSnapshot(of: model.parameters)
/// Runs `body` on the pretrained model (no adapter, chapter 01's weights), then puts the
/// trained weights and adapter back.
func asPretrained<T>(_ body: () -> T) -> T {
    let adapter = model.adapter
    model.adapter = nil
    defer { model.adapter = adapter }
    return pretrainedWeights.substituted(into: model.parameters, body)
}

/// What one training run recorded: its adapter (nil when every weight trained), the
/// training loss of every step, and the held-out response loss (with end-of-text) every
/// `evaluationInterval` steps.
struct SFTRun {
    var adapter: LoRAAdapter?
    var trainLoss: [Double] = []
    var heldOut: [(step: Double, loss: Double)] = []
    /// Share of the tokens the training loss counted that were pretraining text.
    var replayTokenShare = 0.0
}

/// Sequences of pretraining text in each batch of a run with replay.
let replayRows = Int((settings.replay * Double(settings.batch)).rounded())

/// Trains the pretrained model on the demonstrations with the given loss mask, by `method`,
/// with a share `replay` of each batch's sequences taken from pretraining text. Starts from
/// chapter 01's weights; an adapter is left attached, trained weights are left in the model.
func trainSFT(_ method: SFTMethod, mask: LossMask, replay: Double = 0, steps: Int, label: String,
              batchLabel: String) -> SFTRun {
    pretrainedWeights.restore(into: model.parameters)
    var run = SFTRun()
    let peak: Float
    switch method {
    case .adapter(let targets):
        var adapterRNG = chapter.random("adapter \(label)")
        let loraConfig = LoRAConfig(rank: settings.rank, alpha: settings.alpha, dropout: settings.dropout, targets: targets)
        run.adapter = LoRAAdapter(config: loraConfig, for: config, rng: &adapterRNG)
        peak = settings.adapterLearningRate
    case .everyWeight:
        peak = settings.learningRate
    }
    model.adapter = run.adapter
    let trainable = model.trainableParameters
    let optimizer = AdamW(parameters: trainable, learningRate: peak, weightDecay: 0)
    let schedule = LearningRateSchedule(peak: peak, minimum: peak / 10, warmupSteps: max(steps / 15, 1), totalSteps: steps)
    let replayInBatch = Int((replay * Double(settings.batch)).rounded())
    var countedTokens = (replay: 0, all: 0)
    var batchRNG = chapter.random("batches \(batchLabel)")
    run.heldOut = [(0, heldOutLoss(.responseOnly))]
    let progress = chapter.progress("SFT (\(label))", total: steps)
    for step in 0..<steps {
        let examples = (0..<settings.batch).map { row in
            row < replayInBatch ? replayWindows[batchRNG.int(below: replayWindows.count)]
                : trainingExamples[batchRNG.int(below: trainingExamples.count)]
        }
        let (batch, targets) = supervisedBatch(examples, mask: mask, endOfText: tokenizer.endOfText,
                                               contextLength: config.contextLength)
        for (row, example) in examples.enumerated() {
            let counted = min(example.tokens.count, config.contextLength + 1) - example.prompt.count
            countedTokens.all += counted
            if row < replayInBatch { countedTokens.replay += counted }
        }
        run.adapter?.isTraining = true
        optimizer.learningRate = schedule.rate(at: step)
        optimizer.zeroGrad()
        let loss = model.loss(batch, targets: targets)
        loss.backward()
        let gradientNorm = clipGradientNorm(trainable, maxNorm: 1)
        chapter.stopIfDiverged("SFT (\(label))", step: step + 1, loss: Double(loss.item), gradientNorm: Double(gradientNorm))
        optimizer.update()
        run.adapter?.isTraining = false

        run.trainLoss.append(Double(loss.item))
        chapter.log("train \(label)", step: step + 1, "loss", Double(loss.item))
        if (step + 1) % settings.evaluationInterval == 0 || step + 1 == steps {
            run.heldOut.append((Double(step + 1), heldOutLoss(.responseOnly)))
            chapter.log("held-out \(label)", step: step + 1, "response loss", run.heldOut.last!.loss)
        }
        progress.update(step: step + 1, ["loss": Double(loss.item), "held-out": run.heldOut.last!.loss],
                        tokens: batch.batch * batch.time)
    }
    progress.finish()
    run.replayTokenShare = Double(countedTokens.replay) / Double(max(countedTokens.all, 1))
    return run
}

/// How many of the first 32 held-out prompts the model, as it is now, answers with an
/// answer that ends by itself (temperature 1, at most 160 tokens).
func stopsOutOf32(label: String) -> Int {
    var rng = chapter.random("stops \(label)")
    return sampleRollouts(policy: model, tokenizer: tokenizer, prompts: world.heldOutPrompts.prefix(32).map(\.text),
                          maxNewTokens: HeldOutEvaluation.maxNewTokens, sampling: HeldOutEvaluation.sampling, rng: &rng)
        .filter(\.endedWithEndOfText).count
}

var maskRows: [[any TableValue]] = []
var maskCurves: [PlotSeries] = []
for (name, mask) in [("everything but <|endoftext|> (the notebook's)", LossMask.everythingButEndOfText),
                     ("response and <|endoftext|> (ours)", LossMask.responseOnly)] {
    let run = trainSFT(.adapter(settings.targets), mask: mask, steps: settings.sideSteps, label: name,
                       batchLabel: "side experiment")
    maskRows.append([name, heldOutLoss(.responseWithoutEndOfText), heldOutLoss(.endOfTextOnly),
                     "\(stopsOutOf32(label: name))/32"])
    maskCurves.append(PlotSeries(name, x: run.heldOut.map(\.step), y: run.heldOut.map(\.loss)))
}
chapter.table("the two masks after \(settings.sideSteps) steps each (same batches, same schedule)",
              columns: ["loss mask", "held-out loss, answer only (nats/token)",
                        "held-out loss of the <|endoftext|> target", "answers that end by themselves"],
              rows: maskRows)
let contentGap = (maskRows[0][1].tableNumber ?? 0) - (maskRows[1][1].tableNumber ?? 0)
let stopGap = (maskRows[0][2].tableNumber ?? 0) - (maskRows[1][2].tableNumber ?? 0)
chapter.prose("""
    On the answer's own tokens the notebook's mask ends \(String(format: "%.2f", contentGap)) \
    nats/token \(contentGap >= 0 ? "above" : "below") ours: it spends part of its \
    \(settings.sideSteps) steps learning to write prompts. On the end-of-text target itself the \
    gap is \(String(format: "%.2f", stopGap)) nats: a model never trained on end-of-text gives it \
    little probability where an answer is complete, so it does not stop, and its answers \
    run on to the length limit, often into a new "User:" turn, which it was also trained to \
    write.
    """)
chapter.figure(.lines(
    "sft-masks", title: "SFT: held-out loss (answer + <|endoftext|>) for two loss masks",
    x: PlotAxis("optimizer step"), y: PlotAxis("held-out response loss", unit: "nats/token"),
    series: maskCurves))

// ---------------------------------------------------------------------------------------
chapter.section("What to train: an adapter, or every weight")
chapter.prose("""
    The second side experiment asks what SFT should train. Fresh runs of \(settings.placementSteps) \
    steps each, with the same schedule and the same random stream of batches: a \
    rank-\(settings.rank) adapter on q and v only (the notebook's), one on every linear layer, \
    and every weight of the model (full fine-tuning, at \(String(format: "%g", Double(settings.learningRate))) \
    instead of the adapters' \(String(format: "%g", Double(settings.adapterLearningRate))), since \
    every weight moves); then every weight again, with \(replayRows) of each batch's \
    \(settings.batch) sequences taken from chapter 01's pretraining text instead of \
    demonstrations (replay). Each is measured on what SFT should teach and on what it should \
    not break: the held-out loss on demonstration answers; the loss on chapter 01's held-out \
    pretraining text (forgetting shows there first); what the question is worth (the loss of \
    held-out answers after another question minus after their own, in nats per answer, as in \
    chapter 01 but in the chat format); and, on \(settings.placementPrompts) held-out \
    open-ended prompts answered at temperature 1 (half about topics the demonstrations cover, \
    half about the \(Knowledge.heldOutTopicNames.count) topics they never mention), the share of \
    answers about the topic asked and the share of made-up words.
    """)
let probeItems = QuestionWorth.items(world.heldOutDemonstrations,
                                     format: { ChatFormat.promptTokens($0, tokenizer: tokenizer) },
                                     answerTokens: { ChatFormat.responseTokens($0, tokenizer: tokenizer) })
let openPrompts = world.heldOutPrompts.filter { $0.arithmetic == nil }
let unseenTopicNames = Set(Knowledge.heldOutTopicNames)
/// `count` prompts spread evenly over `prompts` (so over their topics).
func spread(_ prompts: [Prompt], _ count: Int) -> [Prompt] {
    (0..<min(count, prompts.count)).map { prompts[$0 * prompts.count / min(count, prompts.count)] }
}
let placementDemonstrated = spread(openPrompts.filter { !$0.topicNames.contains(where: unseenTopicNames.contains) },
                                   settings.placementPrompts / 2)
let placementPrompts = placementDemonstrated
    + spread(openPrompts.filter { $0.topicNames.contains(where: unseenTopicNames.contains) }, settings.placementPrompts / 2)
/// Windows of chapter 01's validation text, for the loss that shows forgetting.
let pretrainingValidation = pretrainingText.validation.prefix(options.quick ? 8 : 48).compactMap { document in
    ChatExample.textWindows(tokenizer.encode(document.text), width: textWindowWidth).first
}
/// The loss on chapter 01's held-out text, in nats/token.
func pretrainingTextLoss() -> Double { meanLoss(pretrainingValidation, mask: .responseOnly) }

/// What the model, as it is now, does with a question and with pretraining text: the
/// losses, the probe, and the answers' topic and words on the placement prompts.
func readingRow(_ name: String, trainable: Int) -> [any TableValue] {
    let open = QuestionWorth.measure(model, items: probeItems.open)
    let arithmetic = QuestionWorth.measure(model, items: probeItems.arithmetic)
    var rng = chapter.random("placement answers")
    let answers = sampleRollouts(policy: model, tokenizer: tokenizer, prompts: placementPrompts.map(\.text),
                                 maxNewTokens: options.quick ? 48 : HeldOutEvaluation.maxNewTokens,
                                 sampling: HeldOutEvaluation.sampling, rng: &rng)
    let onTopic = zip(placementPrompts, answers).map { judge.topicVerdict($0, response: $1.response) == .onTopic }
    let half = placementDemonstrated.count
    let demonstratedOnTopic = onTopic.prefix(half).filter { $0 }.count, unseenOnTopic = onTopic.dropFirst(half).filter { $0 }.count
    let words = answers.map { TextAnalysis.words($0.response) }
    let madeUp = Double(words.map(Lexicon.madeUpCount).reduce(0, +)) / Double(max(words.map(\.count).reduce(0, +), 1))
    let loss = heldOutLoss(.responseOnly), textLoss = pretrainingTextLoss()
    for (metric, value) in [("held-out response loss", loss), ("pretraining text loss", textLoss),
                            ("question worth, open-ended", open.worth), ("question worth, arithmetic", arithmetic.worth),
                            ("on topic, demonstrated topics", Double(demonstratedOnTopic) / Double(max(half, 1))),
                            ("on topic, unseen topics", Double(unseenOnTopic) / Double(max(placementPrompts.count - half, 1))),
                            ("made-up words", madeUp)] {
        chapter.log("placement \(name)", step: 0, metric, value)
    }
    return [name, trainable, loss, textLoss, String(format: "%.1f ± %.1f", open.worth, open.standardError),
            String(format: "%.1f ± %.1f", arithmetic.worth, arithmetic.standardError),
            "\(demonstratedOnTopic)/\(half)", "\(unseenOnTopic)/\(placementPrompts.count - half)",
            String(format: "%.1f%%", 100 * madeUp)]
}

var placementRows = [asPretrained { readingRow("none (the pretrained model)", trainable: 0) }]
let placements: [(name: String, method: SFTMethod, replay: Double, trainable: Int)] = [
    ("LoRA on q and v (the notebook's)", .adapter(queryValue), 0, adapterSize(queryValue)),
    ("LoRA on every linear layer", .adapter(LoRATarget.allCases), 0, adapterSize(LoRATarget.allCases)),
    ("every weight", .everyWeight, 0, baseParameterCount),
    ("every weight, with replay (ours)", .everyWeight, settings.replay, baseParameterCount),
]
for placement in placements {
    _ = trainSFT(placement.method, mask: .responseOnly, replay: placement.replay, steps: settings.placementSteps,
                 label: placement.name, batchLabel: "placement experiment")
    placementRows.append(readingRow(placement.name, trainable: placement.trainable))
}
chapter.table("what SFT trains, after \(settings.placementSteps) steps each (same schedule, same random stream of batches)",
              columns: ["trained", "trainable numbers", "held-out loss (nats/token)", "pretraining text loss (nats/token)",
                        "question worth: open-ended (nats)", "question worth: arithmetic (nats)",
                        "on topic: demonstrated topics", "on topic: unseen topics", "made-up words"],
              rows: placementRows)
/// Column `column` of the row named `name`.
func placementCell(_ name: String, _ column: Int) -> (any TableValue)? {
    placementRows.first { ($0[0] as? String) == name }?[column]
}
func placementValue(_ name: String, _ column: Int) -> Double { placementCell(name, column)?.tableNumber ?? 0 }
let lossQV = placementValue(placements[0].name, 2), lossAll = placementValue(placements[1].name, 2)
let lossFull = placementValue(placements[2].name, 2), lossReplay = placementValue(placements[3].name, 2)
let textBase = placementValue("none (the pretrained model)", 3), textFull = placementValue(placements[2].name, 3)
let textReplay = placementValue(placements[3].name, 3), textAll = placementValue(placements[1].name, 3)
let adapterRatio = Double(adapterSize(LoRATarget.allCases)) / Double(adapterSize(queryValue))
let forgotten = textFull - textBase, keptByReplay = textFull - textReplay
let replaySentence = forgotten <= 0 ? "Here full fine-tuning did not raise that loss."
    : keptByReplay > 0 ? String(format: "Replay takes back %.0f%% of what full fine-tuning added to that loss.",
                                100 * min(keptByReplay / forgotten, 1))
    : "Here replay did not lower it."
/// The answers on unseen topics, as counted in the table ("k/n"), of a placement.
func unseenCount(_ name: String) -> String { placementCell(name, 7).map { "\($0)" } ?? "–" }
let answersPerColumn = max(placementDemonstrated.count, 1)
let shareNoise = 200 * (0.25 / Double(answersPerColumn)).squareRoot()
chapter.prose("""
    After the same \(settings.placementSteps) steps, the held-out loss on demonstration answers is \
    \(String(format: "%.2f", lossQV)) nats/token with the adapter on q and v, \
    \(String(format: "%.2f", lossAll)) on every linear layer (\(String(format: "%.1f", adapterRatio))x the \
    trainable numbers, most of them in the MLP), \(String(format: "%.2f", lossFull)) with every weight trained and \
    \(String(format: "%.2f", lossReplay)) with every weight and replay. What the model forgets \
    shows in the other loss: on chapter 01's held-out text the pretrained model scores \
    \(String(format: "%.3f", textBase)) nats/token; after SFT of every weight without replay, \
    \(String(format: "%.3f", textFull)); with replay, \(String(format: "%.3f", textReplay)) (the \
    adapter on every linear layer: \(String(format: "%.3f", textAll))). \(replaySentence) What \
    a forgetting model should lose first is what only pretraining taught it: the topics no \
    demonstration mentions. Answers about them stayed on topic in \
    \(unseenCount(placements[2].name)) without replay and \(unseenCount(placements[3].name)) with it \
    (the pretrained model: \(unseenCount("none (the pretrained model)"))). Read the answer columns \
    with their noise in mind: \(answersPerColumn) answers per column drawn at temperature 1 \
    give a share to within about ±\(String(format: "%.0f", shareNoise)) points (two standard \
    errors), so rows a few answers apart are not told apart here; the main run's \
    evaluation, on all the held-out prompts, is the measurement that counts.

    The main run trains every weight with replay. Full fine-tuning of \(baseParameterCount) \
    weights is cheap here; LoRA exists for models whose full copy per task, and whose \
    optimizer state for every weight, do not fit. Every later chapter still trains LoRA \
    adapters, on top of this SFT model.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Supervised fine-tuning")
chapter.prose("""
    Now the real run: every weight of the pretrained model, \(settings.steps) steps of \
    \(settings.batch) sequences each, \(replayRows) of \
    them windows of pretraining text and the rest demonstrations (about \
    \(String(format: "%.1f", Double(settings.steps) * Double(settings.batch) * (1 - settings.replay) / Double(trainingExamples.count))) \
    passes over the \(trainingExamples.count) demonstrations), AdamW (no weight decay), warmup \
    then cosine decay, gradients clipped at norm 1. The progress line shows the training \
    loss (demonstrations and replay together) and the held-out loss on demonstration answers.
    """)
let sft = trainSFT(.everyWeight, mask: .responseOnly, replay: settings.replay, steps: settings.steps,
                   label: "main run", batchLabel: "main run")
chapter.result("share of the training loss's tokens that were pretraining text", 100 * sft.replayTokenShare, unit: "%")
chapter.prose("""
    The \(replayRows) replay sequences of each batch held \
    \(String(format: "%.0f", 100 * sft.replayTokenShare))% of the tokens the loss counted (a window \
    of text is longer than an answer), so the training curve below mixes the two kinds of text \
    in about that proportion; the held-out curve is demonstration answers alone.
    """)
/// The training loss averaged over the last `window` steps at each step (single batches are noisy).
let smoothed = sft.trainLoss.indices.map { i in mean(Array(sft.trainLoss[max(0, i - 19)...i])) }
chapter.figure(.lines(
    "sft-training", title: "SFT: training and held-out loss on the response tokens",
    x: PlotAxis("optimizer step"), y: PlotAxis("cross-entropy", unit: "nats/token"),
    series: [
        PlotSeries("training batches, with replay (20-step mean)", x: smoothed.indices.map { Double($0 + 1) }, y: smoothed),
        PlotSeries("held-out demonstrations", x: sft.heldOut.map(\.step), y: sft.heldOut.map(\.loss)),
    ]))

// ---------------------------------------------------------------------------------------
chapter.section("Did it help? Base against SFT on held-out prompts")
let evaluation = HeldOutEvaluation(world: world, tokenizer: tokenizer, rewardModel: nil, chapter: chapter.name.folder,
                                   quick: options.quick, seed: options.seed)
chapter.prose("""
    From here on every chapter measures every policy it trains with the same held-out \
    evaluation: the \(evaluation.prompts.count) held-out prompts (none of them in a \
    demonstration; \(Knowledge.heldOutTopicNames.count) whole topics the demonstrations never \
    mention, which the model knows from pretraining only), one answer each, sampled at \
    temperature 1 with no top-p, at most \(evaluation.maxNewTokens) tokens. Temperature 1 \
    means the answers are draws from the policy itself, so what we measure is the policy, \
    and the KL to SFT estimated on its answers is the KL that RLHF's objective trades \
    against. (At temperature 0.7 answers read better and score higher; a policy's \
    distribution is what training changes, and what we compare.) For each policy:
    - the gold judge's mean score, its breakdown by criterion and by kind of request, and,
      since both models answer the same prompts, the gain prompt by prompt with its standard
      error (the paired comparison) and the share of prompts where it wins;
    - the same comparison by the annotator panel, who see the gold difference through noise;
    - the sequence KL to the SFT policy, Σ_t KL(π(·|s_t) ‖ π_SFT(·|s_t)) over the answer's
      states, exactly over the vocabulary, and its sampled estimate Σ_t log π/π_SFT;
    - how many answers end by themselves, and their length.
    Here the policy of interest is SFT; the pretrained model (chapter 01's weights put back \
    into the same network) is compared with it. This chapter also reports the held-out loss \
    and perplexity on demonstration answers, and ROUGE-L against a reference demonstration \
    (word overlap in order; a weak signal).
    """)
let sftEvaluation = evaluation.evaluate("SFT", policy: HeldOutEvaluation.Policy(model: model, asPolicy: { $0() }, asSFT: nil))
let pretrainedPolicy = HeldOutEvaluation.Policy(model: model, asPolicy: { body in asPretrained { body() } },
                                                asSFT: { $0() })
let baseEvaluation = evaluation.evaluate("pretrained", policy: pretrainedPolicy, against: sftEvaluation)
chapter.save(sftEvaluation)
chapter.save(baseEvaluation, name: "pretrained")

let references = Dictionary(world.heldOutDemonstrations.map { ($0.prompt.text, $0.response) }, uniquingKeysWith: { a, _ in a })
func rouge(_ e: PolicyEvaluation) -> Double {
    mean(e.answers.compactMap { answer in references[answer.prompt].map { rougeL(candidate: answer.response, reference: $0) } })
}
let baseLoss = asPretrained { heldOutLoss(.responseOnly) }
let sftLoss = heldOutLoss(.responseOnly)
chapter.table("held-out loss on \(heldOutExamples.count) demonstration answers (teacher-forced)",
              columns: ["model", "response loss (nats/token)", "perplexity", "ROUGE-L of its own answers"],
              rows: [["pretrained", baseLoss, exp(baseLoss), rouge(baseEvaluation)],
                     ["SFT", sftLoss, exp(sftLoss), rouge(sftEvaluation)]])
// The SFT model is the reference, so the pretrained model's gain over it is SFT's loss.
chapter.report([baseEvaluation, sftEvaluation], against: sftEvaluation)
chapter.reportCriteria([baseEvaluation, sftEvaluation])
let base = baseEvaluation.summary(against: sftEvaluation), tuned = sftEvaluation.summary()
let gain = -(base.goldGain ?? 0), gainError = base.goldGainStandardError ?? 0
chapter.headline(String(format: "gold %.2f → %.2f: SFT gains %+.2f ± %.2f over the pretrained model on %d held-out prompts",
                        base.gold, tuned.gold, -(base.goldGain ?? 0), base.goldGainStandardError ?? 0, evaluation.prompts.count))
chapter.result("mean gold score, pretrained", base.gold)
chapter.result("mean gold score, SFT", tuned.gold)
chapter.result("gold score gain of SFT (paired)", gain)
chapter.result("standard error of the gain", gainError)
chapter.result("SFT answers that end with <|endoftext|>", 100 * tuned.endedWithEndOfText, unit: "%")
chapter.result("KL(pretrained ‖ SFT) per answer", base.klExact ?? 0, unit: "nats")
chapter.figure(.histogram(
    "gold-distribution", title: "Gold score of held-out answers, before and after SFT",
    x: PlotAxis("gold score", unit: "0-10"),
    samples: [PlotSample("pretrained", values: baseEvaluation.answers.map(\.gold)),
              PlotSample("SFT", values: sftEvaluation.answers.map(\.gold))],
    bins: 20))

/// Percent, rounded, for prose.
func percent(_ share: Double?) -> String { share.map { String(format: "%.0f%%", 100 * $0) } ?? "–" }
let baseAnswering = baseEvaluation.answering, sftAnswering = sftEvaluation.answering
let sftWorth = (open: QuestionWorth.measure(model, items: probeItems.open),
                arithmetic: QuestionWorth.measure(model, items: probeItems.arithmetic))
let baseWorth = asPretrained {
    (open: QuestionWorth.measure(model, items: probeItems.open), arithmetic: QuestionWorth.measure(model, items: probeItems.arithmetic))
}
var worthRows: [[any TableValue]] = []
for (name, worth) in [("pretrained", baseWorth), ("SFT", sftWorth)] {
    worthRows.append([name, String(format: "%.2f ± %.2f", worth.open.worth, worth.open.standardError),
                      String(format: "%.2f ± %.2f", worth.arithmetic.worth, worth.arithmetic.standardError)])
    chapter.log("question worth \(name)", step: 0, "open-ended", worth.open.worth)
    chapter.log("question worth \(name)", step: 0, "arithmetic", worth.arithmetic.worth)
}
chapter.table("what the question is worth in the chat format (held-out answers: loss after another question minus after their own, nats per answer)",
              columns: ["model", "open-ended", "arithmetic"], rows: worthRows)

// The small problems chapter 07 trains GRPO on: a reward that is 1 for a right answer can
// only teach a policy that is sometimes right.
let smallSums = world.arithmeticPrompts(maxOperand: 9).heldOut
let answersPerSum = options.quick ? 1 : 4
func smallSumsAccuracy(_ label: String) -> ArithmeticAccuracy {
    var rng = chapter.random("small sums \(label)")
    return ArithmeticAccuracy.measure(model, tokenizer: tokenizer, prompts: smallSums, answersPerProblem: answersPerSum,
                                      maxNewTokens: 40, rng: &rng)
}
let sftSums = smallSumsAccuracy("SFT")
let baseSums = asPretrained { smallSumsAccuracy("pretrained") }
chapter.table("sums and differences of 1 to 9 (chapter 07's \(smallSums.count) held-out problems, \(answersPerSum) answers each, temperature 1)",
              columns: ["model", "right ± s.e.", "restates the numbers"],
              rows: [("pretrained", baseSums), ("SFT", sftSums)].map { name, a in
                  chapter.log("small sums \(name)", step: 0, "right", a.right)
                  chapter.log("small sums \(name)", step: 0, "right standard error", a.standardError)
                  chapter.log("small sums \(name)", step: 0, "restated", a.restated)
                  return [name, String(format: "%.1f%% ± %.1f", 100 * a.right, 100 * a.standardError),
                          String(format: "%.0f%%", 100 * a.restated)]
              })

let families = Prompt.Family.allCases.compactMap { family -> (name: String, base: Double, sft: Double)? in
    guard let b = base.families[family.rawValue], let t = tuned.families[family.rawValue] else { return nil }
    return (family.rawValue, b, t)
}
let largestGain = families.max { $0.sft - $0.base < $1.sft - $1.base }!
let noGain = families.filter { $0.sft <= $0.base }.map(\.name)
let noGainList = noGain.count > 1 ? noGain.dropLast().joined(separator: ", ") + " and " + noGain.last! : noGain.joined()
let familyGain = String(format: "%.2f to %.2f", largestGain.base, largestGain.sft)
let noGainSentence = noGain.isEmpty ? "" : " On \(noGainList) requests SFT scores no higher than the pretrained model."
let gainInErrors = gain / max(gainError, 1e-9)
let sftWins = 100 * (1 - (base.winRate ?? 0.5))
chapter.prose("""
    Read the tables from the question outwards. Does the model answer what it is asked? \
    After SFT, \(percent(sftAnswering.onTopic)) of the open-ended answers are about the topic \
    asked (the pretrained model: \(percent(baseAnswering.onTopic))): \
    \(percent(sftAnswering.onTopicDemonstrated)) on topics the demonstrations cover, in \
    phrasings they never use, and \(percent(sftAnswering.onTopicUnseen)) on the \
    \(Knowledge.heldOutTopicNames.count) topics no demonstration mentions, which the model knows \
    from pretraining alone. \(String(format: "%.1f%%", 100 * (sftAnswering.madeUpWords ?? 0))) of \
    its words are made up (the pretrained model: \
    \(String(format: "%.1f%%", 100 * (baseAnswering.madeUpWords ?? 0)))). On arithmetic it restates \
    the question's two numbers in \(percent(sftAnswering.restatesNumbers)) of its answers and \
    gives the exact result in \(percent(sftAnswering.arithmeticRight)); on the sums and \
    differences of 1 to 9 that chapter 07 trains on, \(percent(sftSums.right)) of its answers \
    are right (the pretrained model: \(percent(baseSums.right))). The probe says why: \
    after SFT a held-out answer is \(String(format: "%.1f", sftWorth.open.worth)) nats less \
    likely after another topic's question than after its own (the pretrained model, in the \
    same chat format: \(String(format: "%.1f", baseWorth.open.worth))).

    Then the gold judge, who asks that question first and style second. SFT moves the mean \
    gold score from \(String(format: "%.2f", base.gold)) to \(String(format: "%.2f", tuned.gold)): \
    a gain of \(String(format: "%.2f", gain)) points, with a standard error of \
    \(String(format: "%.2f", gainError)) over \(evaluation.prompts.count) prompts answered by \
    both (\(String(format: "%.1f", gainInErrors)) standard errors), and SFT's answer wins on \
    \(String(format: "%.0f", sftWins))% of the prompts. By kind of request, the largest gain is \
    on \(largestGain.name) requests (\(familyGain)).\(noGainSentence) The two policies are \
    \(String(format: "%.1f", base.klExact ?? 0)) nats apart per answer (KL of the pretrained \
    model from SFT, on the pretrained model's own answers). SFT imitates the average \
    demonstration, with the model's own limits on top; the preference-based chapters that \
    follow try to push past that average, towards what the judge, through the annotators, \
    prefers.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("The three running examples, before and after")
chapter.say("The answers of the evaluation, drawn at temperature 1 like every number above:")
chapter.showRunningExamples([baseEvaluation, sftEvaluation])
chapter.prose("""
    And one answer of SFT to each at temperature 0.7, which sharpens the model's distribution \
    (fewer unlikely tokens, so fewer made-up words): how the model reads when it is used, \
    not what the evaluation measures.
    """)
var coolRNG = chapter.random("temperature 0.7 samples")
let coolAnswers = sampleRollouts(policy: model, tokenizer: tokenizer, prompts: world.evaluationPrompts.map(\.text),
                                 maxNewTokens: evaluation.maxNewTokens,
                                 sampling: SamplingSettings(temperature: 0.7, topK: 0, topP: 1), rng: &coolRNG)
for (prompt, answer) in zip(world.evaluationPrompts, coolAnswers) {
    let score = judge.score(prompt, response: answer.response)
    chapter.sample(prompt: prompt.text, response: answer.response,
                   note: String(format: "SFT at temperature 0.7 · gold %.2f · %@", score.total,
                                judge.topicVerdict(prompt, response: answer.response)?.rawValue ?? "–"))
}

// ---------------------------------------------------------------------------------------
chapter.section("Saving the SFT model")
do {
    try llm.save(to: chapter.runDirectory)
} catch {
    chapter.stop("could not save the SFT model to \(chapter.runPath)/: \(ArtifactMessage.reason(error))", code: 74)
}
chapter.say("saved the SFT model (config.json, model.safetensors, and chapter 01's tokenizer beside them) to "
            + "\(chapter.runPath)/, and the held-out evaluations of SFT and of the pretrained model beside it")
chapter.finish()
