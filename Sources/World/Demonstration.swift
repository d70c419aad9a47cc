import LanguageModel
import TensorCore

/// A prompt with a response written by a (simulated) human demonstrator, for supervised
/// fine-tuning.
public struct Demonstration: Sendable, Hashable {
    public let prompt: Prompt
    public let response: String
    /// How the demonstrator did, for analysis; the model never sees it.
    public let quality: Quality

    /// The chat text the model is trained on, without the end-of-text token.
    public var chatText: String { ChatFormat.text(prompt: prompt.text, response: response) }

    /// The kinds of demonstration in the data set, as real demonstration data is mixed.
    ///
    /// The shares (`share`) are chosen so that SFT moves the model a long way toward good
    /// answers (most demonstrations are simple and correct), while the things the judge
    /// values most (an analogy and a question back to the child) are rare enough that RLHF
    /// has something to add.
    public enum Quality: String, Sendable, CaseIterable {
        /// Simple words, an analogy, correct facts, and an engaging question at the end.
        case excellent
        /// Correct and simple, but without an analogy or without a question.
        case dry
        /// Correct but in jargon, as a textbook would say it.
        case technical
        /// Correct but rambling: too long, repeating itself.
        case long
        /// Simple, but states the topic's common misconception as fact.
        case slip
        /// One short sentence.
        case terse

        /// The share of demonstrations of this quality.
        public var share: Double {
            switch self {
            case .excellent: return 0.20
            case .dry: return 0.40
            case .technical: return 0.15
            case .long: return 0.10
            case .slip: return 0.10
            case .terse: return 0.05
            }
        }
    }
}

/// Writes responses of a given quality to prompts of every family: the simulated human
/// demonstrators.
struct ResponseWriter {
    static let openers = ["", "", "Great question!", "Sure!", "Here is a simple way to see it.", "Happy to help.", "Good question."]
    static let genericQuestions = [
        "What would you like to find out about NAME next?",
        "Have you ever noticed NAME in your own life?",
        "What do you think is the most surprising part?",
        "Would you like to try to explain NAME to a friend?",
    ]

    static func engagingQuestion(_ t: Topic, rng: inout RandomGenerator) -> String {
        if rng.bernoulli(0.6) { return t.childQuestion }
        return rng.pick(genericQuestions).replacingOccurrences(of: "NAME", with: t.name)
    }

    static func response(to prompt: Prompt, quality: Demonstration.Quality, rng: inout RandomGenerator) -> String {
        if let problem = prompt.arithmetic { return arithmetic(problem, quality, rng: &rng) }
        let topics = prompt.topicNames.compactMap(Knowledge.topic(named:))
        guard let topic = topics.first else { return "" }
        let body: String
        switch prompt.family {
        case .compare where topics.count == 2: body = compare(topics[0], topics[1], quality, rng: &rng)
        case .story: body = story(topic, quality, rng: &rng)
        case .howTo: body = howTo(topic, quality, rng: &rng)
        case .fact: body = fact(topic, quality, rng: &rng)
        default: body = explain(topic, quality, rng: &rng)
        }
        // Every answer but a one-sentence one begins by saying back what was asked
        // (`Phrasing.saidBack`), after a pleasantry if it has one: "Great question! Let me
        // explain solar power. ..."
        guard quality != .terse else { return body }
        let saidBack = Phrasing.saidBack(prompt.text, topics: topics, rng: &rng)
        if let opener = openers.first(where: { !$0.isEmpty && body.hasPrefix($0 + " ") }) {
            return Phrasing.join([opener, saidBack, String(body.dropFirst(opener.count + 1))])
        }
        return Phrasing.join([saidBack, body])
    }

    /// `n` of the topic's facts, in random order.
    static func facts(_ t: Topic, _ n: Int, rng: inout RandomGenerator) -> [String] {
        Phrasing.sample(t.facts, n, rng: &rng).map(\.sentence)
    }

    // MARK: explain and define

    static func explain(_ t: Topic, _ q: Demonstration.Quality, rng: inout RandomGenerator) -> String {
        let opener = rng.pick(openers)
        let body = Array(t.simple.dropFirst().prefix(rng.int(in: 1...2)))
        switch q {
        case .excellent:
            return Phrasing.join([opener, t.simple[0]] + body + [Phrasing.analogy(rng.pick(t.analogies), rng: &rng)]
                + facts(t, 2, rng: &rng) + [engagingQuestion(t, rng: &rng)])
        case .dry:
            var parts = [t.simple[0]] + body + facts(t, 2, rng: &rng)
            let style = rng.int(below: 10)
            if style < 3 { parts.insert(Phrasing.analogy(rng.pick(t.analogies), rng: &rng), at: parts.count - 1) }
            if style >= 8 { parts.append(engagingQuestion(t, rng: &rng)) }
            return Phrasing.join(parts)
        case .technical:
            return Phrasing.join(Array(t.technical.prefix(rng.int(in: 2...3))) + facts(t, 1, rng: &rng))
        case .long:
            let a = rng.pick(t.analogies)
            return Phrasing.join([opener] + t.simple + [t.technical[0], t.technical[1]]
                + t.facts.map(\.sentence) + [Phrasing.analogy(a, rng: &rng), "In other words, " + Phrasing.clause(t.simple[0]) + ".",
                                             t.technical[2], "As I said before, " + Phrasing.clause(t.facts[0].sentence) + ".",
                                             "So that is how it works, more or less."])
        case .slip:
            var parts = [t.simple[0]] + body + [t.misconception.claim] + facts(t, 1, rng: &rng)
            if rng.bernoulli(0.4) { parts.append(engagingQuestion(t, rng: &rng)) }
            return Phrasing.join([opener] + parts)
        case .terse:
            return rng.bernoulli(0.5) ? t.simple[0] : rng.pick(t.facts).sentence
        }
    }

    // MARK: fact

    static func fact(_ t: Topic, _ q: Demonstration.Quality, rng: inout RandomGenerator) -> String {
        let f = rng.pick(t.facts).sentence
        let lead = rng.pick(["Here is a fun fact: ", "Did you know this? ", "Here is one: ", ""])
        switch q {
        case .excellent:
            return Phrasing.join([lead + f, t.simple[0], Phrasing.analogy(rng.pick(t.analogies), rng: &rng), engagingQuestion(t, rng: &rng)])
        case .dry:
            return Phrasing.join([lead + f] + (rng.bernoulli(0.5) ? [t.simple[0]] : []) + facts(t, 1, rng: &rng))
        case .technical:
            return Phrasing.join([rng.pick(t.technical), rng.pick(t.technical)])
        case .long:
            return explain(t, .long, rng: &rng)
        case .slip:
            return Phrasing.join([lead + t.misconception.claim, t.simple[0]])
        case .terse:
            return f
        }
    }

    // MARK: compare

    static func compare(_ a: Topic, _ b: Topic, _ q: Demonstration.Quality, rng: inout RandomGenerator) -> String {
        let intro = "\(a.title) and \(b.name) are quite different."
        let question = rng.pick(["Which one would you like to see for yourself?", "Which of the two do you find more amazing?", "Which one would you like to learn more about?"])
        switch q {
        case .excellent:
            return Phrasing.join([intro, a.simple[0], a.facts[0].sentence, b.simple[0], b.facts[0].sentence,
                                  Phrasing.analogy(rng.pick(a.analogies), rng: &rng), question])
        case .dry:
            return Phrasing.join([a.simple[0], a.facts[0].sentence, b.simple[0], b.facts[0].sentence]
                + (rng.bernoulli(0.3) ? ["So they are not the same thing."] : []))
        case .technical:
            return Phrasing.join([a.technical[0], a.technical[1], b.technical[0], b.technical[1]])
        case .long:
            return Phrasing.join([intro] + a.simple + [a.technical[0]] + a.facts.map(\.sentence) + b.simple + [b.technical[0]]
                + b.facts.map(\.sentence) + [intro, "In other words, " + Phrasing.clause(a.simple[0]) + ".", a.simple[0], b.simple[0]])
        case .slip:
            return Phrasing.join([intro, a.simple[0], a.misconception.claim, b.simple[0], b.facts[0].sentence])
        case .terse:
            return "\(a.title) and \(b.name) are not the same thing."
        }
    }

    // MARK: story

    static func story(_ t: Topic, _ q: Demonstration.Quality, rng: inout RandomGenerator) -> String {
        let name = rng.pick(Phrasing.names)
        let elder = rng.pick(["grandma", "grandpa", "teacher", "big sister", "uncle"])
        let opening = ["Once upon a time, there was \(t.storyIdea).", "A curious child named \(name) loved to watch it every day."]
        // The question is said to be about the topic by name, as a writer keeps the thread:
        // what the elder answers then follows from the words just before it.
        let middle = ["One day, \(name) went to the \(elder) with a question about \(t.name).",
                      "\"\(t.simple[0])\" said the \(elder).", "\"\(rng.pick(t.facts).sentence)\""]
        let ending = ["\(name) smiled and whispered, \"Now I understand.\"", "From that day on, \(name) looked at \(t.name) in a new way.", "The end."]
        switch q {
        case .excellent:
            return Phrasing.join(opening + middle + ["\"" + Phrasing.analogy(rng.pick(t.analogies), rng: &rng) + "\""] + ending
                + ["What would you have asked if you were \(name)?"])
        case .dry:
            return Phrasing.join(opening + middle + ending)
        case .technical:
            return Phrasing.join(opening + ["\"" + t.technical[0] + "\" said the \(elder).", t.technical[1]] + ending)
        case .long:
            return Phrasing.join(opening + middle + t.simple + middle + [t.technical[0]] + t.facts.map(\.sentence) + ending
                + ["And \(name) thought about \(t.name) all night long.", "The end."])
        case .slip:
            return Phrasing.join(opening + [middle[0], "\"" + t.misconception.claim + "\" said the \(elder).", middle[1]] + ending)
        case .terse:
            return "Once upon a time, there was \(t.storyIdea). The end."
        }
    }

    // MARK: how-to

    static func howTo(_ t: Topic, _ q: Demonstration.Quality, rng: inout RandomGenerator) -> String {
        let steps = t.howTo?.steps ?? t.simple
        let words = ["First,", "Next,", "Then,", "After that,", "Finally,"]
        let told = zip(words, steps).map { "\($0) \(Phrasing.lowercasedStart($1))" }
        let why = rng.pick(t.facts).sentence
        switch q {
        case .excellent:
            return Phrasing.join(["Here is an easy way."] + told + ["This works because " + Phrasing.clause(why) + ".",
                                                                    Phrasing.analogy(rng.pick(t.analogies), rng: &rng), rng.pick(["Will you try it this weekend?", "What do you think you will see?"])])
        case .dry:
            return Phrasing.join(steps.enumerated().map { "\($0.offset + 1). \($0.element)" } + [why])
        case .technical:
            return Phrasing.join([t.technical[0]] + steps.prefix(3) + [t.technical[1]])
        case .long:
            return Phrasing.join(told + t.simple + [why] + told + ["That is all there is to it, more or less."])
        case .slip:
            return Phrasing.join(told + [t.misconception.claim])
        case .terse:
            return steps[0]
        }
    }

    // MARK: arithmetic

    /// Every kind starts by writing the problem out ("37 + 45 = 82."), as a teacher does: the
    /// result is then the next step of a line the model has read thousands of times in the
    /// corpus's drills, instead of a number produced straight after the question.
    static func arithmetic(_ p: ArithmeticProblem, _ q: Demonstration.Quality, rng: inout RandomGenerator) -> String {
        let c = p.answer
        let statement = "\(p.expression) = \(c)."
        switch q {
        case .excellent:
            // The question back ends on the result, so the answer's last number stays the
            // result, which is what a grader (and chapter 07's reward) reads.
            let challenge = p.operation == .plus ? "Can you find two other numbers that add up to \(c)?"
                : "Can you find two other numbers whose difference is \(c)?"
            return Phrasing.join([statement, method(p), challenge])
        case .dry:
            return rng.bernoulli(0.5) ? statement : statement + " The answer is \(c)."
        case .technical:
            return Phrasing.join([statement, p.operation == .plus
                ? "Using column addition, sum the units digits first and carry any overflow into the tens column."
                : "Using column subtraction, subtract the units digits first and borrow from the tens column when necessary."])
        case .long:
            return Phrasing.join([statement, method(p), "So the answer is \(c).", "Let me say it again to be sure.", method(p),
                                  "So the answer is \(c).", "I hope that helps with your numbers."])
        case .slip:
            // Off by one or by ten; never below 1, since a grader reads "-5" as 5.
            let offset = rng.pick([-10, -1, 1, 10])
            let wrong = c + offset > 0 ? c + offset : c - offset
            return "\(p.expression) = \(wrong)."
        case .terse:
            return statement
        }
    }

    /// The tens-then-ones way a teacher shows a child.
    static func method(_ p: ArithmeticProblem) -> String {
        let (lt, lo, rt, ro) = (p.left / 10 * 10, p.left % 10, p.right / 10 * 10, p.right % 10)
        switch p.operation {
        case .plus:
            return "Add the tens first: \(lt) + \(rt) = \(lt + rt). Then add the ones: \(lo) + \(ro) = \(lo + ro). Together that makes \(p.answer)."
        case .minus:
            return "Start at \(p.left) and take away the tens: \(p.left) - \(rt) = \(p.left - rt). Then take away the ones: \(p.left - rt) - \(ro) = \(p.answer)."
        }
    }
}
