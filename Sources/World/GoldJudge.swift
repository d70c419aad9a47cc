/// The hidden human: scores a response to a prompt the way a careful parent or teacher
/// would, on a scale from 0 to 10, and says where the points came from.
///
/// Nothing in the course trains on this judge. It is the yardstick: chapters report the
/// gold score of what their models write, and the simulated annotators compare responses
/// by it (with noise). Its criteria are deliberately strict about the ways a policy can
/// please a learned reward model without pleasing a person: repeating an analogy marker,
/// piling up questions, padding the length, or drifting into another topic all cost
/// points here, even if a reward model learned to like their surface features.
///
/// Points per criterion (open-ended prompts; maximum 10 in total):
///
/// | criterion          | max | what costs points                                      |
/// |--------------------|-----|--------------------------------------------------------|
/// | simple words       | 2   | words a 10-year-old does not know                      |
/// | analogy            | 1.5 | no comparison at all, or a string of them (3 or more)  |
/// | correct facts      | 2   | not stating the topic's facts (partial credit)          |
/// | no misconception   | 1   | stating the common wrong belief: -2                    |
/// | engaging question  | 1.5 | no question to the child at the end; 3+ questions      |
/// | sensible length    | 1   | under or over the word band; far over goes to -2       |
/// | no repetition      | 0.5 | repeated sentences and word triples, down to -4        |
/// | on topic           | 0.5 | not about the topic: -1; drifting to another: -1.5     |
/// | right number       | 0   | (arithmetic only)                                      |
///
/// Arithmetic prompts are graded mostly on the answer: right number 7, simple words 1,
/// sensible length 1 (1 to 60 words), no repetition 1; the other criteria give 0.
/// The total is clamped to [0, 10].
public struct GoldJudge: Sendable {
    /// The criteria, in the order of every breakdown.
    public enum Criterion: String, CaseIterable, Sendable {
        case simpleWords = "simple words"
        case analogy = "analogy"
        case correctFacts = "correct facts"
        case noMisconception = "no misconception"
        case engagingQuestion = "engaging question"
        case sensibleLength = "sensible length"
        case noRepetition = "no repetition"
        case onTopic = "on topic"
        case rightNumber = "right number"
    }

    /// The names of the criteria, in breakdown order.
    public static var criterionNames: [String] { Criterion.allCases.map(\.rawValue) }

    public init() {}

    /// Scores `response` as an answer to `prompt`.
    public func score(_ prompt: Prompt, response: String) -> GoldScore {
        let words = TextAnalysis.words(response)
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
            values[.onTopic] = topicCredit(topics, index)
        }
        if words.isEmpty { values = [:] }
        let breakdown = Criterion.allCases.map { (criterion: $0.rawValue, value: values[$0] ?? 0) }
        let sum = breakdown.reduce(0) { $0 + $1.value }
        return GoldScore(total: min(10, max(0, sum)), breakdown: breakdown)
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

    /// On topic: is the answer about what was asked? It must use the topic's keywords
    /// (otherwise -1), and no other topic may be talked about more: if another
    /// topic's keywords show up at least twice as distinct words and more often than
    /// the asked topic's, the answer has drifted (-1.5). Otherwise 0.5.
    func topicCredit(_ topics: [Topic], _ words: TextAnalysis.WordIndex) -> Double {
        guard !topics.isEmpty else { return 0 }
        func hits(_ t: Topic) -> Int {
            var n = 0
            for k in t.keywords where words.contains(k) { n += 1 }
            return n
        }
        let own = topics.map(hits).reduce(0, +)
        if own == 0 { return -1 }
        let asked = Set(topics.map(\.name))
        for other in Knowledge.topics where !asked.contains(other.name) {
            let h = hits(other)
            if h >= 2 && h > own { return -1.5 }
        }
        return 0.5
    }

    /// Right number: does the answer give the exact result? A person reads the first number
    /// in the answer that is not one of the two numbers of the question (each of those is
    /// skipped once) as the answer given: 1 if it is the exact result, 0 otherwise (also
    /// when no such number is there).
    func rightNumber(_ problem: ArithmeticProblem, response: String) -> Double {
        var numbers = TextAnalysis.numbers(in: response)
        for operand in [problem.left, problem.right] {
            if let i = numbers.firstIndex(of: operand) { numbers.remove(at: i) }
        }
        return numbers.first == problem.answer ? 1 : 0
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
