import LanguageModel
import RLHF
import TensorCore
import World

/// How much a model reads the question: the loss of held-out answers given their own
/// question, against the same answers given a question about something else.
///
/// An answer's tokens mostly follow from the answer's own first words ("A rainbow is ..."
/// predicts "... light ... colors"), so a model can reach a low loss on answers without
/// ever reading the question. The few tokens that must come from the question (its topic,
/// its numbers) are where a model that does not read it fails, and this probe measures
/// exactly them: the same answer, scored after its own question and after another one,
/// differs only by what the question says. A model that ignores the question scores both
/// alike (worth 0 nats); one that reads it finds the answer far less likely after the wrong
/// question. The numbers are nats per answer, summed over the answer's tokens.
public struct QuestionWorth: Sendable {
    /// Mean loss of an answer after its own question, and after another question (nats per answer).
    public let ownQuestion: Double
    public let otherQuestion: Double
    /// The standard error of the mean difference, answer by answer.
    public let standardError: Double
    public let answers: Int

    /// What the question is worth: how much less likely the answer is after the wrong question.
    public var worth: Double { otherQuestion - ownQuestion }

    /// One answer with its own question and another one, as token ids.
    public struct Item {
        public let own: [Int]
        public let other: [Int]
        public let answer: [Int]
    }

    /// Held-out demonstrations, each with the question of another demonstration of the same
    /// kind (arithmetic with arithmetic, open-ended with open-ended, about other topics),
    /// written by `format` (question text to prompt tokens) and `answerTokens`.
    /// Returns the open-ended items and the arithmetic ones.
    public static func items(_ demonstrations: [Demonstration], format: (String) -> [Int],
                             answerTokens: (String) -> [Int]) -> (open: [Item], arithmetic: [Item]) {
        func pair(_ demos: [Demonstration]) -> [Item] {
            guard demos.count >= 2 else { return [] }
            return demos.indices.compactMap { i in
                let asked = Set(demos[i].prompt.topicNames)
                // The first demonstration half the list away whose topics differ.
                let candidates = (0..<demos.count).map { (i + demos.count / 2 + $0) % demos.count }
                guard let j = candidates.first(where: { j in
                    guard j != i else { return false }
                    if let mine = demos[i].prompt.arithmetic { return demos[j].prompt.arithmetic != mine }
                    return Set(demos[j].prompt.topicNames).isDisjoint(with: asked)
                }) else { return nil }
                return Item(own: format(demos[i].prompt.text), other: format(demos[j].prompt.text),
                            answer: answerTokens(demos[i].response))
            }
        }
        let arithmetic = demonstrations.filter { $0.prompt.arithmetic != nil }
        let open = demonstrations.filter { $0.prompt.arithmetic == nil && $0.prompt.family != .compare }
        return (pair(open), pair(arithmetic))
    }

    /// Measures `model` as it is now on the items, `batchSize` rows at a time, without gradients.
    public static func measure(_ model: GPT, items: [Item], batchSize: Int = 32) -> QuestionWorth {
        let limit = model.config.contextLength
        let usable = items.filter { max($0.own.count, $0.other.count) + $0.answer.count <= limit }
        var differences: [Double] = [], own: [Double] = [], other: [Double] = []
        Autograd.withoutGradients {
            for start in stride(from: 0, to: usable.count, by: batchSize) {
                let chunk = Array(usable[start..<min(start + batchSize, usable.count)])
                let answers = chunk.map(\.answer)
                let mine = model.sequenceLogProbs(prompts: chunk.map(\.own), responses: answers).sequenceSums.data
                let theirs = model.sequenceLogProbs(prompts: chunk.map(\.other), responses: answers).sequenceSums.data
                for (a, b) in zip(mine, theirs) {
                    own.append(-Double(a))
                    other.append(-Double(b))
                    differences.append(Double(a) - Double(b))
                }
            }
        }
        return QuestionWorth(ownQuestion: RLHF.mean(own), otherQuestion: RLHF.mean(other),
                             standardError: RLHF.standardError(differences), answers: differences.count)
    }

}
