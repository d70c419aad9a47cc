// Chapter 01: a pretrained model.
//
// Builds the course's synthetic world, trains a byte-level BPE tokenizer on its corpus,
// pretrains a small GPT-2 on it from scratch, and shows what such a model does when asked
// a question: it continues the text. Writes runs/01-pretrained-model/ (tokenizer, weights,
// config) for every later chapter.
import Course
import Foundation
import LanguageModel
import Notebook
import TensorCore
import World

let options = ChapterOptions.parseOrExit()
let chapter = Chapter("01-pretrained-model", title: "A pretrained model", options: options)

chapter.section("Where RLHF comes from")
chapter.prose("""
    Reinforcement learning from human feedback (RLHF) is how a model that merely predicts \
    text becomes an assistant that tries to give the answer a person wants. The idea is older \
    than chat models:

    - 2017, Christiano et al., "Deep reinforcement learning from human preferences": agents \
    in Atari games and simulated robots learn a task from a few hundred hours of people \
    comparing pairs of short video clips. A reward model is fitted to the comparisons and \
    the agent is trained on the reward model, not on a hand-written reward.
    - 2019, Ziegler et al., "Fine-tuning language models from human preferences": the same \
    recipe on GPT-2 (stylistic continuation, summarization), with PPO and a KL penalty that \
    keeps the tuned model close to the original one.
    - 2020, Stiennon et al., "Learning to summarize from human feedback": summaries from an \
    RLHF-tuned model are preferred by people over the human-written reference summaries.
    - 2022, Ouyang et al., InstructGPT: supervised fine-tuning, then a reward model, then \
    PPO. People preferred the 1.3-billion-parameter InstructGPT to the 175-billion GPT-3. \
    ChatGPT followed the same year; Anthropic's helpful-and-harmless assistant (Bai et al.) \
    too.
    - 2023 onwards: DPO (Rafailov et al.) learns from the comparisons directly, without a \
    reward model or an RL loop; GRPO (Shao et al., 2024) drops PPO's critic; test-time \
    methods improve answers without changing any weight.

    This course rebuilds that whole line, at a size a laptop can train in minutes.
    """)

chapter.section("Why a pretrained model is not an assistant")
chapter.prose("""
    Pretraining teaches a model one thing: given the text so far, predict the next token. \
    It reads books, articles and forum threads and learns what tends to come next. That \
    makes it knowledgeable, but not helpful: a question is, to it, just the start of a \
    document. "Explain quantum computing to a 10-year-old:" might be the title of an \
    encyclopedia entry, the first line of a quiz, or a forum post with more questions \
    under it, and the model continues whichever is most likely. Nothing in its objective \
    says "answer the person in front of you, simply, truthfully, and kindly".

    The RLHF pipeline adds that in three steps, one chapter or more each:

        1. Supervised fine-tuning (chapter 02): imitate demonstrations of good answers.
        2. A reward model (chapter 04): learn, from people comparing pairs of answers, a
           number that says how much people like an answer.
        3. Policy optimization (chapters 05-07: TRPO, PPO, GRPO): generate answers, score
           them with the reward model, and push the model towards higher reward while a
           KL penalty keeps it near the supervised model:
               maximize  E[ r(x, y) ] - beta * KL( pi(.|x) || pi_ref(.|x) )
    Chapter 08 (DPO) reaches the same objective from the comparisons directly, chapter 09 \
    (TPO) improves answers at inference time only, and chapter 10 compares them all.
    """)

chapter.section("The world this course lives in")
chapter.prose("""
    Nothing is downloaded. The course writes its own small world: about 45 topics \
    (quantum computing, photosynthesis, volcanoes, rainbows, ...), each with a technical \
    explanation, a child-level one, analogies, true facts and a common misconception, plus \
    sums and differences of numbers under 100. From them it writes a pretraining corpus in \
    seven genres (encyclopedia entries, textbook units, children's book pages, forum threads, \
    pages of readers' questions, stories and arithmetic drills). There is no chat in it: no \
    "User:", no "Assistant:".

    The world also holds a hidden "human": a gold judge that scores an answer the way a \
    parent would. It asks first whether the question was answered: an answer about another \
    topic than the one asked earns at most 1 point of 10, and made-up words cost points. Then \
    it looks at style: words a 10-year-old knows, an analogy, correct facts, no \
    misconception, a question back to the child, a sensible length, no repetition. No model \
    ever trains on it; it is the yardstick every chapter reports. Run `make world` to read \
    the world with your own eyes.
    """)

// ---------------------------------------------------------------------------------------
// The settings of this chapter. Quick mode runs the same code on a tiny corpus and model.

/// Everything that decides the pretraining run, with its usual range.
struct PretrainingSettings {
    /// Bytes of corpus text to generate (the default gives about 3 million tokens).
    var corpusBytes: Int
    /// Tokenizer vocabulary V, including the 256 bytes and <|endoftext|>. GPT-2 uses 50,257;
    /// a world with a few thousand distinct words needs far fewer.
    var vocabularySize: Int
    /// The model: layers L, heads H, width d (d divisible by H), context T.
    var layers: Int, heads: Int, width: Int, context: Int
    /// Sequences per optimizer step (B); B·T tokens per step. When compute, not data, is
    /// the limit, more and smaller steps win, and the attention patterns that copy from
    /// earlier in the context form after a number of steps, not of tokens.
    var batch: Int
    /// Optimizer steps.
    var steps: Int
    /// Peak learning rate of AdamW. GPT-2 small used 6e-4; a model this small trains well
    /// several times higher.
    var learningRate: Float
    /// Linear warmup steps before the cosine decay (a few percent of training).
    var warmupSteps: Int
    /// Decoupled weight decay λ on matrices (0.1 is GPT-3's value).
    var weightDecay: Float
    /// Validation every this many steps, on this many batches.
    var evaluationInterval: Int, evaluationBatches: Int
}

let settings = options.quick
    ? PretrainingSettings(corpusBytes: 400_000, vocabularySize: 512, layers: 2, heads: 2, width: 64, context: 128,
                          batch: 8, steps: options.steps ?? 150, learningRate: 3e-3, warmupSteps: 5,
                          weightDecay: 0.1, evaluationInterval: 20, evaluationBatches: 2)
    : PretrainingSettings(corpusBytes: 15_000_000, vocabularySize: 2048, layers: 6, heads: 4,
                          width: 128, context: 256, batch: 8, steps: options.steps ?? 2100,
                          learningRate: 4e-3, warmupSteps: 100, weightDecay: 0.1,
                          evaluationInterval: 100, evaluationBatches: 16)

// ---------------------------------------------------------------------------------------
chapter.section("The corpus")

let world = SyntheticWorld(seed: options.seed)
let corpus = world.corpus(targetBytes: settings.corpusBytes)
let trainBytes = corpus.train.reduce(0) { $0 + $1.utf8.count }
chapter.table(columns: ["split", "documents", "size (MB)"], rows: [
    ["train", corpus.train.count, Double(trainBytes) / 1e6],
    ["validation", corpus.validation.count, Double(corpus.validation.reduce(0) { $0 + $1.utf8.count }) / 1e6],
])
chapter.say("The start of the first training document:")
chapter.sample(prompt: "", response: String(corpus.train[0].prefix(600)),
               note: "one of \(corpus.train.count) training documents", style: .continuation)

// ---------------------------------------------------------------------------------------
chapter.section("A byte-level BPE tokenizer")
chapter.prose("""
    A model reads integers, not letters. GPT-2's byte-level byte-pair encoding starts from \
    the 256 possible bytes, so any text at all can be written down, and then repeatedly \
    merges the most frequent adjacent pair of tokens in the training text into a new token \
    ("t" + "h" -> "th", "th" + "e" -> "the", ...) until the vocabulary has the size we ask \
    for. Frequent words become one token, rare words are spelled from pieces, and nothing is \
    ever unknown. Merges never cross the borders of the chunks a pre-tokenizer first cuts \
    the text into: GPT-2's rule, a word with the space before it (" quantum"), a run of \
    punctuation, a run of whitespace, the English contractions. One change: every digit \
    is a chunk of its own, so that 47 and 74 are written with the same two symbols, which \
    helps with arithmetic. The exact rule is saved beside the vocabulary (tokenizer.json), \
    so that Hugging Face's tokenizers reproduce the course's ids. One special token, \
    <|endoftext|>, marks the end of a document (and, later, the end of an answer).
    """)

let tokenizerStart = Date()
let tokenizer = BytePairTokenizer.train(texts: corpus.train, vocabularySize: settings.vocabularySize)
let tokenizerSeconds = Date().timeIntervalSince(tokenizerStart)
let trainStream = TokenStream(documents: corpus.train, tokenizer: tokenizer)
let validationStream = TokenStream(documents: corpus.validation, tokenizer: tokenizer)
let bytesPerToken = Double(trainBytes) / Double(trainStream.count)
chapter.result("vocabulary size", tokenizer.vocabularySize, unit: "tokens")
chapter.result("training the tokenizer took", tokenizerSeconds, unit: "s")
chapter.result("training tokens", trainStream.count, unit: "tokens")
chapter.result("validation tokens", validationStream.count, unit: "tokens")
chapter.result("compression", bytesPerToken, unit: "bytes/token")
let shownMerges = [0, 1, 2, 10, 100, tokenizer.merges.count - 1].filter { $0 >= 0 && $0 < tokenizer.merges.count }
chapter.table("some merges, in the order they were learned",
              columns: ["merge #", "left", "right", "new token"],
              rows: shownMerges.map { k in
                  let m = tokenizer.merges[k]
                  func show(_ id: Int) -> String { "'" + tokenizer.decode([id]).replacingOccurrences(of: "\n", with: "\\n") + "'" }
                  return [k + 1, show(m.left), show(m.right), show(256 + k)]
              })
let example = "Explain quantum computing to a 10-year-old:"
chapter.say("\"\(example)\" becomes \(tokenizer.encode(example).count) tokens: "
            + tokenizer.encode(example).map { "[" + tokenizer.decode([$0]) + "]" }.joined())

// ---------------------------------------------------------------------------------------
chapter.section("How good is guessing from frequencies?")
chapter.prose("""
    Before training anything, two baselines. A unigram model predicts every token from its \
    frequency alone; a bigram model looks at the one token before. Their cross-entropy on \
    the validation text, in nats per token, is the loss a transformer must beat to have \
    learned anything beyond word counts and word pairs. Perplexity is e^loss: the number of \
    equally likely tokens the model is, in effect, choosing between.
    """)
let baselines = NGramBaselines(training: trainStream.tokens, validation: validationStream.tokens,
                               vocabularySize: tokenizer.vocabularySize)
chapter.table(columns: ["baseline", "validation loss (nats/token)", "perplexity"], rows: [
    ["unigram", baselines.unigram, exp(baselines.unigram)],
    ["bigram", baselines.bigram, exp(baselines.bigram)],
])

// ---------------------------------------------------------------------------------------
chapter.section("The model: a small GPT-2")
let config = GPTConfig(vocabularySize: tokenizer.vocabularySize, contextLength: settings.context,
                       layerCount: settings.layers, headCount: settings.heads, modelWidth: settings.width,
                       endOfTextTokenId: tokenizer.endOfText, positionEncoding: .rotary)
var initRNG = chapter.random("initialization")
let model = GPT(config: config, rng: &initRNG)
chapter.prose("""
    The architecture is GPT-2's, only smaller, with one change: L blocks of [LayerNorm -> \
    causal self-attention -> residual add] and [LayerNorm -> MLP (4x wide, GELU) -> residual \
    add] on the token embeddings, a final LayerNorm, and an output layer that reuses the \
    token embedding matrix (tied weights). The change is how the model knows where a token \
    stands. GPT-2 adds a learned vector per position to each token's embedding, so "the \
    token just before me" is a different direction at every one of the 256 positions, and a \
    head that looks one token back must learn it 256 times over. Rotary positions (RoPE; Su \
    et al., 2021, used by Llama and most models since) turn each query and key by an angle \
    proportional to its position; the score between two tokens then depends on how far \
    apart they are, and "one token back" is one pattern. That matters here: copying a token \
    from earlier in the context (a number of the question, into the answer) takes a head \
    that looks one token back and a head that uses it to find what followed the same token \
    before, and the section after pretraining measures whether they formed. The weights keep \
    GPT-2's tensor names (without the position table); Hugging Face's GPT-2 class has no \
    rotary positions, so the config names its own model type and transformers refuses it \
    rather than loading it without positions.
    """)
chapter.table(columns: ["layers", "heads", "width", "context", "vocabulary", "parameters"], rows: [
    [config.layerCount, config.headCount, config.modelWidth, config.contextLength, config.vocabularySize,
     config.parameterCount],
])
let plannedTokens = settings.steps * settings.batch * settings.context
chapter.prose("""
    Why this shape? Compute, not data, is what a laptop lacks: the world writes as many \
    documents as we ask for. For a fixed compute budget, Hoffmann et al. (2022) found that \
    large language models learn most when they see about 20 tokens per parameter; earlier \
    recipes trained far bigger models on far fewer tokens. This run gives \
    \(config.parameterCount) parameters \(plannedTokens) tokens, \
    \(String(format: "%.1f", Double(plannedTokens) / Double(config.parameterCount))) per parameter, \
    each seen about once: a smaller model than the course first used (2.2 million \
    parameters, 1.3 tokens each), trained on more text for the same minutes. And deep rather \
    than wide (\(config.layerCount) layers of width \(config.modelWidth)): Eldan and Li (2023) \
    found that depth, more than width, lets small models follow their context, and \
    following the context is what answering a question takes. The attention patterns that \
    copy a token from earlier in the text form abruptly after enough optimizer steps, so the \
    steps are many and small (\(settings.batch) windows of \(settings.context) tokens each); \
    whether they formed, the section after pretraining measures.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Pretraining")
chapter.prose("""
    Each step draws B random windows of T + 1 tokens from the corpus; the model reads the \
    first T and is scored on predicting each next one, with the mean cross-entropy

        L = -(1 / BT) sum_{b,t} log p(x_{b,t+1} | x_{b,1..t}).

    AdamW updates the weights (Adam's per-weight step sizes plus weight decay applied \
    directly to the weights); the learning rate warms up linearly, then follows a cosine \
    down to a tenth of its peak; the gradient's global norm is clipped at 1. Every few \
    steps the loss on held-out validation text tells us whether the model generalizes or \
    only memorizes.
    """)

let optimizer = AdamW(groups: ParameterGroup.standard(model.parameters, weightDecay: settings.weightDecay),
                      learningRate: settings.learningRate, beta1: 0.9, beta2: 0.95)
let schedule = LearningRateSchedule(peak: settings.learningRate, minimum: settings.learningRate / 10,
                                    warmupSteps: settings.warmupSteps, totalSteps: settings.steps)
let evaluationSet = validationStream.evaluationBatches(batch: settings.batch, context: settings.context,
                                                       maximumBatches: settings.evaluationBatches)

/// Mean validation loss over the fixed evaluation windows, with no graph recorded.
func validationLoss() -> Double {
    Autograd.withoutGradients {
        let losses = evaluationSet.map { window in
            Double(model.loss(ids: window.inputs, targets: window.targets, batch: settings.batch,
                              time: settings.context).item)
        }
        return losses.reduce(0, +) / Double(max(losses.count, 1))
    }
}

// Whether the model copies from its context is measured as it trains: held-out sums as quiz
// lines ("Q: What is 93 - 70?" then "A:"), answered greedily; an answer restates its
// question when it writes both of the question's numbers (ArithmeticProblem.isRestated).
let quizProblems = Array(world.heldOutPrompts.compactMap(\.arithmetic).prefix(options.quick ? 8 : 60))
func quizAnswers() -> [String] {
    var rng = chapter.random("quiz answers")
    return PretrainedLLM(tokenizer: tokenizer, model: model)
        .generate(prompts: quizProblems.map { "Q: What is \($0.expression)?\nA:" }, maxNewTokens: 12, temperature: 0, rng: &rng)
        .map { String($0.text.prefix { $0 != "\n" }) }
}
func restatedCount(_ answers: [String]) -> Int {
    zip(quizProblems, answers).filter { problem, answer in problem.isRestated(in: answer) }.count
}
let quizInterval = 3 * settings.evaluationInterval
var restatingCurve: [(tokens: Double, share: Double)] = []

var batchRNG = chapter.random("batches")
let tokensPerStep = settings.batch * settings.context
var trainCurve: [(tokens: Double, loss: Double)] = []
var validationCurve: [(tokens: Double, loss: Double)] = [(0, validationLoss())]
let trainingStart = Date()
let progress = chapter.progress("pretraining", total: settings.steps)
for step in 0..<settings.steps {
    let (inputs, targets) = trainStream.randomBatch(batch: settings.batch, context: settings.context, using: &batchRNG)
    optimizer.learningRate = schedule.rate(at: step)
    optimizer.zeroGrad()
    let loss = model.loss(ids: inputs, targets: targets, batch: settings.batch, time: settings.context)
    loss.backward()
    let gradientNorm = clipGradientNorm(model.parameters, maxNorm: 1)
    chapter.stopIfDiverged("pretraining", step: step + 1, loss: Double(loss.item), gradientNorm: Double(gradientNorm))
    optimizer.update()

    let tokensSeen = Double((step + 1) * tokensPerStep)
    trainCurve.append((tokensSeen, Double(loss.item)))
    chapter.log("train", step: step + 1, "loss", Double(loss.item))
    chapter.log("train", step: step + 1, "gradient norm", Double(gradientNorm))
    chapter.log("train", step: step + 1, "learning rate", Double(optimizer.learningRate))
    if (step + 1) % settings.evaluationInterval == 0 || step + 1 == settings.steps {
        let validation = validationLoss()
        validationCurve.append((tokensSeen, validation))
        chapter.log("validation", step: step + 1, "loss", validation)
    }
    if (step + 1) % quizInterval == 0 || step + 1 == settings.steps {
        let share = Double(restatedCount(quizAnswers())) / Double(quizProblems.count)
        restatingCurve.append((tokensSeen, share))
        chapter.log("quiz", step: step + 1, "restated share", share)
    }
    progress.update(step: step + 1, ["loss": Double(loss.item), "val": validationCurve.last!.loss],
                    tokens: tokensPerStep)
}
progress.finish()
let trainingSeconds = Date().timeIntervalSince(trainingStart)

let finalValidation = validationCurve.last!.loss
let perplexity = exp(finalValidation)
let unigramPerplexity = exp(baselines.unigram)
chapter.table("pretraining results", columns: ["quantity", "value"], rows: [
    ["tokens seen", Int(trainCurve.last!.tokens)],
    ["epochs over the corpus", trainCurve.last!.tokens / Double(trainStream.count)],
    ["tokens seen per parameter", trainCurve.last!.tokens / Double(config.parameterCount)],
    ["training time (s)", trainingSeconds],
    ["throughput (tokens/s)", trainCurve.last!.tokens / trainingSeconds],
    ["final training loss (nats/token)", trainCurve.suffix(20).map(\.loss).reduce(0, +) / Double(min(20, trainCurve.count))],
    ["validation loss (nats/token)", finalValidation],
    ["validation perplexity", perplexity],
    ["unigram perplexity", unigramPerplexity],
    ["perplexity / unigram perplexity", perplexity / unigramPerplexity],
])
chapter.headline(String(format: "validation loss %.3f nats/token (perplexity %.2f) against the unigram baseline's %.2f and the bigram's %.2f",
                        finalValidation, perplexity, baselines.unigram, baselines.bigram))
chapter.result("validation perplexity", perplexity)
chapter.result("unigram perplexity", unigramPerplexity)
chapter.prose("""
    The validation loss sits far below both baselines: the model has learned more than which \
    words are common and which pairs go together. It has learned whole phrasings, the facts \
    of the world, and the shape of each genre. The figure shows the training and validation \
    loss against tokens seen, with the two baselines as dashed lines.
    """)
chapter.figure(.lines(
    "pretraining-loss", title: "Pretraining: loss against tokens seen",
    x: PlotAxis("tokens seen", unit: "millions"), y: PlotAxis("cross-entropy", unit: "nats/token"),
    series: [
        PlotSeries("training loss", x: trainCurve.map { $0.tokens / 1e6 }, y: trainCurve.map(\.loss)),
        PlotSeries("validation loss", x: validationCurve.map { $0.tokens / 1e6 }, y: validationCurve.map(\.loss)),
    ],
    references: [.horizontal(baselines.unigram, "unigram baseline"), .horizontal(baselines.bigram, "bigram baseline")]))

// ---------------------------------------------------------------------------------------
chapter.section("Does it read the question?")
chapter.prose("""
    A low loss does not say that the model reads what it is asked. Most tokens of an answer \
    follow from the answer's own first words: after "A rainbow is", "light" and "colors" \
    are easy. The tokens that must come from the question (its topic, its numbers) are few, \
    and they are exactly what an assistant needs. So we measure them: held-out answers are \
    written as on a question page ("Question: ...", then "Answer: ..."), and each answer's \
    loss, summed over its tokens, is taken twice: after its own question and after the \
    question of another answer (another topic, or another sum). A model that ignores the \
    question finds both alike; one that reads it finds the answer much less likely after \
    the wrong question. The difference is what the question is worth, in nats per answer.
    """)
let probeItems = QuestionWorth.items(world.heldOutDemonstrations,
                                     format: { tokenizer.encode("Question: \($0)\nAnswer:") },
                                     answerTokens: { tokenizer.encode(" " + $0) })
let openWorth = QuestionWorth.measure(model, items: probeItems.open)
let arithmeticWorth = QuestionWorth.measure(model, items: probeItems.arithmetic)
var worthRows: [[any TableValue]] = []
for (kind, worth) in [("open-ended", openWorth), ("arithmetic", arithmeticWorth)] {
    worthRows.append([kind, worth.answers, worth.ownQuestion, worth.otherQuestion,
                      String(format: "%.2f ± %.2f", worth.worth, worth.standardError)])
    chapter.log("question worth", step: 0, "\(kind) own question", worth.ownQuestion)
    chapter.log("question worth", step: 0, "\(kind) other question", worth.otherQuestion)
    chapter.log("question worth", step: 0, "\(kind) worth", worth.worth)
    chapter.log("question worth", step: 0, "\(kind) worth standard error", worth.standardError)
}
chapter.table("what the question is worth (held-out answers, nats per answer)",
              columns: ["answers", "count", "after their own question", "after another question", "worth ± s.e."],
              rows: worthRows)
// The probe says whether an answer depends on its question; whether the model copies the
// numbers is asked directly, with the quiz lines measured during training.
let finalQuizAnswers = quizAnswers()
let restated = restatedCount(finalQuizAnswers)
let quizRight = zip(quizProblems, finalQuizAnswers).filter { problem, answer in problem.isAnsweredRight(in: answer) }.count
chapter.result("quiz answers that restate the question's two numbers", restated, unit: "of \(quizProblems.count)")
chapter.result("quiz answers that are right", quizRight, unit: "of \(quizProblems.count)")
for (problem, answer) in zip(quizProblems, finalQuizAnswers).prefix(3) {
    chapter.say("\"Q: What is \(problem.expression)?\" is answered \"A:\(answer)\".")
}
// The same question for topics: held-out requests that name their topic (or two), written
// as on a question page and answered greedily; an answer says its topic back when its first
// sentence names every topic asked.
let namingPrompts = world.heldOutPrompts.filter { prompt in
    prompt.arithmetic == nil && prompt.family != .story && prompt.topicNames.allSatisfy(prompt.text.contains)
}
let topicAnswers: [(prompt: Prompt, answer: String)] = {
    var rng = chapter.random("topic answers")
    let asked = Array(namingPrompts.prefix(options.quick ? 8 : namingPrompts.count))
    let answers = PretrainedLLM(tokenizer: tokenizer, model: model)
        .generate(prompts: asked.map { "Question: \($0.text)\nAnswer:" }, maxNewTokens: 16, temperature: 0, rng: &rng)
        .map { String($0.text.prefix { $0 != "\n" && $0 != "." }) }
    return Array(zip(asked, answers))
}()
let topicSaidBack = topicAnswers.filter { item in item.prompt.topicNames.allSatisfy { item.answer.lowercased().contains($0) } }
chapter.result("question-page answers whose first sentence names the topic asked", topicSaidBack.count,
               unit: "of \(topicAnswers.count)")
for item in topicAnswers.prefix(2) {
    chapter.say("\"Question: \(item.prompt.text)\" is answered \"Answer:\(item.answer).\"")
}
let readsTopic = openWorth.worth > 2 * openWorth.standardError
let copiesNumbers = Double(restated) >= 0.5 * Double(quizProblems.count)
let topicVerdict = readsTopic
    ? "the model takes the topic from the question"
    : "the difference is within two standard errors: the model hardly reads the topic in the question"
let restatedWords = restated == 0 ? "none of the \(quizProblems.count)" : "only \(restated) of \(quizProblems.count)"
// When copying formed: the first measurement at which half the quiz answers restated their numbers.
let formedAt = restatingCurve.first { $0.share >= 0.5 }
let formedWords = formedAt.map { String(format: "after %.1f million tokens", $0.tokens / 1e6) } ?? "at the end"
let numberVerdict = copiesNumbers
    ? "It also copies numbers: \(restated) of \(quizProblems.count) quiz answers restate both numbers of their " +
      "question, and \(quizRight) are right. The figure shows when that began: half the answers restated their " +
      "numbers \(formedWords), after a long stretch where none did. A pattern of attention that copies a token " +
      "from earlier in the context forms late and suddenly, once the simpler statistics of the text are learned."
    : "It does not copy numbers: \(restatedWords) quiz answers restate both numbers of " +
      "their question, so an arithmetic answer gains just \(String(format: "%.1f", arithmeticWorth.worth)) nats from " +
      "its question, where writing its four digits alone would be worth several times that. The attention pattern " +
      "that copies a token from earlier in the context has not formed in this budget (the figure), and the later " +
      "chapters inherit it."
chapter.prose("""
    An open-ended answer is \(String(format: "%.1f", openWorth.worth)) nats less likely after \
    another topic's question than after its own (\(String(format: "%.1f", openWorth.ownQuestion)) \
    against \(String(format: "%.1f", openWorth.otherQuestion)) nats per answer): \(topicVerdict). \
    \(numberVerdict) Topics are copied as well, less surely: asked \(topicAnswers.count) held-out \
    questions that name their topic (or two, for a comparison) on a question page, the model \
    names every topic asked in the first sentence of \(topicSaidBack.count) of its answers \
    (greedy). Reading the question is the skill supervised fine-tuning builds on in chapter \
    02, and these are where it comes from: the pages of readers' questions, where every \
    answer is about another topic than the one before and begins by saying the question \
    back ("Let me explain tides."), and the quizzes, whose answers restate their questions' \
    numbers.
    """)
chapter.figure(.lines(
    "quiz-restating", title: "Copying from the question: quiz answers that restate its two numbers",
    x: PlotAxis("tokens seen", unit: "millions"), y: PlotAxis("share of held-out quiz answers"),
    series: [PlotSeries("restate both numbers (greedy)", x: restatingCurve.map { $0.tokens / 1e6 },
                        y: restatingCurve.map(\.share))]))

// ---------------------------------------------------------------------------------------
chapter.section("Asking the pretrained model a question")
chapter.prose("""
    Now the test from the introduction: give the model "Explain quantum computing to a \
    10-year-old:" and let it continue (temperature 0.8, top-p 0.95). It has read about \
    quantum computing in every register, from encyclopedia entries to children's books, but \
    it has never seen a question answered for someone. Expect it to continue a document, \
    not to talk to a child. The gold judge scores each continuation as if it were an answer.
    """)
let llm = PretrainedLLM(tokenizer: tokenizer, model: model)
let judge = GoldJudge()
var sampleRNG = chapter.random("samples")
let quantumPrompt = world.evaluationPrompts.first { $0.text == SyntheticWorld.evaluationPromptTexts[0] }!
let probes: [(text: String, prompt: Prompt)] = [
    ("Explain quantum computing to a 10-year-old:", quantumPrompt),
    ("Explain quantum computing to a 10-year-old:", quantumPrompt),
] + world.evaluationPrompts.dropFirst().map { ($0.text, $0) }
    + world.heldOutPrompts.prefix(2).map { ($0.text, $0) }
let continuations = llm.generate(prompts: probes.map(\.text), maxNewTokens: options.quick ? 40 : 120,
                                 temperature: 0.8, topP: 0.95, rng: &sampleRNG)
var sampleRows: [[any TableValue]] = []
for (probe, continuation) in zip(probes, continuations) {
    let score = judge.score(probe.prompt, response: continuation.text)
    chapter.sample(prompt: probe.text, response: continuation.text,
                   note: String(format: "gold score %.2f", score.total), style: .continuation)
    sampleRows.append([probe.text, score.total, judge.topicVerdict(probe.prompt, response: continuation.text)?.rawValue ?? "–",
                       continuation.sequence.endedWithStopToken ? "yes" : "no"])
}
chapter.table("gold judge on the pretrained model's continuations",
              columns: ["prompt", "gold score", "topic", "ended by itself"], rows: sampleRows)
chapter.prose("""
    Read the continuations as a parent would. They are written like the corpus's documents \
    (an encyclopedia entry, a textbook unit, a forum thread, a page of questions), for grown-ups, \
    not for a child, and when the model stops, it stops where a document would end (with \
    <|endoftext|>), not where an answer is complete. The gold judge's table says the rest: \
    whether each continuation stays on the topic asked, and what its style earns. Chapter 02 \
    teaches the model the shape of an answer.
    """)

// ---------------------------------------------------------------------------------------
chapter.section("Saving the model for the next chapters")
do {
    try llm.save(to: chapter.runDirectory)
} catch {
    chapter.stop("could not save the pretrained model to \(chapter.runPath)/: \(ArtifactMessage.reason(error))", code: 74)
}
chapter.say("saved the tokenizer (vocab.json, merges.txt, tokenizer.json), config.json and model.safetensors to \(chapter.runPath)/")
chapter.finish()
