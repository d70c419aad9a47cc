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

/// Preference pairs as token ids, grouped by prompt, with the reference's sequence log-probs
/// computed once per answer.
///
/// Chapter 04 compares every pair of the K answers to a prompt, so an answer is in up to
/// K − 1 pairs. DPO's loss needs log π(y|x) of each answer of a pair, and an answer's
/// log-prob is the same in every pair it is in: a step that takes a prompt's pairs runs each
/// of its answers through the network once (InstructGPT's batching for the reward model),
/// K forward and backward passes for up to C(K, 2) pairs instead of 2·C(K, 2). The
/// reference's log-probs never change during DPO, so they cost one forward pass per answer
/// for every run of a sweep.
public struct PreferenceBatch: Sendable {
    /// One pair as the indices of its chosen and rejected answers in `responses`.
    public struct Pair: Equatable, Sendable {
        public let chosen: Int, rejected: Int
    }

    /// Each distinct prompt, in order of first appearance (chat format, ending "Assistant:").
    public let prompts: [[Int]]
    /// Each distinct answer (a prompt and a response text), its tokens ending with
    /// `<|endoftext|>`, cut to fit the context after its prompt; and the index of its prompt.
    public let responses: [[Int]]
    public let responsePrompt: [Int]
    /// The pairs, in the order given.
    public let pairs: [Pair]
    /// The pairs of each prompt, prompts in order of first appearance: a step that takes a
    /// prompt takes all of its pairs.
    public let groups: [[Int]]
    /// log π_ref(y|x) of each answer, summed over the response's tokens.
    public private(set) var referenceLogProbs: [Float] = []
    /// Answers per forward and backward pass: the answers a step needs are cut into passes of
    /// at most this many (four times as many without gradients).
    public let answersPerPass: Int

    public var count: Int { pairs.count }
    /// log π_ref of each pair's chosen and rejected answers.
    public var referenceChosen: [Float] { pairs.map { referenceLogProbs[$0.chosen] } }
    public var referenceRejected: [Float] { pairs.map { referenceLogProbs[$0.rejected] } }

    /// Tokenizes the pairs (an answer that several pairs share is stored once) and scores
    /// every answer under `reference`, which must compute π_ref as it is when called.
    public init(pairs: [PreferencePair], tokenizer: BytePairTokenizer, reference: GPT, answersPerPass: Int = 16) {
        let context = reference.config.contextLength
        var prompts: [[Int]] = [], promptIndex: [String: Int] = [:]
        var responses: [[Int]] = [], responsePrompt: [Int] = [], answerIndex: [String: [String: Int]] = [:]
        var groups: [[Int]] = []
        func answer(_ text: String, prompt p: Int, _ promptText: String) -> Int {
            if let i = answerIndex[promptText]?[text] { return i }
            responses.append(Array(ChatFormat.responseTokens(text, tokenizer: tokenizer).prefix(context - prompts[p].count)))
            responsePrompt.append(p)
            answerIndex[promptText, default: [:]][text] = responses.count - 1
            return responses.count - 1
        }
        var indexed: [Pair] = []
        for (k, pair) in pairs.enumerated() {
            let p: Int
            if let known = promptIndex[pair.prompt] { p = known } else {
                p = prompts.count
                promptIndex[pair.prompt] = p
                prompts.append(ChatFormat.promptTokens(pair.prompt, tokenizer: tokenizer))
                groups.append([])
            }
            indexed.append(Pair(chosen: answer(pair.chosen, prompt: p, pair.prompt), rejected: answer(pair.rejected, prompt: p, pair.prompt)))
            groups[p].append(k)
        }
        (self.prompts, self.responses, self.responsePrompt, self.pairs, self.groups) = (prompts, responses, responsePrompt, indexed, groups)
        self.answersPerPass = answersPerPass
        self.referenceLogProbs = Autograd.withoutGradients { logProbs(of: Array(responses.indices), policy: reference).data }
    }

    /// Positions 0 ..< lengths.count cut into forward passes of at most `perPass`, shortest
    /// first. A pass pads every row to its longest, so mixing a 20-token answer with a
    /// 160-token one spends 140 tokens of compute on padding; passes of similar lengths
    /// spend little. Each row's log-prob is what it would be alone (padding is masked), so
    /// the cut changes only the cost. Stable: equal lengths keep their order.
    static func passes(lengths: [Int], perPass: Int) -> [[Int]] {
        precondition(perPass > 0, "PreferenceBatch: answersPerPass must be positive")
        let sorted = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        return stride(from: 0, to: sorted.count, by: perPass).map { Array(sorted[$0..<min($0 + perPass, sorted.count)]) }
    }

    /// Σ_t log π(y_t | x, y_<t) of each response under `model` [rows], differentiable.
    public static func sequenceLogProbs(_ model: GPT, prompts: [[Int]], responses: [[Int]]) -> Tensor {
        let forward = model.policyForward(RolloutBatch(prompts: prompts, responses: responses))
        return maskedSum(forward.logProbs, mask: forward.mask, axis: 1)
    }

    /// log π(y|x) of the answers `answers` (indices into `responses`) under `policy`, in that
    /// order [answers.count], differentiable; computed in passes of similar lengths.
    public func logProbs(of answers: [Int], policy: GPT) -> Tensor {
        let lengths = answers.map { prompts[responsePrompt[$0]].count + responses[$0].count }
        // Without gradients a pass keeps no activations for a backward, so it can be larger.
        let passes = Self.passes(lengths: lengths, perPass: Autograd.isRecording ? answersPerPass : 4 * answersPerPass)
        let parts = passes.map { pass in
            Self.sequenceLogProbs(policy, prompts: pass.map { prompts[responsePrompt[answers[$0]]] },
                                  responses: pass.map { responses[answers[$0]] })
        }
        // Back to the caller's order: position k of `answers` is entry back[k] of the passes joined.
        var back = [Int](repeating: 0, count: answers.count)
        for (entry, position) in passes.joined().enumerated() { back[position] = entry }
        return concat(parts, axis: 0).rows(back)
    }

    /// The loss of the pairs `indices` (in `pairs`) under `policy`: each answer they hold runs
    /// through the network once, however many of the pairs it is in. The per-pair rewards
    /// come back in the order of `indices`.
    public func loss(_ indices: [Int], policy: GPT, settings: DPOSettings) -> DPOLoss {
        var answers: [Int] = [], position: [Int: Int] = [:]
        for pair in indices.map({ pairs[$0] }) {
            for a in [pair.chosen, pair.rejected] where position[a] == nil {
                position[a] = answers.count
                answers.append(a)
            }
        }
        let policyLogProbs = logProbs(of: answers, policy: policy)
        let chosen = indices.map { pairs[$0].chosen }, rejected = indices.map { pairs[$0].rejected }
        return dpoLoss(policyChosen: policyLogProbs.rows(chosen.map { position[$0]! }),
                       policyRejected: policyLogProbs.rows(rejected.map { position[$0]! }),
                       referenceChosen: Tensor(shape: [indices.count], data: chosen.map { referenceLogProbs[$0] }),
                       referenceRejected: Tensor(shape: [indices.count], data: rejected.map { referenceLogProbs[$0] }),
                       chosenLengths: chosen.map { responses[$0].count }, rejectedLengths: rejected.map { responses[$0].count },
                       settings: settings)
    }
}
