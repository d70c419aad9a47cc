// world-tour: prints samples of every part of the synthetic world, so that a learner (or
// the author) can read the world with their own eyes.
//
//     swift run world-tour [seed]
import Foundation
import TensorCore
import World

let arguments = CommandLine.arguments.dropFirst()
var seed: UInt64 = 42
if let first = arguments.first {
    guard let parsed = UInt64(first) else {
        FileHandle.standardError.write("world-tour: the seed must be a whole number, got '\(first)'\n".data(using: .utf8)!)
        exit(2)
    }
    seed = parsed
}

func section(_ title: String) {
    print("\n" + String(repeating: "=", count: 78))
    print(title)
    print(String(repeating: "=", count: 78))
}

func indent(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
}

func format(_ x: Double) -> String { String(format: "%.2f", x) }

func quartiles(_ xs: [Double]) -> (mean: Double, q1: Double, median: Double, q3: Double) {
    let s = xs.sorted()
    func q(_ p: Double) -> Double {
        let pos = p * Double(s.count - 1)
        let i = Int(pos), f = pos - Double(i)
        return i + 1 < s.count ? s[i] * (1 - f) + s[i + 1] * f : s[i]
    }
    return (xs.reduce(0, +) / Double(xs.count), q(0.25), q(0.5), q(0.75))
}

let started = Date()
let world = SyntheticWorld(seed: seed)
let judge = GoldJudge()
let buildTime = Date().timeIntervalSince(started)
print("The synthetic world, seed \(seed): \(world.topics.count) topics, built in \(format(buildTime)) s")

// MARK: a topic card
section("A topic card")
let card = Knowledge.topic(named: "quantum computing")!
print("name:          \(card.name) (\(card.area.rawValue))")
print("keywords:      \(card.keywords.joined(separator: ", "))")
print("technical:     \(card.technical.joined(separator: " "))")
print("simple:        \(card.simple.joined(separator: " "))")
for a in card.analogies { print("analogy:       \(a.thing) ~ \(a.likeness)") }
for f in card.facts { print("fact:          \(f.sentence)   [keywords: \(f.keywords.joined(separator: ", "))]") }
print("misconception: \(card.misconception.claim)   [correction: \(card.misconception.correction)]")
print("question:      \(card.childQuestion)")
print("story idea:    \(card.storyIdea)")

// MARK: corpus
section("The pretraining corpus")
let corpusStart = Date()
let corpus = world.corpusDocuments()
let corpusTime = Date().timeIntervalSince(corpusStart)
let trainBytes = corpus.train.reduce(0) { $0 + $1.text.utf8.count }
let validBytes = corpus.validation.reduce(0) { $0 + $1.text.utf8.count }
let trainWords = corpus.train.reduce(0) { $0 + $1.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count }
print("train: \(corpus.train.count) documents, \(trainBytes) bytes, about \(trainWords) words")
print("validation: \(corpus.validation.count) documents, \(validBytes) bytes")
print("generated in \(format(corpusTime)) s")
for genre in CorpusGenre.allCases {
    let docs = corpus.train.filter { $0.genre == genre }
    let bytes = docs.reduce(0) { $0 + $1.text.utf8.count }
    print("  \(genre.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(docs.count) documents, \(bytes) bytes")
}
for genre in CorpusGenre.allCases {
    print("\n--- \(genre.rawValue) ---")
    print(indent(corpus.train.first { $0.genre == genre }!.text))
}

// MARK: prompts
section("Prompts")
print("train: \(world.trainPrompts.count), held out: \(world.heldOutPrompts.count)")
for family in Prompt.Family.allCases {
    let n = world.trainPrompts.filter { $0.family == family }.count
    let h = world.heldOutPrompts.filter { $0.family == family }.count
    let example = world.trainPrompts.first { $0.family == family }?.text ?? "-"
    print("  \(family.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) train \(n), held out \(h), e.g. \"\(example)\"")
}
print("held-out topics: \(Knowledge.heldOutTopicNames.joined(separator: ", "))")
print("evaluation prompts:")
for p in world.evaluationPrompts { print("  \(p.text)") }

// MARK: demonstrations
section("Demonstrations")
print("train: \(world.demonstrations.count), held out: \(world.heldOutDemonstrations.count)")
let demoScores = world.demonstrations.map { judge.score($0.prompt, response: $0.response).total }
let all = quartiles(demoScores)
print("gold score, all: mean \(format(all.mean)), quartiles \(format(all.q1)) / \(format(all.median)) / \(format(all.q3))")
for quality in Demonstration.Quality.allCases {
    let scores = zip(world.demonstrations, demoScores).filter { $0.0.quality == quality }.map(\.1)
    guard !scores.isEmpty else { continue }
    let s = quartiles(scores)
    let words = world.demonstrations.filter { $0.quality == quality }.map { TextAnalysis.words($0.response).count }
    print("  \(quality.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) n=\(scores.count)  mean \(format(s.mean))  quartiles \(format(s.q1)) / \(format(s.median)) / \(format(s.q3))  mean words \(words.reduce(0, +) / words.count)")
}
for quality in Demonstration.Quality.allCases {
    guard let demo = world.demonstrations.first(where: { $0.quality == quality && $0.prompt.family == .explain }) else { continue }
    let score = judge.score(demo.prompt, response: demo.response)
    print("\n--- \(quality.rawValue): gold \(format(score.total)) ---")
    print(indent(demo.chatText))
    print("    " + score.breakdown.map { "\($0.criterion) \(format($0.value))" }.joined(separator: ", "))
}
for family in [Prompt.Family.arithmetic, .story, .howTo, .compare] {
    guard let demo = world.demonstrations.first(where: { $0.prompt.family == family && $0.quality == .excellent }) else { continue }
    print("\n--- \(family.rawValue), excellent: gold \(format(judge.score(demo.prompt, response: demo.response).total)) ---")
    print(indent(demo.chatText))
}

// MARK: annotators
section("Annotators")
let prompt = world.evaluationPrompts[0]
let topic = Knowledge.topic(named: "quantum computing")!
var rng = RandomGenerator(seed: seed).derived("tour annotators")
let responseA = topic.technical.prefix(2).joined(separator: " ")
let responseB = [topic.simple[0], topic.simple[2], "Think of a qubit as a spinning coin that is a bit heads and a bit tails until it lands.", topic.childQuestion].joined(separator: " ")
let goldA = judge.score(prompt, response: responseA).total, goldB = judge.score(prompt, response: responseB).total
print("Prompt: \(prompt.text)")
print("A (gold \(format(goldA))): \(responseA)")
print("B (gold \(format(goldB))): \(responseB)")
for annotator in Annotator.panel {
    let labels = (0..<3).map { _ in annotator.compare(prompt: prompt, a: responseA, b: responseB, rng: &rng).text }
    let p = annotator.probabilityAPreferred(goldA: goldA, goldB: goldB, wordsA: TextAnalysis.words(responseA).count, wordsB: TextAnalysis.words(responseB).count)
    print("  \(annotator.name) (T=\(format(annotator.temperature))): P(A) = \(format(p)); three draws: \(labels.joined(separator: " | "))")
}

// Agreement on pairs of demonstrations for the same prompt.
var byPrompt: [String: [Demonstration]] = [:]
for d in world.demonstrations { byPrompt[d.prompt.text, default: []].append(d) }
var items: [[PreferenceLabel]] = []
for key in byPrompt.keys.sorted() {
    let demos = byPrompt[key]!
    guard demos.count >= 2 else { continue }
    let a = demos[0], b = demos[1]
    items.append(Annotator.panel.map { $0.compare(prompt: a.prompt, a: a.response, b: b.response, rng: &rng) })
}
let strict = agreement(items) ?? 0, ignored = agreement(items, ties: .ignored) ?? 0
print("agreement on \(items.count) pairs of demonstrations for the same prompt: \(format(100 * strict))% (ties must match), \(format(100 * ignored))% (ties left out)")
