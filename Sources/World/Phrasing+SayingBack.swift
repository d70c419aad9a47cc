import TensorCore

/// How an answer says back what it was asked, in the question's own words: "Let me explain
/// solar power.", "Here is how you can see a rainbow at home.", "Here is the difference
/// between comets and stars."
///
/// A teacher does it, and it is the first step of answering: the words that must come from
/// the question (its topic, its two topics, the story it asks for) are copied into the
/// answer's first sentence, and the rest of the answer follows from the words just before
/// it, which a model pretrained on single-topic documents does well. Copying a phrase from
/// the question is what the quizzes teach for numbers; the answers on the corpus's question
/// pages and forums teach it for topics, and the demonstrators begin their answers the same
/// way, so supervised fine-tuning builds on a skill pretraining formed.
extension Phrasing {
    /// The sentence that says back `question`, about `topics` (one, or two for a comparison).
    static func saidBack(_ question: String, topics: [Topic], rng: inout RandomGenerator) -> String {
        let name = topics[0].name
        if topics.count == 2 {
            let other = topics[1].name
            if question.contains("difference between") { return "Here is the difference between \(name) and \(other)." }
            if question.hasPrefix("How are") { return "Here is how \(name) and \(other) are different." }
            return "Let us compare \(name) and \(other)."
        }
        if question.contains("story about") {
            return "Here is a \(question.contains("bedtime") ? "bedtime" : "short") story about \(topics[0].storyIdea)."
        }
        if let howTo = howToSaidBack(question) { return howTo }
        if ["fact", "true thing", "interesting"].contains(where: question.contains) { return "You asked about \(name)." }
        return rng.pick(["Let me explain \(name).", "Here is how I would explain \(name).", "I can explain \(name).",
                         "Here is the short answer about \(name)."])
    }

    /// "How can I see a rainbow at home?" said back as "Here is how you can see a rainbow at
    /// home."; nil for a question in another form.
    static func howToSaidBack(_ question: String) -> String? {
        let asked = question.hasSuffix("?") ? String(question.dropLast()) : question
        let rest: String
        if asked.hasPrefix("How can I ") {
            rest = "Here is how you can " + asked.dropFirst("How can I ".count)
        } else if asked.hasPrefix("How can my ") {
            let words = asked.dropFirst("How can my ".count).split(separator: " ", maxSplits: 1)
            guard words.count == 2 else { return nil }
            rest = "Here is how your \(words[0]) can \(words[1])"
        } else {
            return nil
        }
        return rest.replacingOccurrences(of: " my ", with: " your ") + "."
    }
}
