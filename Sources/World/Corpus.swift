import TensorCore

/// The pretraining corpus: documents of seven genres that teach the world's facts in both
/// registers, the textbook's and the children's book's, and never show a chat.
///
/// A model pretrained on it learns what rainbows and qubits are, and how a children's
/// book talks, but not that "User: ..." is followed by a helpful answer: the corpus holds
/// no "User:" or "Assistant:" at all. Forum threads use "Question:" and "Answer:" and are
/// written for grown-ups, so the pretrained model continues an instruction the way an
/// encyclopedia would. Their questions come in many phrasings, some from parents, as on
/// real forums: that variety is what lets a model tie a question to the topic it names,
/// which SFT then builds on.
///
/// Every genre but one keeps to a single topic, so a model can guess the topic of any
/// sentence from the words just before it, its own included, and never needs to read a
/// question. Question pages are the exception: each question is about another topic, so the
/// answer's topic can be read only from the question above it, and each answer begins by
/// saying the question back in its own words ("Let me explain tides."). They, forum replies
/// that do the same half the time, and the arithmetic quizzes, whose answers restate the
/// numbers of their questions, are the corpus's lessons in looking back, the skill a model
/// needs to answer what it is asked. Stories carry a title that names the story, which the
/// first line says again.
public enum CorpusGenre: String, Sendable, CaseIterable {
    case encyclopedia, textbook, childrensBook, forum, questionPage, story, arithmeticDrill

    /// The share of documents of this genre.
    var weight: Double {
        switch self {
        case .encyclopedia: return 0.12
        case .textbook: return 0.09
        case .childrensBook: return 0.13
        case .forum: return 0.13
        case .questionPage: return 0.18
        case .story: return 0.10
        case .arithmeticDrill: return 0.25
        }
    }
}

/// One document of the corpus.
public struct CorpusDocument: Sendable, Hashable {
    public let genre: CorpusGenre
    public let text: String
}

/// Writes corpus documents.
enum CorpusWriter {
    /// Documents until their total UTF-8 size reaches `targetBytes`.
    static func documents(targetBytes: Int, rng: inout RandomGenerator) -> [CorpusDocument] {
        var docs: [CorpusDocument] = []
        var bytes = 0
        let weights = CorpusGenre.allCases.map(\.weight)
        while bytes < targetBytes {
            let genre = CorpusGenre.allCases[rng.categorical(weights)]
            let text = document(genre, rng: &rng)
            bytes += text.utf8.count
            docs.append(CorpusDocument(genre: genre, text: text))
        }
        return docs
    }

    static func document(_ genre: CorpusGenre, rng: inout RandomGenerator) -> String {
        let topic = rng.pick(Knowledge.topics)
        switch genre {
        case .encyclopedia: return encyclopedia(topic, rng: &rng)
        case .textbook: return textbook(topic, rng: &rng)
        case .childrensBook: return childrensBook(topic, rng: &rng)
        case .forum: return forum(topic, rng: &rng)
        case .questionPage: return questionPage(rng: &rng)
        case .story: return story(topic, rng: &rng)
        case .arithmeticDrill: return arithmeticDrill(rng: &rng)
        }
    }

    /// A fact, phrased one of several ways.
    static func factSentence(_ f: Fact, rng: inout RandomGenerator) -> String {
        switch rng.int(below: 6) {
        case 0: return "It is known that " + Phrasing.lowercasedStart(f.sentence)
        case 1: return "Scientists have found that " + Phrasing.lowercasedStart(f.sentence)
        case 2: return "Note that " + Phrasing.lowercasedStart(f.sentence)
        default: return f.sentence
        }
    }

    static func misconceptionNote(_ t: Topic, rng: inout RandomGenerator) -> String {
        let claim = Phrasing.clause(t.misconception.claim)
        switch rng.int(below: 4) {
        case 0: return "A common misconception is that \(claim). In fact, \(Phrasing.lowercasedStart(t.misconception.correction))"
        case 1: return "Many people believe that \(claim). This is not true. \(t.misconception.correction)"
        case 2: return "It is a myth that \(claim). \(t.misconception.correction)"
        default: return t.misconception.correction
        }
    }

    static func otherTopic(_ t: Topic, rng: inout RandomGenerator) -> Topic {
        let same = Knowledge.topics.filter { $0.area == t.area && $0.name != t.name }
        return rng.pick(same)
    }

    // MARK: genres

    static func encyclopedia(_ t: Topic, rng: inout RandomGenerator) -> String {
        let header = rng.pick([t.title, "\(t.title) (\(t.area.rawValue))", "Entry: \(t.title)", "\(t.title)\nFrom the science encyclopedia"])
        var body = Array(t.technical.prefix(rng.int(in: 2...t.technical.count)))
        if rng.bernoulli(0.5) { body.insert(t.simple[0], at: 1) }
        var facts: [String] = []
        for f in Phrasing.sample(t.facts, rng.int(in: 1...3), rng: &rng) { facts.append(factSentence(f, rng: &rng)) }
        var sections = [header, Phrasing.join(body), Phrasing.join(facts)]
        if rng.bernoulli(0.6) { sections.append(misconceptionNote(t, rng: &rng)) }
        if rng.bernoulli(0.5) { sections.append("See also: \(otherTopic(t, rng: &rng).name).") }
        return sections.joined(separator: "\n\n")
    }

    static func textbook(_ t: Topic, rng: inout RandomGenerator) -> String {
        let chapter = rng.int(in: 1...12)
        let header = rng.pick(["Chapter \(chapter): \(t.title)", "Lesson \(chapter). \(t.title)", "Unit \(chapter) - \(t.title)"])
        let intro = rng.pick(["In this lesson we study \(t.name).", "This section is about \(t.name).", "Let us look at \(t.name)."])
        var parts = [intro] + Phrasing.sample(t.technical, 2, rng: &rng) + Array(t.simple.dropFirst().prefix(2))
        parts.append(Phrasing.formalAnalogy(rng.pick(t.analogies)))
        let facts = t.facts.map(\.sentence)
        var sections = [header, Phrasing.join(parts)]
        switch rng.int(below: 3) {
        case 0: sections.append("Key facts:\n" + facts.map { "- " + $0 }.joined(separator: "\n"))
        case 1: sections.append("Key words: " + t.keywords.joined(separator: ", ") + ".")
        default: sections.append(Phrasing.join(facts))
        }
        if rng.bernoulli(0.5) { sections.append(misconceptionNote(t, rng: &rng)) }
        if rng.bernoulli(0.5) {
            sections.append("Review\n1. What \(t.verb) \(t.name)?\n2. \(Phrasing.capitalized(Phrasing.clause(rng.pick(t.facts).sentence))). True or false?")
        }
        return sections.joined(separator: "\n\n")
    }

    static func childrensBook(_ t: Topic, rng: inout RandomGenerator) -> String {
        let page = rng.int(in: 2...40)
        let header = rng.pick(["Page \(page)", "My Big Book of Science, page \(page)", "\(t.title) for Little Explorers"])
        var parts = Array(t.simple.prefix(rng.int(in: 3...t.simple.count)))
        for a in Phrasing.sample(t.analogies, rng.int(in: 1...2), rng: &rng) {
            parts.insert(Phrasing.analogy(a, rng: &rng), at: rng.int(in: 1...parts.count))
        }
        parts.append(rng.pick(t.facts).sentence)
        if rng.bernoulli(0.5) { parts.append(t.misconception.correction) }
        if rng.bernoulli(0.6) { parts.append(t.childQuestion) }
        return header + "\n\n" + Phrasing.join(parts)
    }

    static func forum(_ t: Topic, rng: inout RandomGenerator) -> String {
        let asker = rng.pick(Phrasing.names).lowercased() + String(rng.int(in: 1...99))
        let question = readerQuestion(t, rng: &rng)
        var answers: [String] = []
        // Replies often open with a pleasantry before they get to the point, so the topic
        // has to be carried over from the question, not from the sentence before.
        let pleasantry = rng.bernoulli(0.35) ? [rng.pick(["Good question.", "Sure.", "Great question!", "Let me explain.", "Here is the short version.", "Happy to help."])] : []
        // Half the replies say the topic back first, in the question's words.
        let lead = rng.bernoulli(0.5) ? [Phrasing.saidBack(question, topics: [t], rng: &rng)] : []
        let first = Phrasing.join(pleasantry + lead + Phrasing.sample(t.technical, 2, rng: &rng) + [rng.pick(t.facts).sentence])
        answers.append(first)
        if question.hasPrefix("Is it true") { answers.insert("No. " + t.misconception.correction, at: 0) }
        if let h = t.howTo, h.questions.contains(question) {
            answers.insert(h.steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n"), at: 0)
        }
        if rng.bernoulli(0.5) { answers.append(Phrasing.join([t.simple[0], Phrasing.formalAnalogy(rng.pick(t.analogies))])) }
        var text = "Question: \(question)\nPosted by \(asker)"
        for a in answers {
            text += "\n\nAnswer: " + a
            if rng.bernoulli(0.3) { text += "\n" + rng.pick(["Thanks, that helps.", "Great explanation.", "This is correct."]) }
        }
        return text
    }

    /// A question a grown-up reader asks about a topic, in one of many phrasings.
    static func readerQuestion(_ t: Topic, rng: inout RandomGenerator) -> String {
        if let h = t.howTo, rng.bernoulli(0.4) { return rng.pick(h.questions) }
        return rng.pick([
            "What exactly \(t.verb) \(t.name)? I keep reading about it.",
            "Can someone tell me how \(t.name) \(t.isPlural ? "work" : "works")?",
            "Is it true that \(Phrasing.clause(t.misconception.claim))?",
            "I have a question about \(t.name). What is the science behind it?",
            "My daughter asked me about \(t.name) and I did not know what to say. Help?",
            "How do you explain \(t.name) to a kid? Asking for my son.",
            "Could anyone explain \(t.name) in plain words?",
            "Tell me something interesting about \(t.name).",
            "What does \(t.name) actually mean?",
            "Any good facts about \(t.name) for a school project?",
            "Why \(t.verb) \(t.name) important?",
            "What should I know about \(t.name)?",
            "Where can I learn the basics of \(t.name)?",
        ])
    }

    /// A page of readers' questions, each about another topic, each answered in a few
    /// sentences for grown-ups. Nothing on the page but the question says what the next
    /// answer is about, so predicting the answer teaches a model to read the question; the
    /// answers keep the encyclopedia's register, so the pretrained model still does not talk
    /// to a child. Every answer but a myth's refutation begins by saying the question back
    /// (`Phrasing.saidBack`); a fifth of the questions ask how two topics of one area differ,
    /// so the answer must name both. Some pages slip in a sum, answered by restating its
    /// numbers.
    static func questionPage(rng: inout RandomGenerator) -> String {
        let header = rng.pick(["Readers ask", "Your questions answered", "Ask the science desk",
                               "Questions from our readers", "Frequently asked questions", "Mailbag"])
        let (q, a) = rng.bernoulli(0.5) ? ("Q: ", "A: ") : ("Question: ", "Answer: ")
        var entries: [String] = []
        for t in Phrasing.sample(Knowledge.topics, rng.int(in: 3...6), rng: &rng) {
            if rng.bernoulli(0.2) {
                let o = otherTopic(t, rng: &rng)
                let question = rng.pick(PromptTemplates.compare(t, o))
                let answer = [Phrasing.saidBack(question, topics: [t, o], rng: &rng), t.technical[0], rng.pick(t.facts).sentence,
                              o.technical[0], rng.pick(o.facts).sentence]
                entries.append(q + question + "\n" + a + Phrasing.join(answer))
                continue
            }
            let question = readerQuestion(t, rng: &rng)
            var answer = question.hasPrefix("Is it true") ? ["No. " + t.misconception.correction]
                : [Phrasing.saidBack(question, topics: [t], rng: &rng)]
            if let h = t.howTo, h.questions.contains(question) {
                answer += h.steps.prefix(3)
            } else {
                answer += [t.technical[0]] + Phrasing.sample(Array(t.technical.dropFirst()), rng.int(in: 0...1), rng: &rng)
            }
            answer.append(rng.pick(t.facts).sentence)
            entries.append(q + question + "\n" + a + Phrasing.join(answer))
        }
        if rng.bernoulli(0.3) {
            let x = rng.int(in: 1...99), y = rng.int(in: 1...99)
            let p = rng.bernoulli(0.5) ? ArithmeticProblem(x, .plus, y) : ArithmeticProblem(max(x, y), .minus, min(x, y))
            entries.insert(q + rng.pick(PromptTemplates.arithmetic(p)) + "\n" + a + "\(p.expression) = \(p.answer).",
                           at: rng.int(in: 0...entries.count))
        }
        return header + "\n\n" + entries.joined(separator: "\n\n")
    }

    static func story(_ t: Topic, rng: inout RandomGenerator) -> String {
        let name = rng.pick(Phrasing.names)
        let elder = rng.pick(["grandma", "grandpa", "teacher", "mother", "father", "neighbour"])
        let place = rng.pick(["a small town by the sea", "a village near the hills", "a busy city", "a farm at the edge of a forest"])
        let title = rng.pick(["A short story about \(t.storyIdea)", "A bedtime story about \(t.storyIdea)", ""])
        var parts = [
            rng.pick(["Once upon a time, there was \(t.storyIdea).", "This is a story about \(t.storyIdea).", "Long ago, in \(place), there was \(t.storyIdea)."]),
            "\(name) lived in \(place) and loved to ask questions.",
            "One day, \(name) wondered about \(t.name).",
            "\"\(t.simple[0])\" said the \(elder).",
        ]
        parts += Phrasing.sample(Array(t.simple.dropFirst()), 2, rng: &rng)
        parts.append("\"" + Phrasing.analogy(rng.pick(t.analogies), rng: &rng) + "\"")
        parts.append(rng.pick(t.facts).sentence)
        parts.append(rng.pick(["\(name) smiled. The world felt bigger than before.", "That night, \(name) dreamed about \(t.name).", "\(name) ran off to tell a friend."]))
        parts.append("The end.")
        return title.isEmpty ? Phrasing.join(parts) : title + "\n\n" + Phrasing.join(parts)
    }

    static func arithmeticDrill(rng: inout RandomGenerator) -> String {
        func problem(upTo largest: Int = 99) -> ArithmeticProblem {
            let a = rng.int(in: 1...largest), b = rng.int(in: 1...largest)
            return rng.bernoulli(0.5) ? ArithmeticProblem(a, .plus, b) : ArithmeticProblem(max(a, b), .minus, min(a, b))
        }
        switch rng.int(below: 7) {
        case 3, 4, 5, 6:
            // A quiz (four drills in seven): each answer repeats the numbers of its question,
            // so a reader (and a model) learns to take the numbers from the question. A third
            // of the problems use numbers up to 9, a third up to 20: the number facts a child
            // learns by heart come up often enough to be learned by heart.
            let lines = (0..<rng.int(in: 4...8)).map { _ -> String in
                let p = problem(upTo: rng.pick([9, 20, 99]))
                return "Q: \(rng.pick(PromptTemplates.arithmetic(p)))\nA: \(p.expression) = \(p.answer)."
            }
            return rng.pick(["Quiz", "Number quiz", "Questions and answers"]) + "\n\n" + lines.joined(separator: "\n\n")
        case 0:
            let lines = (0..<rng.int(in: 8...16)).map { _ -> String in let p = problem(); return "\(p.expression) = \(p.answer)" }
            return rng.pick(["Practice sheet", "Addition and subtraction drill", "Math warm-up"]) + "\n\n" + lines.joined(separator: "\n")
        case 1:
            var parts: [String] = []
            for _ in 0..<rng.int(in: 2...4) {
                let p = problem()
                let who = rng.pick(Phrasing.names)
                let thing = rng.pick(["shells", "apples", "stickers", "marbles", "books", "stamps"])
                if p.operation == .plus {
                    parts.append("\(who) has \(p.left) \(thing) and finds \(p.right) more. Now \(who) has \(p.answer) \(thing).")
                } else {
                    parts.append("\(who) has \(p.left) \(thing) and gives away \(p.right). Now \(who) has \(p.answer) \(thing) left.")
                }
            }
            return "Word problems\n\n" + parts.joined(separator: "\n")
        default:
            let p = problem()
            return "Worked example\n\n\(p.expression) = \(p.answer). " + ResponseWriter.method(p)
        }
    }
}
