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
    public init(pairs: [PreferencePair], tokenizer: BytePairTokenizer, reference: GPT, pairsPerPass: Int = 8) {
        let context = reference.config.contextLength
        func response(_ prompt: [Int], _ text: String) -> [Int] {
            Array(ChatFormat.responseTokens(text, tokenizer: tokenizer).prefix(context - prompt.count))
        }
        let prompts = pairs.map { ChatFormat.promptTokens($0.prompt, tokenizer: tokenizer) }
        let chosen = zip(prompts, pairs).map { response($0, $1.chosen) }
        let rejected = zip(prompts, pairs).map { response($0, $1.rejected) }
        (self.prompts, self.chosen, self.rejected) = (prompts, chosen, rejected)
        self.pairsPerPass = pairsPerPass
        var referenceChosen = [Float](repeating: 0, count: pairs.count), referenceRejected = referenceChosen
        let lengths = prompts.indices.map { prompts[$0].count + max(chosen[$0].count, rejected[$0].count) }
        for pass in Self.passes(lengths: lengths, pairsPerPass: pairsPerPass) {
            let sums = Autograd.withoutGradients {
                Self.sequenceLogProbs(reference, prompts: pass.map { prompts[$0] } + pass.map { prompts[$0] },
                                      responses: pass.map { chosen[$0] } + pass.map { rejected[$0] }).data
            }
            for (k, i) in pass.enumerated() { (referenceChosen[i], referenceRejected[i]) = (sums[k], sums[pass.count + k]) }
        }
        self.referenceChosen = referenceChosen
        self.referenceRejected = referenceRejected
    }

    /// Pairs per forward pass: a step's pairs are cut into passes of at most this many.
    public let pairsPerPass: Int

    /// Positions 0 ..< lengths.count cut into forward passes of at most `pairsPerPass`,
    /// shortest first, `lengths` being each pair's longer row (prompt + the longer
    /// response). A pass pads every row to its longest, so mixing a 20-token answer with a
    /// 160-token one spends 140 tokens of compute on padding; passes of similar lengths
    /// spend little. Each row's log-prob is what it would be alone (padding is masked), so
    /// the cut changes only the cost. Stable: equal lengths keep their order.
    static func passes(lengths: [Int], pairsPerPass: Int) -> [[Int]] {
        precondition(pairsPerPass > 0, "PreferenceBatch: pairsPerPass must be positive")
        let sorted = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        return stride(from: 0, to: sorted.count, by: pairsPerPass).map { Array(sorted[$0..<min($0 + pairsPerPass, sorted.count)]) }
    }

    /// The longer row of pair `i`: prompt + the longer of its two responses.
    func rowLength(_ i: Int) -> Int { prompts[i].count + max(chosen[i].count, rejected[i].count) }

    public var count: Int { prompts.count }

    /// Σ_t log π(y_t | x, y_<t) of each response under `model` [rows], differentiable.
    public static func sequenceLogProbs(_ model: GPT, prompts: [[Int]], responses: [[Int]]) -> Tensor {
        let forward = model.policyForward(RolloutBatch(prompts: prompts, responses: responses))
        return maskedSum(forward.logProbs, mask: forward.mask, axis: 1)
    }

    /// The loss of the pairs `indices` under `policy`: their chosen and rejected responses
    /// go through the network together, in passes of similar lengths (`passes`). The
    /// per-pair rewards come back in the order of `indices`.
    public func loss(_ indices: [Int], policy: GPT, settings: DPOSettings) -> DPOLoss {
        // Passes hold positions in `indices` (a pair may be asked for twice).
        let passes = Self.passes(lengths: indices.map(rowLength), pairsPerPass: pairsPerPass)
        var chosenParts: [Tensor] = [], rejectedParts: [Tensor] = []
        for pass in passes {
            let pairs = pass.map { indices[$0] }
            let sums = Self.sequenceLogProbs(policy, prompts: pairs.map { prompts[$0] } + pairs.map { prompts[$0] },
                                             responses: pairs.map { chosen[$0] } + pairs.map { rejected[$0] })
            chosenParts.append(sums.slice(axis: 0, 0..<pass.count))
            rejectedParts.append(sums.slice(axis: 0, pass.count..<(2 * pass.count)))
        }
        let order = passes.flatMap { $0 }.map { indices[$0] }
        let sorted = dpoLoss(policyChosen: concat(chosenParts, axis: 0),
                             policyRejected: concat(rejectedParts, axis: 0),
                             referenceChosen: Tensor(shape: [order.count], data: order.map { referenceChosen[$0] }),
                             referenceRejected: Tensor(shape: [order.count], data: order.map { referenceRejected[$0] }),
                             chosenLengths: order.map { chosen[$0].count }, rejectedLengths: order.map { rejected[$0].count },
                             settings: settings)
        // Back to the caller's order: the k-th sorted entry answers position passes.joined()[k].
        var back = [Int](repeating: 0, count: indices.count)
        for (k, position) in passes.joined().enumerated() { back[position] = k }
        return DPOLoss(loss: sorted.loss, chosenRewards: back.map { sorted.chosenRewards[$0] },
                       rejectedRewards: back.map { sorted.rejectedRewards[$0] }, accuracy: sorted.accuracy,
                       margin: sorted.margin, chosenLogProb: sorted.chosenLogProb, rejectedLogProb: sorted.rejectedLogProb)
    }
}
