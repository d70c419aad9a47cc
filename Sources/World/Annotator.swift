import Foundation
import TensorCore

/// One of the five answers on the comparison form (the seed's form).
public enum PreferenceLabel: Int, Sendable, CaseIterable, Hashable {
    case aSignificantlyBetter = 0
    case aSlightlyBetter
    case aboutTheSame
    case bSlightlyBetter
    case bSignificantlyBetter

    /// Which response the label favours.
    public enum Side: String, Sendable { case a = "A", b = "B", tie = "tie" }

    public var preferred: Side {
        switch self {
        case .aSignificantlyBetter, .aSlightlyBetter: return .a
        case .aboutTheSame: return .tie
        case .bSlightlyBetter, .bSignificantlyBetter: return .b
        }
    }

    /// The text on the form.
    public var text: String {
        switch self {
        case .aSignificantlyBetter: return "A significantly better"
        case .aSlightlyBetter: return "A slightly better"
        case .aboutTheSame: return "About the same"
        case .bSlightlyBetter: return "B slightly better"
        case .bSignificantlyBetter: return "B significantly better"
        }
    }

    /// A soft target for P(A preferred): 1, 0.75, 0.5, 0.25, 0. A reward model can train on
    /// it, or drop the ties and use the side only.
    public var probabilityAPreferred: Double { 1 - Double(rawValue) / 4 }
}

/// A simulated person who compares two responses to the same prompt.
///
/// The annotator sees a noisy version of the gold difference. With Δ = gold(A) - gold(B),
/// a bias b (below) and a temperature T, the annotator's felt difference is
///
///     z = Δ + b + T · ε,   ε ~ Logistic(0, 1),
///
/// so P(A preferred) = P(z > 0) = sigmoid((Δ + b) / T): the Bradley-Terry model that the
/// reward model of chapter 04 fits. The strength of the label comes from the size of z:
/// |z| <= `tieMargin` is "about the same", |z| > `strongMargin` is "significantly better",
/// in between "slightly better". This is an ordered logit model, so every label's
/// probability has a closed form (`labelProbabilities`).
public struct Annotator: Sendable, Hashable {
    public let name: String
    /// T: the noise of this person's judgement, in gold points. Usually 0.5 to 2; larger is noisier.
    public let temperature: Double
    /// Gold points added in favour of the longer response, per 100 words of difference.
    /// A mild length preference, as reported for real labellers; usually 0 to 0.5.
    public let lengthBias: Double
    /// Gold points added in favour of whichever response is shown first (A); usually -0.3 to 0.3.
    public let positionBias: Double
    /// Half-width of the "about the same" zone of z, in gold points.
    public let tieMargin: Double
    /// Beyond this |z| a preference is "significant".
    public let strongMargin: Double

    public init(name: String, temperature: Double, lengthBias: Double = 0, positionBias: Double = 0,
                tieMargin: Double = 0.3, strongMargin: Double = 2.5) {
        precondition(temperature > 0, "Annotator \(name): temperature must be positive, got \(temperature)")
        precondition(strongMargin > tieMargin && tieMargin >= 0, "Annotator \(name): need 0 <= tieMargin < strongMargin")
        self.name = name
        self.temperature = temperature
        self.lengthBias = lengthBias
        self.positionBias = positionBias
        self.tieMargin = tieMargin
        self.strongMargin = strongMargin
    }

    /// The default panel: five people of different care and habits. Their temperatures are
    /// calibrated so that two of them agree on which of two demonstrations for the same
    /// prompt is better (ties counted strictly) about 70-73% of the time, close to the 73%
    /// that InstructGPT reports for its labellers.
    public static let panel: [Annotator] = [
        Annotator(name: "Ada", temperature: 0.8, lengthBias: 0.1),
        Annotator(name: "Bo", temperature: 1.0, lengthBias: 0.4),
        Annotator(name: "Cai", temperature: 1.2, positionBias: 0.25),
        Annotator(name: "Dee", temperature: 0.9, lengthBias: 0.2, positionBias: -0.1),
        Annotator(name: "Eli", temperature: 1.5, lengthBias: 0.3, positionBias: 0.1),
    ]

    /// Δ + b: the gold difference plus this annotator's biases.
    public func shiftedDifference(goldA: Double, goldB: Double, wordsA: Int, wordsB: Int) -> Double {
        goldA - goldB + lengthBias * Double(wordsA - wordsB) / 100 + positionBias
    }

    /// P(A preferred) = sigmoid((Δ + b) / T).
    public func probabilityAPreferred(goldA: Double, goldB: Double, wordsA: Int, wordsB: Int) -> Double {
        sigmoid(shiftedDifference(goldA: goldA, goldB: goldB, wordsA: wordsA, wordsB: wordsB) / temperature)
    }

    /// The probability of each label, in `PreferenceLabel.allCases` order.
    public func labelProbabilities(goldA: Double, goldB: Double, wordsA: Int, wordsB: Int) -> [Double] {
        let d = shiftedDifference(goldA: goldA, goldB: goldB, wordsA: wordsA, wordsB: wordsB)
        // P(z > c) = sigmoid((d - c) / T)
        func above(_ c: Double) -> Double { sigmoid((d - c) / temperature) }
        let pStrongA = above(strongMargin)
        let pA = above(tieMargin)
        let pNotStrongB = above(-strongMargin)
        let pNotB = above(-tieMargin)
        return [pStrongA, pA - pStrongA, pNotB - pA, pNotStrongB - pNotB, 1 - pNotStrongB]
    }

    /// One label, drawn from the model above.
    public func label(goldA: Double, goldB: Double, wordsA: Int, wordsB: Int, rng: inout RandomGenerator) -> PreferenceLabel {
        let d = shiftedDifference(goldA: goldA, goldB: goldB, wordsA: wordsA, wordsB: wordsB)
        var u = rng.uniform()
        while u <= 0 { u = rng.uniform() }
        let z = d + temperature * log(u / (1 - u))  // inverse CDF of the logistic
        if z > strongMargin { return .aSignificantlyBetter }
        if z > tieMargin { return .aSlightlyBetter }
        if z >= -tieMargin { return .aboutTheSame }
        if z >= -strongMargin { return .bSlightlyBetter }
        return .bSignificantlyBetter
    }

    /// Compares two responses to `prompt`, scoring them with the gold judge.
    public func compare(prompt: Prompt, a: String, b: String, judge: GoldJudge = GoldJudge(),
                        rng: inout RandomGenerator) -> PreferenceLabel {
        label(goldA: judge.score(prompt, response: a).total, goldB: judge.score(prompt, response: b).total,
              wordsA: TextAnalysis.words(a).count, wordsB: TextAnalysis.words(b).count, rng: &rng)
    }
}

func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

/// How `agreement` treats "about the same".
public enum TieTreatment: Sendable {
    /// A tie agrees only with a tie (the strict reading, the default).
    case strict
    /// Pairs of labels where either is a tie are left out.
    case ignored
}

/// Inter-annotator agreement: over every item and every pair of annotators who labelled
/// it, the share of pairs that name the same better response (`PreferenceLabel.preferred`).
/// "Slightly" and "significantly" on the same side agree. Returns nil when no pair counts.
///
/// - Parameter labels: for each item, the labels of the annotators who saw it.
public func agreement(_ labels: [[PreferenceLabel]], ties: TieTreatment = .strict) -> Double? {
    var agree = 0, total = 0
    for item in labels where item.count >= 2 {
        for i in 0..<(item.count - 1) {
            for j in (i + 1)..<item.count {
                let (x, y) = (item[i].preferred, item[j].preferred)
                if ties == .ignored && (x == .tie || y == .tie) { continue }
                total += 1
                if x == y { agree += 1 }
            }
        }
    }
    return total == 0 ? nil : Double(agree) / Double(total)
}
