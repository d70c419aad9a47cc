import TensorCore

/// Every word the world writes: what the gold judge and the evaluation count as a real word.
///
/// A small language model sampled at temperature 1 spells words from subword pieces that
/// never met in its corpus ("thunderstigmunons"). Such a made-up word carries no meaning for
/// a reader, so the judge charges for it. A word is real when the world writes it somewhere:
/// in a topic's knowledge, in the simple vocabulary (with its endings), or in the text its
/// writers produce around them (the corpus genres, the demonstrations, the prompts). Numbers
/// written with digits are always real.
///
/// The writers' frames ("Posted by", "Once upon a time", "Add the tens first") are code,
/// not data, so the lexicon reads them off text the writers produce: a corpus sample and
/// the demonstrations of a fixed seed. Every branch of every writer fires many times in
/// that sample; a test checks that the corpus and demonstrations of other seeds hold no
/// word outside the lexicon.
public enum Lexicon {
    /// The words, lowercase, as `TextAnalysis.words` cuts them.
    public static let words: Set<String> = build()

    /// Whether a word (as `TextAnalysis.words` gives it) is one the world writes.
    /// A forum user name ("mia42"), a known word followed by digits, is a real word too.
    public static func isWord(_ word: String) -> Bool {
        if words.contains(word) || SimpleVocabulary.isSimple(word) { return true }
        let letters = word.prefix { !($0 >= "0" && $0 <= "9") }
        guard word.dropFirst(letters.count).allSatisfy({ $0 >= "0" && $0 <= "9" }) else { return false }
        return letters.isEmpty || (letters.count < word.count && words.contains(String(letters)))
    }

    /// How many of `words` the world never writes.
    public static func madeUpCount(_ words: [String]) -> Int {
        words.reduce(0) { $0 + (isWord($1) ? 0 : 1) }
    }

    /// The share of `words` the world never writes (0 for no words).
    public static func madeUpShare(_ words: [String]) -> Double {
        words.isEmpty ? 0 : Double(madeUpCount(words)) / Double(words.count)
    }

    /// The size of the writers' sample the lexicon reads (UTF-8 bytes of corpus text).
    static let sampleBytes = 600_000
    /// The seed of that sample; any seed gives the same lexicon (see the tests).
    static let sampleSeed: UInt64 = 1_000_003

    static func build() -> Set<String> {
        var result = Set<String>()
        func add(_ text: String) { for w in TextAnalysis.words(text) { result.insert(w) } }
        for topic in Knowledge.topics {
            ([topic.name, topic.title, topic.childQuestion, topic.storyIdea, topic.misconception.claim,
              topic.misconception.correction] + topic.keywords + topic.technical + topic.simple
                + topic.facts.map(\.sentence) + topic.analogies.flatMap { [$0.thing, $0.likeness] }
                + (topic.howTo.map { $0.questions + $0.steps } ?? [])).forEach(add)
        }
        var rng = RandomGenerator(seed: sampleSeed).derived("lexicon sample")
        for document in CorpusWriter.documents(targetBytes: sampleBytes, rng: &rng) { add(document.text) }
        let world = SyntheticWorld(seed: sampleSeed)
        for demonstration in world.demonstrations + world.heldOutDemonstrations {
            add(demonstration.prompt.text)
            add(demonstration.response)
        }
        for prompt in world.heldOutPrompts { add(prompt.text) }
        add("User Assistant")  // the chat format's own words
        return result
    }
}
