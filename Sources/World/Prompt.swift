/// An instruction a user gives the assistant.
public struct Prompt: Hashable, Sendable {
    /// The instruction as the user types it, e.g. "Explain quantum computing to a 10-year-old".
    public let text: String
    public let family: Family
    /// The topic the prompt asks about (nil for arithmetic).
    public let topic: String?
    /// The second topic of a compare prompt.
    public let otherTopic: String?
    /// The sum or difference an arithmetic prompt asks for.
    public let arithmetic: ArithmeticProblem?

    public init(text: String, family: Family, topic: String? = nil, otherTopic: String? = nil,
                arithmetic: ArithmeticProblem? = nil) {
        self.text = text
        self.family = family
        self.topic = topic
        self.otherTopic = otherTopic
        self.arithmetic = arithmetic
    }

    /// The exact answer of an arithmetic prompt.
    public var arithmeticAnswer: Int? { arithmetic?.answer }

    /// The names of every topic the prompt is about (one, or two for a comparison).
    public var topicNames: [String] { [topic, otherTopic].compactMap { $0 } }

    /// The kinds of instruction in the world.
    public enum Family: String, Sendable, CaseIterable {
        /// "Explain photosynthesis to a 10-year-old"
        case explain
        /// "What is gravity?"
        case define
        /// "Tell me a fun fact about bees."
        case fact
        /// "What is the difference between the sun and the moon?"
        case compare
        /// "What is 37 + 45?"
        case arithmetic
        /// "Write a short story about a robot learning to feel"
        case story
        /// "How can I see a rainbow at home?"
        case howTo
    }
}

/// A sum or a difference of two whole numbers under 100.
public struct ArithmeticProblem: Hashable, Sendable {
    public let left: Int
    public let right: Int
    public let operation: Operation

    public enum Operation: String, Sendable {
        case plus = "+"
        case minus = "-"
    }

    public init(_ left: Int, _ operation: Operation, _ right: Int) {
        self.left = left
        self.right = right
        self.operation = operation
    }

    /// The exact result.
    public var answer: Int { operation == .plus ? left + right : left - right }

    /// "37 + 45"
    public var expression: String { "\(left) \(operation.rawValue) \(right)" }

    /// The number `text` gives as the result: its last number, after the question said back
    /// is set aside. When the text writes both of the problem's numbers (`isRestated`), their
    /// first occurrences are the question, not an answer. "37 + 45 = 82." gives 82; "37 + 45"
    /// gives nil, even for "8 - 4", whose result is one of its numbers; "4" alone gives 4;
    /// "83. No wait, 82." gives 82, the answer the writer settled on, as graders of math
    /// benchmarks read the last number. The course's one rule for "right": the gold judge,
    /// the verifiable reward and every accuracy read the answer with it (`isAnsweredRight`).
    public func answerGiven(in text: String) -> Int? {
        let numbers = TextAnalysis.numbers(in: text)
        return (withoutOperands(numbers) ?? numbers).last
    }

    /// Whether the answer `text` gives (`answerGiven`) is the exact result.
    public func isAnsweredRight(in text: String) -> Bool {
        answerGiven(in: text) == answer
    }

    /// Whether `text` writes both numbers of the problem (each as many times as it occurs in
    /// the problem): the first step of answering "What is 37 + 45?" is to take 37 and 45
    /// from the question.
    public func isRestated(in text: String) -> Bool {
        withoutOperands(TextAnalysis.numbers(in: text)) != nil
    }

    /// `numbers` with the first occurrence of each of the problem's numbers taken out, or nil
    /// when one of them is missing.
    private func withoutOperands(_ numbers: [Int]) -> [Int]? {
        var rest = numbers
        for operand in [left, right] {
            guard let i = rest.firstIndex(of: operand) else { return nil }
            rest.remove(at: i)
        }
        return rest
    }
}

/// How prompts of each family are worded. Several phrasings per family, so that the
/// assistant learns the instruction rather than one sentence.
enum PromptTemplates {
    static func explain(_ t: Topic) -> [String] {
        [
            "Explain \(t.name) to a 10-year-old",
            "Explain \(t.name) to a child",
            "Can you explain \(t.name) to a kid?",
            "How would you explain \(t.name) to a 10-year-old?",
            "Explain \(t.name) in simple words",
            "Help a 10-year-old understand \(t.name)",
        ]
    }

    static func define(_ t: Topic) -> [String] {
        ["What \(t.verb) \(t.name)?", "Define \(t.name).", "What does \(t.name) mean?"]
    }

    static func fact(_ t: Topic) -> [String] {
        ["Tell me a fact about \(t.name).", "Give me a fun fact about \(t.name).", "What is one true thing about \(t.name)?"]
    }

    static func story(_ t: Topic) -> [String] {
        [
            "Write a short story about \(t.storyIdea)",
            "Tell me a short story about \(t.storyIdea)",
            "Write a bedtime story about \(t.storyIdea)",
        ]
    }

    static func compare(_ a: Topic, _ b: Topic) -> [String] {
        [
            "Compare \(a.name) and \(b.name).",
            "What is the difference between \(a.name) and \(b.name)?",
            "How are \(a.name) and \(b.name) different?",
        ]
    }

    static func arithmetic(_ p: ArithmeticProblem) -> [String] {
        switch p.operation {
        case .plus:
            return ["What is \(p.left) + \(p.right)?", "What is \(p.left) plus \(p.right)?", "Add \(p.left) and \(p.right)."]
        case .minus:
            return ["What is \(p.left) - \(p.right)?", "What is \(p.left) minus \(p.right)?", "Take \(p.right) away from \(p.left)."]
        }
    }
}
