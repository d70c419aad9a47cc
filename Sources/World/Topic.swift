/// One thing a child might ask about, with everything the world knows about it.
///
/// A topic carries the same knowledge in two registers, because the course is about the
/// difference between them: `technical` is how an encyclopedia or a textbook says it (the
/// pretrained model's voice), `simple` is how a good teacher says it to a 10-year-old (the
/// voice the gold judge rewards). The facts and the misconception are what the judge checks
/// for correctness, and the keywords are what it checks for staying on topic.
public struct Topic: Sendable, Hashable {
    /// The topic as it appears inside a sentence: "quantum computing", "volcanoes".
    public let name: String
    /// Whether `name` is grammatically plural ("volcanoes are", not "volcanoes is").
    public let isPlural: Bool
    /// The broad area the topic belongs to; compare prompts pair topics of one area.
    public let area: Area
    /// Lowercase words (or word beginnings) that show a text is about this topic. No two
    /// topics share a keyword, so the judge can tell when an answer drifts to another topic.
    public let keywords: [String]
    /// Sentences in jargon, as an encyclopedia would write them.
    public let technical: [String]
    /// Sentences a 10-year-old understands. The first one is a plain definition.
    public let simple: [String]
    /// At least two comparisons to everyday things.
    public let analogies: [Analogy]
    /// True statements, each with the keywords that show it was mentioned.
    public let facts: [Fact]
    /// The common wrong belief about the topic.
    public let misconception: Misconception
    /// A question that invites a child to look, try or wonder ("Can you find a magnet at home?").
    public let childQuestion: String
    /// What a short story about the topic is about ("a robot learning to feel").
    public let storyIdea: String
    /// How-to questions a child might ask about the topic, with the steps that answer them.
    public let howTo: HowTo?

    public init(
        name: String, isPlural: Bool = false, area: Area, keywords: [String],
        technical: [String], simple: [String], analogies: [Analogy], facts: [Fact],
        misconception: Misconception, childQuestion: String, storyIdea: String, howTo: HowTo? = nil
    ) {
        self.name = name
        self.isPlural = isPlural
        self.area = area
        self.keywords = keywords
        self.technical = technical
        self.simple = simple
        self.analogies = analogies
        self.facts = facts
        self.misconception = misconception
        self.childQuestion = childQuestion
        self.storyIdea = storyIdea
        self.howTo = howTo
    }

    /// "is" or "are", to agree with `name`.
    public var verb: String { isPlural ? "are" : "is" }

    /// The name with its first letter capitalised, for the start of a sentence or a title.
    public var title: String { name.prefix(1).uppercased() + name.dropFirst() }

    /// The broad areas of knowledge.
    public enum Area: String, Sendable, CaseIterable {
        case physics, earth, life, body, space, technology
    }
}

/// A comparison to something a child already knows: `thing` is like `likeness`.
///
/// Stored in two halves so that writers can phrase it several ways: "A qubit is like a
/// spinning coin", "Think of a qubit as a spinning coin", "Imagine a spinning coin".
public struct Analogy: Sendable, Hashable {
    /// What is being explained, as a noun phrase: "a qubit".
    public let thing: String
    /// What it is compared to, as a noun phrase: "a spinning coin that is heads and tails at once".
    public let likeness: String
    public init(_ thing: String, _ likeness: String) {
        self.thing = thing
        self.likeness = likeness
    }
}

/// A true statement about a topic and the words that show it was stated.
///
/// The judge counts the fact as mentioned when every keyword appears in a response (as the
/// start of a word, so "plant" also matches "plants").
public struct Fact: Sendable, Hashable {
    public let sentence: String
    public let keywords: [String]
    public init(_ sentence: String, _ keywords: [String]) {
        self.sentence = sentence
        self.keywords = keywords
    }
}

/// A wrong belief that many people hold about a topic.
///
/// `claim` states the belief as if it were true (this is what a slip in a demonstration
/// says). The judge finds it when one sentence holds every phrase in `triggers` and no
/// word that marks it as a belief being corrected ("not true", "myth", "people think").
public struct Misconception: Sendable, Hashable {
    public let claim: String
    public let triggers: [String]
    /// The true statement that corrects the belief.
    public let correction: String
    public init(claim: String, triggers: [String], correction: String) {
        self.claim = claim
        self.triggers = triggers
        self.correction = correction
    }
}

/// Questions of the form "How can I ...?" and the steps that answer them.
public struct HowTo: Sendable, Hashable {
    /// Several phrasings of the question; all ask the same thing.
    public let questions: [String]
    /// Short imperative steps, in order.
    public let steps: [String]
    public init(questions: [String], steps: [String]) {
        self.questions = questions
        self.steps = steps
    }
}
