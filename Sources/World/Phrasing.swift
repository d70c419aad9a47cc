import TensorCore

/// Small helpers that turn the catalogue's pieces into sentences, shared by the corpus and
/// the demonstration writers.
enum Phrasing {
    /// Words that keep their capital letter inside a sentence.
    static let properNouns: Set<String> = [
        "Earth", "Moon", "Sun", "Jupiter", "Mars", "Mercury", "Venus", "Saturn", "Uranus",
        "Neptune", "Pluto", "Solar", "Milky", "Celsius", "Archimedes", "Ohm's", "TCP", "REM",
        "ATP", "NADPH", "Calvin", "Enhanced", "Fujita", "Lorenzini", "Oort", "Kuiper", "Mesozoic",
    ]

    static func capitalized(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst()
    }

    /// The sentence with its first letter lowercased, unless it starts with a proper noun.
    static func lowercasedStart(_ s: String) -> String {
        let firstWord = s.prefix { $0 != " " && $0 != "," }
        if properNouns.contains(String(firstWord)) || firstWord == "I" { return s }
        guard let first = s.first else { return s }
        return first.lowercased() + s.dropFirst()
    }

    /// The sentence without its closing mark, to embed it in a longer one.
    static func clause(_ s: String) -> String {
        var t = s
        while let last = t.last, last == "." || last == "!" || last == "?" { t.removeLast() }
        return lowercasedStart(t)
    }

    /// Whether an analogy's `thing` is plural ("packets", "the poles of a magnet"), judged
    /// from its head words: a word before "of", "in", "going" and similar that ends in "s".
    static func isPlural(_ thing: String) -> Bool {
        let stops: Set<String> = ["of", "in", "at", "going", "getting", "next", "around", "bending",
                                  "spreading", "hitting", "pulling", "carrying", "fighting", "erupting",
                                  "forming", "pushing", "moving", "between", "putting", "full"]
        let irregular: Set<String> = ["teeth", "people", "children", "feet", "mice"]
        for word in thing.split(separator: " ").map(String.init) {
            if stops.contains(word) { break }
            if irregular.contains(word) { return true }
            if word.hasSuffix("'s") || word.hasSuffix("ss") || word.hasSuffix("is") || word.hasSuffix("us") { continue }
            if word.hasSuffix("s") && word.count > 2 { return true }
        }
        return false
    }

    /// The analogy as one or two sentences, in one of several phrasings. Every phrasing
    /// holds one of the judge's analogy markers ("is like", "think of", "imagine").
    static func analogy(_ a: Analogy, rng: inout RandomGenerator) -> String {
        let be = isPlural(a.thing) ? "are" : "is"
        switch rng.int(below: 5) {
        case 0: return "\(capitalized(a.thing)) \(be) like \(a.likeness)."
        case 1: return "Think of \(a.thing) as \(a.likeness)."
        case 2: return "Imagine \(a.likeness). \(capitalized(a.thing)) \(be) a bit like that."
        case 3: return "You can think of \(a.thing) as \(a.likeness)."
        default: return "\(capitalized(a.thing)) \(be) just like \(a.likeness)."
        }
    }

    /// The analogy in a textbook register, without the friendly markers.
    static func formalAnalogy(_ a: Analogy) -> String {
        "A useful comparison for \(a.thing) is \(a.likeness)."
    }

    /// Joins sentences with single spaces.
    static func join(_ sentences: [String]) -> String {
        sentences.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A few distinct elements in random order.
    static func sample<T>(_ items: [T], _ count: Int, rng: inout RandomGenerator) -> [T] {
        Array(rng.shuffled(items).prefix(count))
    }

    /// Names for the people in stories, drills and forum posts.
    static let names = ["Mia", "Leo", "Sam", "Ava", "Max", "Zoe", "Ben", "Lily", "Tom", "Ella",
                        "Noah", "Ruby", "Omar", "Nina", "Jack", "Isla", "Finn", "Maya", "Theo", "Rosa"]
}
