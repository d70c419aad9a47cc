/// The hidden human: scores a response to a prompt the way a careful parent or teacher
/// would, on a scale from 0 to 10, and says where the points came from.
///
/// Nothing in the course trains on this judge. It is the yardstick: chapters report the
/// gold score of what their models write, and the simulated annotators compare responses
/// by it (with noise).
///
/// It asks first whether the question was answered. An answer that is not about the topic
/// asked (a comparison must name both topics), or that drifts to another topic, earns at
/// most 1 point, however nice its style: a parent whose child asked about quantum
/// computing gets nothing from a fine paragraph about fossils. Made-up words (words the
/// world never writes, `Lexicon`) cost in proportion, and an answer that is mostly made-up
/// words earns at most 2. Only then does style count, and its criteria are strict about
/// the ways a policy can please a learned reward model without pleasing a person:
/// repeating an analogy marker, piling up questions or padding the length all cost points.
///
/// Points per criterion (open-ended prompts; maximum 10 in total):
///
/// | criterion          | max | what costs points                                              |
/// |--------------------|-----|----------------------------------------------------------------|
/// | on topic           | 0.5 | not about the topic asked, or drifting to another: total <= 1   |
/// | real words         | 0   | -10 x the share of made-up words; over half made up: total <= 2 |
/// | simple words       | 2   | words a 10-year-old does not know                               |
/// | analogy            | 1.5 | no comparison at all, or a string of them (3 or more)           |
/// | correct facts      | 2   | not stating the topic's facts (partial credit)                   |
/// | no misconception   | 1   | stating the common wrong belief: -2                             |
/// | engaging question  | 1.5 | no question to the child at the end; 3+ questions               |
/// | sensible length    | 1   | under or over the word band; far over goes to -2                |
/// | no repetition      | 0.5 | repeated sentences and word triples, down to -4                 |
/// | right number       | 0   | (arithmetic only)                                               |
///
/// The two caps are written into the breakdown: when an answer is off topic, its "on topic"
/// value is whatever brings the total down to 1 (0 if it is there already), so the total is
/// always the sum of the breakdown, clamped to [0, 10].
///
/// Arithmetic prompts are graded mostly on the answer: right number 7, simple words 1,
/// sensible length 1 (1 to 60 words), no repetition 1; the other criteria give 0.
public struct GoldJudge: Sendable {
    /// The criteria, in the order of every breakdown.
    public enum Criterion: String, CaseIterable, Sendable {
        case onTopic = "on topic"
        case realWords = "real words"
        case simpleWords = "simple words"
        case analogy = "analogy"
        case correctFacts = "correct facts"
        case noMisconception = "no misconception"
        case engagingQuestion = "engaging question"
        case sensibleLength = "sensible length"
        case noRepetition = "no repetition"
        case rightNumber = "right number"
    }

    /// The names of the criteria, in breakdown order.
    public static var criterionNames: [String] { Criterion.allCases.map(\.rawValue) }

    public init() {}

    /// Scores `response` as an answer to `prompt`.
    public func score(_ prompt: Prompt, response: String) -> GoldScore {
        let words = TextAnalysis.words(response)
        let madeUpShare = Lexicon.madeUpShare(words)
        let sentences = TextAnalysis.sentences(response)
        var values = [Criterion: Double]()
        if let problem = prompt.arithmetic {
            values[.rightNumber] = 7 * rightNumber(problem, response: response)
            values[.simpleWords] = 1 * simpleWordsCredit(words, allowed: [])
            values[.sensibleLength] = lengthCredit(words.count, band: 1...60)
            values[.noRepetition] = repetitionCredit(words, sentences, best: 1)
        } else {
            let topics = prompt.topicNames.compactMap(Knowledge.topic(named:))
            let allowed = Set(topics.flatMap { TextAnalysis.words($0.name) })
            values[.simpleWords] = 2 * simpleWordsCredit(words, allowed: allowed)
            values[.analogy] = analogyCredit(words)
            let index = TextAnalysis.WordIndex(words)
            values[.correctFacts] = 2 * factsCredit(topics, index, needed: factsNeeded(prompt.family))
            values[.noMisconception] = statesMisconception(topics, sentences) ? -2 : 1
            values[.engagingQuestion] = questionCredit(sentences)
            values[.sensibleLength] = lengthCredit(words.count, band: lengthBand(prompt.family))
            values[.noRepetition] = repetitionCredit(words, sentences, best: 0.5)
            let style = values.values.reduce(0, +)
            values[.realWords] = realWordsCredit(madeUpShare: madeUpShare, style: style)
            values[.onTopic] = topicCredit(topicVerdict(topics, index), rest: style + values[.realWords]!)
        }
        if words.isEmpty { values = [:] }
        let breakdown = Criterion.allCases.map { (criterion: $0.rawValue, value: values[$0] ?? 0) }
        let sum = breakdown.reduce(0) { $0 + $1.value }
        // The caps are exact: summing the breakdown in another order must not leave an
        // off-topic answer a rounding error above its ceiling.
        var ceiling = 10.0
        if let onTopic = values[.onTopic], onTopic < 0.5 { ceiling = Self.offTopicCeiling }
        if values[.realWords] != nil, madeUpShare > 0.5 { ceiling = min(ceiling, Self.madeUpCeiling) }
        return GoldScore(total: min(ceiling, max(0, sum)), breakdown: breakdown)
    }

    // MARK: - The criteria

    /// Simple words: would a 10-year-old know these words? The share s of words that are in
    /// the simple vocabulary (the topic's own name counts as known, since the child asked
    /// about it) is mapped to credit linearly: 0 at s <= 0.70, full at s >= 0.92. Plain
    /// children's prose sits above 0.92; encyclopedia jargon sits around 0.6.
    func simpleWordsCredit(_ words: [String], allowed: Set<String>) -> Double {
        guard !words.isEmpty else { return 0 }
        var simple = 0
        for w in words where allowed.contains(w) || SimpleVocabulary.isSimple(w) { simple += 1 }
        let share = Double(simple) / Double(words.count)
        return min(1, max(0, (share - 0.70) / (0.92 - 0.70)))
    }

    /// The phrases that mark a comparison to something familiar.
    static let analogyMarkers = ["is like", "are like", "think of", "imagine", "just like", "a bit like", "as if"]

    /// Analogy: does the answer compare the idea to something the child already knows?
    /// One or two comparisons earn 1.5; a person is lost by a string of them, so three
    /// earn 0.75 and four or more earn nothing.
    func analogyCredit(_ words: [String]) -> Double {
        let n = Self.analogyMarkers.reduce(0) { $0 + occurrences(of: $1, in: words) }
        switch n {
        case 0: return 0
        case 1, 2: return 1.5
        case 3: return 0.75
        default: return 0
        }
    }

    /// How many facts an answer of each family should state: an explanation or a
    /// comparison two, a fun fact, a story or a how-to one.
    func factsNeeded(_ family: Prompt.Family) -> Int {
        switch family {
        case .explain, .define, .compare: return 2
        case .fact, .story, .howTo, .arithmetic: return 1
        }
    }

    /// Correct facts: does the answer say true, relevant things? A fact counts when all its
    /// keywords appear; credit is min(1, mentioned / needed), so a partial answer earns
    /// partial credit.
    func factsCredit(_ topics: [Topic], _ words: TextAnalysis.WordIndex, needed: Int) -> Double {
        var mentioned = 0
        for topic in topics {
            for fact in topic.facts where fact.keywords.allSatisfy({ words.contains($0) }) {
                mentioned += 1
            }
        }
        return min(1, Double(mentioned) / Double(needed))
    }

    /// Phrases that show a sentence reports a wrong belief in order to correct it.
    static let correctionCues = ["not true", "myth", "people think", "people believe", "mistake", "wrong", "is not", "are not", "isnt", "arent", "actually"]

    /// No misconception: does the answer state the topic's common wrong belief as if it were
    /// true? A sentence states it when it holds every trigger phrase of the misconception
    /// and none of the cues of a correction ("some people think ..., but").
    func statesMisconception(_ topics: [Topic], _ sentences: [String]) -> Bool {
        for sentence in sentences {
            let words = TextAnalysis.words(sentence)
            if Self.correctionCues.contains(where: { occurrences(of: $0, in: words) > 0 }) { continue }
            for topic in topics where topic.misconception.triggers.allSatisfy({ TextAnalysis.contains($0, in: words) }) {
                return true
            }
        }
        return false
    }

    /// Engaging question: does the answer end by inviting the child to think, look or try?
    /// The last sentence must be a question addressed to the child ("you", "your"): 1.5; a
    /// question at the end not addressed to the child: 0.75. Questions anywhere else earn
    /// nothing. Three or more questions read as a quiz, not a conversation: each question
    /// beyond two costs 0.75, down to -1.5.
    func questionCredit(_ sentences: [String]) -> Double {
        let questions = sentences.filter { $0.hasSuffix("?") }.count
        var credit = 0.0
        if let last = sentences.last, last.hasSuffix("?") {
            let words = TextAnalysis.words(last)
            credit = words.contains("you") || words.contains("your") ? 1.5 : 0.75
        }
        if questions > 2 { credit -= 0.75 * Double(questions - 2) }
        return max(-1.5, credit)
    }

    /// The comfortable length of an answer of each family, in words.
    func lengthBand(_ family: Prompt.Family) -> ClosedRange<Int> {
        switch family {
        case .story: return 60...180
        case .fact: return 20...110
        case .arithmetic: return 1...60
        default: return 35...130
        }
    }

    /// Sensible length: long enough to say something, short enough that a child listens to
    /// the end. Inside the band: 1. Below it: n / lower. Above it: 1 - (n - upper) /
    /// (upper / 2), so half the band's upper limit again gives 0, and it falls to -2.
    func lengthCredit(_ n: Int, band: ClosedRange<Int>) -> Double {
        if band.contains(n) { return 1 }
        if n < band.lowerBound { return Double(n) / Double(band.lowerBound) }
        let over = Double(n - band.upperBound) / (Double(band.upperBound) / 2)
        return max(-2, 1 - over)
    }

    /// No repetition: does the answer say each thing once, without looping? Two penalties:
    /// each sentence that repeats an earlier one costs 1, and when fewer than 90% of the
    /// word triples are distinct, each point of share below 0.9 costs 0.1 (so a text whose
    /// triples are half repeats loses 4). Credit is `best` minus the penalties, down to -4.
    func repetitionCredit(_ words: [String], _ sentences: [String], best: Double) -> Double {
        var penalty = 0.0
        var seen = Set<String>()
        for sentence in sentences {
            let key = TextAnalysis.words(sentence).joined(separator: " ")
            if key.isEmpty { continue }
            if !seen.insert(key).inserted { penalty += 1 }
        }
        if words.count >= 6 {
            var triples = Set<String>()
            let total = words.count - 2
            for i in 0..<total { triples.insert(words[i] + " " + words[i + 1] + " " + words[i + 2]) }
            let distinct = Double(triples.count) / Double(total)
            if distinct < 0.9 { penalty += (0.9 - distinct) * 10 }
        }
        return max(-4, best - penalty)
    }

    /// Whether an answer is about what was asked.
    public enum TopicVerdict: String, Sendable {
        /// It talks about the topic asked (both topics of a comparison), and no other topic more.
        case onTopic = "on topic"
        /// It uses no word of the topic asked (of either topic of a comparison).
        case missing = "not about the topic"
        /// It talks about another topic more than about the one asked: the answer has
        /// wandered off.
        case drifted = "drifted to another topic"
    }

    /// On topic or not, from how strongly the answer's words talk about each topic
    /// (`TopicVocabulary`): every topic asked must score above 0, and no other topic may
    /// score at least 2 and more than twice the asked topics together (an answer about black
    /// holes names gravity; one that wanders off says far more about the other topic).
    public func topicVerdict(_ topics: [Topic], _ words: TextAnalysis.WordIndex) -> TopicVerdict {
        guard !topics.isEmpty else { return .onTopic }
        let scores = TopicVocabulary.scores(words)
        let asked = topics.compactMap { topic in Knowledge.topics.firstIndex { $0.name == topic.name } }
        let perTopic = asked.map { scores[$0] }
        if perTopic.contains(where: { $0 <= 0 }) { return .missing }
        let own = perTopic.reduce(0, +)
        for (index, score) in scores.enumerated() where !asked.contains(index) && score >= 2 && score > 2 * own {
            return .drifted
        }
        return .onTopic
    }

    /// The verdict on an open-ended answer to `prompt` (nil for arithmetic prompts).
    public func topicVerdict(_ prompt: Prompt, response: String) -> TopicVerdict? {
        guard prompt.arithmetic == nil else { return nil }
        let topics = prompt.topicNames.compactMap(Knowledge.topic(named:))
        return topicVerdict(topics, TextAnalysis.WordIndex(TextAnalysis.words(response)))
    }

    /// The most an answer that does not answer the question can earn.
    public static let offTopicCeiling = 1.0
    /// The most an answer that is mostly made-up words can earn.
    public static let madeUpCeiling = 2.0
    /// Points one made-up word in every word would cost (so a share s costs 10 s).
    public static let madeUpCost = 10.0

    /// On topic: 0.5 when the answer is about what was asked. Otherwise the value that brings
    /// the total (`rest` is the sum of every other criterion) down to `offTopicCeiling`,
    /// or 0 when the rest is already below it.
    func topicCredit(_ verdict: TopicVerdict, rest: Double) -> Double {
        verdict == .onTopic ? 0.5 : min(0, Self.offTopicCeiling - rest)
    }

    /// Real words: -10 times the share of words the world never writes; when more than half
    /// the words are made up, the answer says nothing a reader can follow, and the value
    /// also brings the total (`style` is the sum of the style criteria) down to 2.
    func realWordsCredit(madeUpShare share: Double, style: Double) -> Double {
        let cost = -Self.madeUpCost * share
        return share > 0.5 ? min(cost, Self.madeUpCeiling - style) : cost
    }

    /// Right number: does the answer give the exact result? 1 when the number it gives
    /// (`ArithmeticProblem.answerGiven`: the last one once the question's own numbers are set
    /// aside) is the exact result, 0 otherwise (also when it gives none).
    public func rightNumber(_ problem: ArithmeticProblem, response: String) -> Double {
        problem.isAnsweredRight(in: response) ? 1 : 0
    }

    /// How often a phrase occurs as consecutive words.
    func occurrences(of phrase: String, in words: [String]) -> Int {
        let parts = phrase.split(separator: " ").map(String.init)
        guard words.count >= parts.count else { return 0 }
        var n = 0
        for start in 0...(words.count - parts.count) {
            var all = true
            for k in 0..<parts.count where words[start + k] != parts[k] { all = false; break }
            if all { n += 1 }
        }
        return n
    }
}

/// A gold score: the total (0 to 10) and the points of each criterion, in the order of
/// `GoldJudge.criterionNames`.
public struct GoldScore: Sendable {
    public let total: Double
    public let breakdown: [(criterion: String, value: Double)]

    /// The points of one criterion (0 for an unknown name).
    public subscript(criterion: String) -> Double {
        breakdown.first { $0.criterion == criterion }?.value ?? 0
    }

    public subscript(criterion: GoldJudge.Criterion) -> Double { self[criterion.rawValue] }
}
