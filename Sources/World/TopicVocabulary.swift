/// Which topic a text talks about, read off what the world knows of each topic.
///
/// A person sees at once that "Water pushes up on things in it" is about floating, though
/// no word of it is "float". A list of a few keywords per topic misses such answers, so the
/// judge weighs every word and every pair of adjacent words that the knowledge base uses for
/// a topic and for few others: one used in one topic's texts (its explanations, analogies,
/// facts, steps, story idea) counts 1 for that topic, one shared by two topics 1/2 for each,
/// and one used by three topics or more ("the", "light", "of the") counts for none. A
/// topic's keywords count 1 each. The score of a topic is the sum over the distinct words
/// and word pairs of the text.
public enum TopicVocabulary {
    /// For each distinctive word, the topics (by index in `Knowledge.topics`) that use it.
    static let owners: [String: [Int]] = build()

    /// The most topics a word may belong to and still say which topic a text is about.
    static let maximumOwners = 2

    static func build() -> [String: [Int]] {
        var users: [String: Set<Int>] = [:]
        for (index, topic) in Knowledge.topics.enumerated() {
            var texts = [topic.name, topic.storyIdea, topic.childQuestion, topic.misconception.claim,
                         topic.misconception.correction] + topic.technical + topic.simple + topic.facts.map(\.sentence)
            texts += topic.analogies.flatMap { [$0.thing, $0.likeness] }
            texts += topic.howTo.map { $0.questions + $0.steps } ?? []
            for text in texts {
                for unit in units(TextAnalysis.words(text)) { users[unit, default: []].insert(index) }
            }
        }
        return users.filter { $0.value.count <= maximumOwners }.mapValues { $0.sorted() }
    }

    /// A word with a plural ending taken off ("volcanoes" -> "volcano", "bees" -> "bee",
    /// "stories" -> "story"), so that both forms count as one word.
    static func singular(_ word: String) -> String {
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("oes") || word.hasSuffix("ches") || word.hasSuffix("shes") || word.hasSuffix("sses") {
            return String(word.dropLast(2))
        }
        if word.hasSuffix("s"), !word.hasSuffix("ss"), word.count > 3 { return String(word.dropLast()) }
        return word
    }

    /// The words longer than two letters (made singular) and every pair of adjacent words.
    static func units(_ words: [String]) -> [String] {
        let base = words.map(singular)
        var result = base.filter { $0.count > 2 }
        if base.count >= 2 { for i in 1..<base.count { result.append(base[i - 1] + " " + base[i]) } }
        return result
    }

    /// How strongly the words talk about each topic, in `Knowledge.topics` order.
    public static func scores(_ words: TextAnalysis.WordIndex) -> [Double] {
        var result = Knowledge.topics.map { topic in
            Double(topic.keywords.filter { words.contains($0) }.count)
        }
        for unit in Set(units(words.words)) {
            guard let topics = owners[unit] else { continue }
            for t in topics where !Knowledge.topics[t].keywords.contains(unit) {
                result[t] += 1 / Double(topics.count)
            }
        }
        return result
    }
}
