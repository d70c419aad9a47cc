import Foundation
import TensorCore

/// How the next token is chosen from the model's distribution.
public struct SamplingSettings: Equatable, Sendable {
    /// τ: logits are divided by τ before the softmax. 1 samples the model's own
    /// distribution, below 1 sharpens it, above 1 flattens it; 0 means greedy (argmax).
    public var temperature: Float
    /// Keep only the k most likely tokens (0: no limit).
    public var topK: Int
    /// Nucleus sampling (Holtzman et al., 2020): keep the smallest set of most likely
    /// tokens whose probabilities sum to at least p (1: no limit). Usually 0.9 to 0.95.
    public var topP: Float

    public init(temperature: Float = 1, topK: Int = 0, topP: Float = 1) {
        precondition(temperature >= 0 && topK >= 0 && topP > 0 && topP <= 1,
                     "SamplingSettings: temperature ≥ 0, topK ≥ 0 and topP in (0, 1] are required")
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    public static let greedy = SamplingSettings(temperature: 0)
}

/// One drawn token, with its log-probability under two distributions.
public struct SampledToken: Equatable, Sendable {
    public var token: Int
    /// log π(token) under the model's own distribution (softmax of the raw logits,
    /// temperature 1): the π(a|s) that policy gradients, importance ratios and KL
    /// penalties need, whatever sampling settings drew the token.
    public var logProb: Float
    /// log q(token) under the distribution actually sampled from (after temperature,
    /// top-k and top-p); 0 for greedy decoding, which picks with certainty.
    public var samplingLogProb: Float
}

/// Draws tokens from logits, reusing its scratch buffers across calls.
struct TokenSampler {
    let settings: SamplingSettings
    private var probabilities: [Float] = []
    private var order: [Int] = []

    init(settings: SamplingSettings) {
        self.settings = settings
    }

    /// log Σ_j exp(x_j · scale), computed after subtracting the maximum. Not RLHF's
    /// `logSumExp`: this one sums in Float and folds in the temperature, and the sampled
    /// tokens' recorded log-probs depend on its exact bits.
    static func logSumExp(_ x: UnsafeBufferPointer<Float>, scale: Float = 1) -> Float {
        var m = -Float.infinity
        for v in x { m = max(m, v * scale) }
        var total: Float = 0
        for v in x { total += Foundation.exp(v * scale - m) }
        return m + Foundation.log(total)
    }

    mutating func sample(_ logits: UnsafeBufferPointer<Float>, rng: inout RandomGenerator) -> SampledToken {
        let V = logits.count
        let modelLogSumExp = Self.logSumExp(logits)
        if settings.temperature == 0 {
            var best = 0
            for j in 1..<V where logits[j] > logits[best] { best = j }
            return SampledToken(token: best, logProb: logits[best] - modelLogSumExp, samplingLogProb: 0)
        }
        let inverseTemperature = 1 / settings.temperature
        let lse = settings.temperature == 1 ? modelLogSumExp : Self.logSumExp(logits, scale: inverseTemperature)
        if probabilities.count != V { probabilities = [Float](repeating: 0, count: V) }
        for j in 0..<V { probabilities[j] = Foundation.exp(logits[j] * inverseTemperature - lse) }

        guard settings.topK > 0 && settings.topK < V || settings.topP < 1 else {
            // Inverse-CDF draw; rounding can leave u just past the last token's share.
            var u = Float(rng.uniform())
            var token = V - 1
            for j in 0..<V {
                if u < probabilities[j] { token = j; break }
                u -= probabilities[j]
            }
            return SampledToken(token: token, logProb: logits[token] - modelLogSumExp,
                                samplingLogProb: logits[token] * inverseTemperature - lse)
        }
        // Most likely first; keep the top k, then the shortest prefix holding mass p.
        if order.count != V { order = Array(0..<V) } else { for j in 0..<V { order[j] = j } }
        let p = probabilities
        order.sort { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var kept = settings.topK > 0 ? min(settings.topK, V) : V
        if settings.topP < 1 {
            var mass: Float = 0
            for (n, j) in order.prefix(kept).enumerated() {
                mass += p[j]
                if mass >= settings.topP { kept = n + 1; break }
            }
        }
        var total: Float = 0
        for j in order.prefix(kept) { total += p[j] }
        var u = Float(rng.uniform()) * total
        var token = order[kept - 1]
        for j in order.prefix(kept) {
            if u < p[j] { token = j; break }
            u -= p[j]
        }
        return SampledToken(token: token, logProb: logits[token] - modelLogSumExp, samplingLogProb: Foundation.log(p[token] / total))
    }
}
