import LanguageModel
import TensorCore

/// Direct Preference Optimization (Rafailov et al., 2023) and its family, learning from
/// preference pairs directly, with no reward model and no sampling.
///
/// The KL-regularized objective max_π E[r] − β KL(π ‖ π_ref) has the closed-form optimum
/// π*(y|x) = π_ref(y|x) exp(r(x,y)/β) / Z(x), so a policy defines an implicit reward
/// r̂(x,y) = β log(π(y|x) / π_ref(y|x)) + β log Z(x). In a comparison the β log Z(x) cancels,
/// and the Bradley-Terry likelihood of the labels becomes a loss on the policy alone:
///
///     h = (log π(y_c) − log π_ref(y_c)) − (log π(y_r) − log π_ref(y_r))
///     sigmoid (DPO):   −log σ(β h)            (with label smoothing ε, cDPO:
///                                              −(1 − ε) log σ(β h) − ε log σ(−β h))
///     ipo (Azar et al., 2023):  (h − 1/(2β))²  on length-averaged log-probs, as TRL does:
///                                              a squared loss aims h at a finite target
///                                              instead of pushing it to infinity
///     hinge (SLiC, Zhao et al., 2023):  max(0, 1 − β h)
///     simpo (Meng et al., 2024):  −log σ(β (ā_c − ā_r) − γ), ā the length-averaged
///                                 log-prob: no reference model, and a target margin γ
///
/// Inputs are the policy's sequence log-probs (summed over response tokens) and the
/// reference's, which never change and are computed once.
public enum DPOLossType: String, Sendable, CaseIterable {
    case sigmoid, ipo, hinge, simpo
}

public struct DPOSettings: Sendable {
    /// β: the strength of the implicit KL constraint; 0.1 is the usual value (0.01-0.5).
    /// SimPO uses a larger β (2 to 2.5) on length-averaged log-probs.
    public var beta: Float
    public var lossType: DPOLossType
    /// ε of conservative DPO (the share of labels assumed flipped), sigmoid loss only.
    public var labelSmoothing: Float
    /// SimPO's target margin γ (0.5 to 1.5).
    public var simpoGamma: Float

    public init(beta: Float = 0.1, lossType: DPOLossType = .sigmoid, labelSmoothing: Float = 0, simpoGamma: Float = 0.5) {
        precondition(beta > 0 && labelSmoothing >= 0 && labelSmoothing < 0.5, "DPOSettings: β > 0 and ε in [0, ½) are required")
        self.beta = beta
        self.lossType = lossType
        self.labelSmoothing = labelSmoothing
        self.simpoGamma = simpoGamma
    }
}

/// What one DPO loss evaluation reports (TRL's names in brackets).
public struct DPOLoss {
    public let loss: Tensor
    /// β (log π(y_c) − log π_ref(y_c)) per pair [rewards/chosen] (SimPO: β ā_c).
    public let chosenRewards: [Float]
    /// β (log π(y_r) − log π_ref(y_r)) per pair [rewards/rejected].
    public let rejectedRewards: [Float]
    /// Share of pairs whose implicit reward ranks the chosen response higher [rewards/accuracies].
    public let accuracy: Float
    /// Mean of chosen − rejected implicit rewards [rewards/margins].
    public let margin: Float
    /// Mean sequence log-probs of the chosen and rejected responses [logps/chosen, logps/rejected].
    public let chosenLogProb: Float
    public let rejectedLogProb: Float
}

/// The loss of `settings.lossType` for a batch of pairs. `chosenLengths` and
/// `rejectedLengths` (response tokens) are needed by ipo and simpo, which average.
public func dpoLoss(policyChosen: Tensor, policyRejected: Tensor, referenceChosen: Tensor, referenceRejected: Tensor,
                    chosenLengths: [Int]? = nil, rejectedLengths: [Int]? = nil,
                    settings: DPOSettings) -> DPOLoss {
    precondition([policyRejected.shape, referenceChosen.shape, referenceRejected.shape].allSatisfy { $0 == policyChosen.shape }
                 && policyChosen.rank == 1, "dpoLoss: the four log-prob vectors must be one vector shape")
    let beta = settings.beta
    func averaged(_ x: Tensor, _ lengths: [Int]?) -> Tensor {
        guard let lengths else { preconditionFailure("dpoLoss: \(settings.lossType) needs the response lengths") }
        precondition(lengths.count == x.count && lengths.allSatisfy { $0 > 0 }, "dpoLoss: one positive length per pair")
        return x / Tensor(shape: x.shape, data: lengths.map(Float.init))
    }
    var chosen = policyChosen - referenceChosen.detached()
    var rejected = policyRejected - referenceRejected.detached()
    let loss: Tensor
    switch settings.lossType {
    case .sigmoid:
        let z = (chosen - rejected) * beta
        loss = settings.labelSmoothing > 0
            ? -mean(logSigmoid(z)) * (1 - settings.labelSmoothing) - mean(logSigmoid(-z)) * settings.labelSmoothing
            : -mean(logSigmoid(z))
    case .hinge:
        loss = mean(relu(1 - (chosen - rejected) * beta))
    case .ipo:
        chosen = averaged(policyChosen, chosenLengths) - averaged(referenceChosen.detached(), chosenLengths)
        rejected = averaged(policyRejected, rejectedLengths) - averaged(referenceRejected.detached(), rejectedLengths)
        loss = mean(square(chosen - rejected - 1 / (2 * beta)))
    case .simpo:
        chosen = averaged(policyChosen, chosenLengths)
        rejected = averaged(policyRejected, rejectedLengths)
        loss = -mean(logSigmoid((chosen - rejected) * beta - settings.simpoGamma))
    }
    let chosenRewards = chosen.data.map { beta * $0 }, rejectedRewards = rejected.data.map { beta * $0 }
    let n = Float(max(chosenRewards.count, 1))
    return DPOLoss(loss: loss, chosenRewards: chosenRewards, rejectedRewards: rejectedRewards,
                   accuracy: Float(zip(chosenRewards, rejectedRewards).filter { $0 > $1 }.count) / n,
                   margin: zip(chosenRewards, rejectedRewards).reduce(0) { $0 + $1.0 - $1.1 } / n,
                   chosenLogProb: policyChosen.data.reduce(0, +) / n, rejectedLogProb: policyRejected.data.reduce(0, +) / n)
}

/// Preference pairs as token ids, with the reference's sequence log-probs computed once:
/// they never change during DPO, so they cost one forward pass per pair for the whole run.
public struct PreferenceBatch: Sendable {
    public let prompts: [[Int]]
    public let chosen: [[Int]]
    public let rejected: [[Int]]
    /// log π_ref(y|x) summed over the response's tokens.
    public let referenceChosen: [Float]
    public let referenceRejected: [Float]

    /// Tokenizes each pair's chosen and rejected responses after the same prompt (in the
    /// chat format, each ending with `<|endoftext|>`, cut to fit the context) and scores them
    /// under `reference`, which must compute π_ref as it is when called.
    public init(pairs: [PreferencePair], tokenizer: BytePairTokenizer, reference: GPT, chunk: Int = 32) {
        let context = reference.config.contextLength
        func response(_ prompt: [Int], _ text: String) -> [Int] {
            Array(ChatFormat.responseTokens(text, tokenizer: tokenizer).prefix(context - prompt.count))
        }
        let prompts = pairs.map { ChatFormat.promptTokens($0.prompt, tokenizer: tokenizer) }
        let chosen = zip(prompts, pairs).map { response($0, $1.chosen) }
        let rejected = zip(prompts, pairs).map { response($0, $1.rejected) }
        var referenceChosen: [Float] = [], referenceRejected: [Float] = []
        for start in stride(from: 0, to: pairs.count, by: chunk) {
            let range = start..<min(start + chunk, pairs.count)
            let sums = Autograd.withoutGradients {
                Self.sequenceLogProbs(reference, prompts: Array(prompts[range]) + Array(prompts[range]),
                                      responses: Array(chosen[range]) + Array(rejected[range])).data
            }
            referenceChosen += sums.prefix(range.count)
            referenceRejected += sums.suffix(range.count)
        }
        (self.prompts, self.chosen, self.rejected) = (prompts, chosen, rejected)
        self.referenceChosen = referenceChosen
        self.referenceRejected = referenceRejected
    }

    public var count: Int { prompts.count }

    /// Σ_t log π(y_t | x, y_<t) of each response under `model` [rows], differentiable.
    public static func sequenceLogProbs(_ model: GPT, prompts: [[Int]], responses: [[Int]]) -> Tensor {
        let forward = model.policyForward(RolloutBatch(prompts: prompts, responses: responses))
        return maskedSum(forward.logProbs, mask: forward.mask, axis: 1)
    }

    /// The loss of the pairs `indices` under `policy`, in one forward pass of their chosen
    /// and rejected responses together.
    public func loss(_ indices: [Int], policy: GPT, settings: DPOSettings) -> DPOLoss {
        let all = Self.sequenceLogProbs(policy, prompts: indices.map { prompts[$0] } + indices.map { prompts[$0] },
                                        responses: indices.map { chosen[$0] } + indices.map { rejected[$0] })
        let n = indices.count
        return dpoLoss(policyChosen: all.slice(axis: 0, 0..<n), policyRejected: all.slice(axis: 0, n..<(2 * n)),
                       referenceChosen: Tensor(shape: [n], data: indices.map { referenceChosen[$0] }),
                       referenceRejected: Tensor(shape: [n], data: indices.map { referenceRejected[$0] }),
                       chosenLengths: indices.map { chosen[$0].count }, rejectedLengths: indices.map { rejected[$0].count },
                       settings: settings)
    }
}
