import TensorCore

/// The whole synthetic world of the course, built from one seed.
///
/// The knowledge (`Knowledge.topics`) is fixed, and so is the split of prompts into
/// training and held-out ones (drawn from `splitSeed` whatever the seed): a chapter run with
/// another `--seed` must never evaluate on a prompt that an earlier chapter trained on.
/// The seed decides the wording of the corpus and of the training demonstrations, and
/// which demonstrator writes well or badly. The same seed gives identical output.
///
/// ```
/// let world = SyntheticWorld(seed: 42)
/// let corpus = world.corpus()                 // pretraining documents
/// let demos = world.demonstrations            // SFT data
/// let gold = GoldJudge().score(world.evaluationPrompts[0], response: "...")
/// ```
public final class SyntheticWorld: @unchecked Sendable {
    public let seed: UInt64
    /// Every topic of the world.
    public let topics: [Topic]
    /// Prompts with demonstrations.
    public let trainPrompts: [Prompt]
    /// Prompts never used in a demonstration: some about training topics, all about the
    /// held-out topics, and the evaluation prompts.
    public let heldOutPrompts: [Prompt]
    /// The seed's three running examples, all held out.
    public let evaluationPrompts: [Prompt]
    /// SFT demonstrations over `trainPrompts` (six per topic prompt, five per comparison,
    /// four per arithmetic prompt).
    public let demonstrations: [Demonstration]
    /// One demonstration per held-out prompt, for held-out SFT loss and ROUGE-L.
    public let heldOutDemonstrations: [Demonstration]

    /// The default size of the pretraining corpus: about 10 MB of text, a few million BPE tokens.
    public static let defaultCorpusBytes = 10_000_000

    /// The exact texts of the evaluation prompts.
    public static let evaluationPromptTexts = [
        "Explain quantum computing to a 10-year-old",
        "Write a short story about a robot learning to feel",
        "How can I see a rainbow at home?",
    ]

    /// The seed of the prompt split and of the held-out demonstrations, the same for every
    /// world: what is held out is part of the world, not of a run.
    public static let splitSeed: UInt64 = 0

    public init(seed: UInt64) {
        self.seed = seed
        self.topics = Knowledge.topics
        let root = RandomGenerator(seed: seed)
        let fixed = RandomGenerator(seed: Self.splitSeed)
        var splitRNG = fixed.derived("prompt split")
        let (train, heldOut, evaluation) = Self.splitPrompts(rng: &splitRNG)
        trainPrompts = train
        heldOutPrompts = heldOut
        evaluationPrompts = evaluation

        var demoRNG = root.derived("demonstrations")
        var demos: [Demonstration] = []
        for prompt in train {
            let count = Self.demonstrationsPerPrompt(prompt.family)
            for _ in 0..<count { demos.append(Self.demonstration(prompt, rng: &demoRNG)) }
        }
        demonstrations = demos
        var heldRNG = fixed.derived("held-out demonstrations")
        heldOutDemonstrations = heldOut.map { Self.demonstration($0, rng: &heldRNG) }
    }

    /// How many demonstrators answer each training prompt: six for an open-ended request,
    /// five for a comparison, four for a sum. Demonstrations cost nothing here, and SFT of
    /// every weight learns the answers it is shown by heart: several answers to one prompt,
    /// in different words, leave it the pattern to learn rather than one text.
    static func demonstrationsPerPrompt(_ family: Prompt.Family) -> Int {
        switch family {
        case .arithmetic: return 4
        case .compare: return 5
        default: return 6
        }
    }

    static func demonstration(_ prompt: Prompt, rng: inout RandomGenerator) -> Demonstration {
        let qualities = Demonstration.Quality.allCases
        let quality = qualities[rng.categorical(qualities.map(\.share))]
        return Demonstration(prompt: prompt, response: ResponseWriter.response(to: prompt, quality: quality, rng: &rng), quality: quality)
    }

    /// Pretraining documents: `train` of about `targetBytes` bytes of text, and a
    /// validation split of about 5% of that, drawn independently from the same
    /// distribution. The model layer joins documents with its end-of-text token.
    public func corpus(targetBytes: Int = SyntheticWorld.defaultCorpusBytes) -> (train: [String], validation: [String]) {
        let docs = corpusDocuments(targetBytes: targetBytes)
        return (docs.train.map(\.text), docs.validation.map(\.text))
    }

    /// The corpus with each document's genre.
    public func corpusDocuments(targetBytes: Int = SyntheticWorld.defaultCorpusBytes)
        -> (train: [CorpusDocument], validation: [CorpusDocument]) {
        let root = RandomGenerator(seed: seed)
        var trainRNG = root.derived("corpus train")
        var validRNG = root.derived("corpus validation")
        return (CorpusWriter.documents(targetBytes: targetBytes, rng: &trainRNG),
                CorpusWriter.documents(targetBytes: max(1, targetBytes / 20), rng: &validRNG))
    }

    /// The topic of a prompt, if it has one.
    public func topic(of prompt: Prompt) -> Topic? { prompt.topic.flatMap(Knowledge.topic(named:)) }

    // MARK: - Prompts

    /// Every prompt about one topic (explain, define, fact, story, how-to).
    static func topicPrompts(_ t: Topic) -> [Prompt] {
        var prompts: [Prompt] = []
        func add(_ texts: [String], _ family: Prompt.Family) {
            for text in texts { prompts.append(Prompt(text: text, family: family, topic: t.name)) }
        }
        add(PromptTemplates.explain(t), .explain)
        add(PromptTemplates.define(t), .define)
        add(PromptTemplates.fact(t), .fact)
        add(PromptTemplates.story(t), .story)
        if let h = t.howTo { add(h.questions, .howTo) }
        return prompts
    }

    /// Splits prompts into train, held-out and evaluation prompts: every prompt about a
    /// held-out topic is held out, and so is about 15% of the others (the evaluation
    /// prompts always); comparisons are held out when either topic is; arithmetic problems
    /// are drawn without repeats and 20% are held out.
    static func splitPrompts(rng: inout RandomGenerator) -> (train: [Prompt], heldOut: [Prompt], evaluation: [Prompt]) {
        let heldTopics = Set(Knowledge.heldOutTopicNames)
        let evalTexts = Set(evaluationPromptTexts)
        var train: [Prompt] = [], held: [Prompt] = [], evaluation: [Prompt] = []
        for t in Knowledge.topics {
            for p in topicPrompts(t) {
                if evalTexts.contains(p.text) {
                    evaluation.append(p)
                    held.append(p)
                } else if heldTopics.contains(t.name) || rng.bernoulli(0.15) {
                    held.append(p)
                } else {
                    train.append(p)
                }
            }
        }
        evaluation.sort { evaluationPromptTexts.firstIndex(of: $0.text)! < evaluationPromptTexts.firstIndex(of: $1.text)! }

        for area in Topic.Area.allCases {
            let ts = Knowledge.topics.filter { $0.area == area }
            for i in 0..<ts.count {
                for j in (i + 1)..<ts.count {
                    let (a, b) = rng.bernoulli(0.5) ? (ts[i], ts[j]) : (ts[j], ts[i])
                    let p = Prompt(text: rng.pick(PromptTemplates.compare(a, b)), family: .compare, topic: a.name, otherTopic: b.name)
                    if heldTopics.contains(a.name) || heldTopics.contains(b.name) || rng.bernoulli(0.15) {
                        held.append(p)
                    } else {
                        train.append(p)
                    }
                }
            }
        }

        var seen = Set<ArithmeticProblem>()
        var arithmetic: [Prompt] = []
        while arithmetic.count < 600 {
            let a = rng.int(in: 1...99), b = rng.int(in: 1...99)
            let problem = rng.bernoulli(0.5) ? ArithmeticProblem(a, .plus, b)
                : ArithmeticProblem(max(a, b), .minus, min(a, b))
            guard problem.answer > 0, seen.insert(problem).inserted else { continue }
            arithmetic.append(Prompt(text: rng.pick(PromptTemplates.arithmetic(problem)), family: .arithmetic, arithmetic: problem))
        }
        train += arithmetic.prefix(480)
        held += arithmetic.suffix(120)
        return (train, held, evaluation)
    }
}

extension SyntheticWorld {
    /// Every sum and difference of whole numbers from 1 to `maxOperand` with a positive
    /// result, worded as the world words arithmetic prompts, split into training and
    /// held-out problems by the fixed split seed, whatever the world's seed: a fifth at
    /// random, plus every problem the world itself holds out (so that training on the
    /// range never touches a prompt of the course's held-out evaluation). A smaller range
    /// than the world's own (numbers under 100) gives a policy that rarely gets a sum right
    /// a range where it sometimes does, so that RL on a right-or-wrong reward has
    /// something to start from.
    public func arithmeticPrompts(maxOperand: Int) -> (train: [Prompt], heldOut: [Prompt]) {
        precondition(maxOperand >= 2, "arithmeticPrompts: maxOperand must be at least 2")
        var rng = RandomGenerator(seed: Self.splitSeed).derived("arithmetic range \(maxOperand)")
        let worldHeldOut = Set(heldOutPrompts.compactMap(\.arithmetic))
        var problems: [ArithmeticProblem] = []
        for a in 1...maxOperand {
            for b in 1...maxOperand {
                problems.append(ArithmeticProblem(a, .plus, b))
                if a > b { problems.append(ArithmeticProblem(a, .minus, b)) }
            }
        }
        let prompts = rng.shuffled(problems).map { problem in
            Prompt(text: rng.pick(PromptTemplates.arithmetic(problem)), family: .arithmetic, arithmetic: problem)
        }
        let heldOutCount = prompts.count / 5
        let heldOut = prompts.enumerated().filter { $0.offset < heldOutCount || worldHeldOut.contains($0.element.arithmetic!) }
        let train = prompts.enumerated().filter { $0.offset >= heldOutCount && !worldHeldOut.contains($0.element.arithmetic!) }
        return (train.map(\.element), heldOut.map(\.element))
    }
}
