import Foundation
import TensorCore

/// A corpus as one long stream of token ids, documents separated by `<|endoftext|>`
/// (GPT-2's convention), from which pretraining draws random windows.
///
/// A window of T + 1 consecutive tokens gives T inputs and T next-token targets: every
/// position of every window is a training example for "predict the next token".
public struct TokenStream: Sendable {
    public let tokens: [Int]

    public init(tokens: [Int]) {
        self.tokens = tokens
    }

    /// Encodes each document and joins them, with the end-of-text token after each.
    public init(documents: [String], tokenizer: BytePairTokenizer) {
        var tokens: [Int] = []
        tokens.reserveCapacity(documents.reduce(0) { $0 + $1.utf8.count } / 3)
        for document in documents {
            tokens += tokenizer.encode(document)
            tokens.append(tokenizer.endOfText)
        }
        self.tokens = tokens
    }

    public var count: Int { tokens.count }

    /// `batch` windows at random offsets: inputs and targets, each [batch · context], row-major.
    public func randomBatch(batch: Int, context: Int, using rng: inout RandomGenerator) -> (inputs: [Int], targets: [Int]) {
        precondition(tokens.count > context + 1, "TokenStream: \(tokens.count) tokens cannot fill a window of \(context + 1)")
        var inputs = [Int](), targets = [Int]()
        inputs.reserveCapacity(batch * context)
        targets.reserveCapacity(batch * context)
        for _ in 0..<batch {
            let start = rng.int(below: tokens.count - context)
            inputs += tokens[start..<(start + context)]
            targets += tokens[(start + 1)...(start + context)]
        }
        return (inputs, targets)
    }

    /// Consecutive, non-overlapping windows from the start: a fixed evaluation set, the
    /// same every time it is asked for (so validation losses are comparable across steps).
    public func evaluationBatches(batch: Int, context: Int, maximumBatches: Int) -> [(inputs: [Int], targets: [Int])] {
        var result: [(inputs: [Int], targets: [Int])] = []
        var start = 0
        while result.count < maximumBatches {
            var inputs = [Int](), targets = [Int]()
            for _ in 0..<batch {
                guard start + context + 1 <= tokens.count else { return result }
                inputs += tokens[start..<(start + context)]
                targets += tokens[(start + 1)...(start + context)]
                start += context
            }
            result.append((inputs, targets))
        }
        return result
    }
}

/// The entropies of simple n-gram models of a token stream: the floor a model must beat to
/// have learned anything beyond word frequencies (unigram) or word pairs (bigram).
public struct NGramBaselines: Sendable {
    /// Cross-entropy, in nats per token, of held-out tokens under the training stream's
    /// token frequencies (add-one smoothed, so unseen tokens cost a finite amount).
    public let unigram: Double
    /// The same for the next-token distribution given the previous token, p(t | t₋₁),
    /// interpolated with the unigram model (λ = 0.9) so unseen pairs stay finite.
    public let bigram: Double

    public init(training: [Int], validation: [Int], vocabularySize: Int) {
        let v = vocabularySize
        var unigramCounts = [Double](repeating: 1, count: v)  // add-one
        for t in training { unigramCounts[t] += 1 }
        let total = unigramCounts.reduce(0, +)
        let unigramP = unigramCounts.map { $0 / total }

        var pairCounts: [Int: Double] = [:]
        var previousCounts = [Double](repeating: 0, count: v)
        for i in 1..<training.count {
            pairCounts[training[i - 1] * v + training[i], default: 0] += 1
            previousCounts[training[i - 1]] += 1
        }

        var unigramLoss = 0.0, bigramLoss = 0.0
        for i in 1..<validation.count {
            let (previous, next) = (validation[i - 1], validation[i])
            unigramLoss -= log(unigramP[next])
            let seen = previousCounts[previous]
            let conditional = seen > 0 ? (pairCounts[previous * v + next] ?? 0) / seen : 0
            bigramLoss -= log(0.9 * conditional + 0.1 * unigramP[next])
        }
        let n = Double(max(validation.count - 1, 1))
        self.unigram = unigramLoss / n
        self.bigram = bigramLoss / n
    }
}
