import TensorCore

/// Losses that learn from pairs: the reward model's Bradley-Terry loss and DPO.

/// Bradley-Terry (1952) models a person's choice between responses with rewards r_c and
/// r_r as P(chosen ≻ rejected) = σ(r_c - r_r). The reward model maximizes the likelihood
/// of the observed choices:
///   L = -mean log σ(r_c - r_r - m)
/// with an optional margin m per pair (larger when annotators said "significantly better",
/// as in Llama 2). With soft targets p (the share of a panel that preferred the chosen
/// response, ties counting half) it is the cross-entropy against p instead of against 1:
///   L = -mean[ p log σ(z) + (1 - p) log σ(-z) ],   z = r_c - r_r - m,
/// whose minimum over z is at σ(z) = p: the reward difference learns the panel's odds,
/// log(p / (1 - p)), rather than "as large as possible". Returns the loss, the accuracy
/// (share with r_c > r_r) and the mean margin r_c - r_r (TRL logs these as accuracy and margin).
public func bradleyTerryLoss(chosenRewards: Tensor, rejectedRewards: Tensor, margins: [Float]? = nil,
                             targets: [Float]? = nil) -> (loss: Tensor, accuracy: Float, meanMargin: Float) {
    precondition(chosenRewards.shape == rejectedRewards.shape && chosenRewards.rank == 1,
                 "bradleyTerryLoss: chosen \(chosenRewards.shape) and rejected \(rejectedRewards.shape) must be one vector shape")
    var difference = chosenRewards - rejectedRewards
    if let margins {
        precondition(margins.count == chosenRewards.count, "bradleyTerryLoss: \(margins.count) margins for \(chosenRewards.count) pairs")
        difference = difference - Tensor(shape: [margins.count], data: margins)
    }
    var loss = -mean(logSigmoid(difference))
    if let targets {
        precondition(targets.count == chosenRewards.count && targets.allSatisfy { $0 >= 0 && $0 <= 1 },
                     "bradleyTerryLoss: \(targets.count) targets in [0, 1] are needed for \(chosenRewards.count) pairs")
        let p = Tensor(shape: [targets.count], data: targets)
        loss = -mean(logSigmoid(difference) * p + logSigmoid(-difference) * (1 - p))
    }
    let raw = zip(chosenRewards.data, rejectedRewards.data).map { $0 - $1 }
    let accuracy = Float(raw.filter { $0 > 0 }.count) / Float(raw.count)
    return (loss, accuracy, raw.reduce(0, +) / Float(raw.count))
}

/// What one DPO loss evaluation reports (TRL's names in brackets).
public struct DPOLoss {
    public let loss: Tensor
    /// β (log π(y_c) - log π_ref(y_c)) per pair [rewards/chosen]
    public let chosenRewards: [Float]
    /// β (log π(y_r) - log π_ref(y_r)) per pair [rewards/rejected]
    public let rejectedRewards: [Float]
    /// Share of pairs whose implicit reward ranks the chosen response higher [rewards/accuracies]
    public let accuracy: Float
}

/// Direct Preference Optimization (Rafailov et al., 2023). The KL-regularized RLHF
/// objective has the closed-form optimum π*(y|x) ∝ π_ref(y|x) exp(r(x,y)/β), so a policy
/// defines an implicit reward r̂(x,y) = β log(π(y|x) / π_ref(y|x)) (up to a term that cancels
/// in a comparison). Putting r̂ into the Bradley-Terry likelihood gives
///   L = -mean log σ( β [(log π(y_c) - log π_ref(y_c)) - (log π(y_r) - log π_ref(y_r))] )
/// and with label smoothing ε (conservative DPO, for noisy labels)
///   L = -(1 - ε) log σ(z) - ε log σ(-z).
/// Inputs are sequence log-probs (summed over response tokens), one per pair.
/// β is usually 0.1 (0.01-0.5): smaller lets the policy move further from the reference.
public func dpoLoss(policyChosen: Tensor, policyRejected: Tensor, referenceChosen: Tensor, referenceRejected: Tensor,
                    beta: Float, labelSmoothing: Float = 0) -> DPOLoss {
    precondition([policyRejected.shape, referenceChosen.shape, referenceRejected.shape].allSatisfy { $0 == policyChosen.shape },
                 "dpoLoss: the four log-prob vectors must have one shape")
    let chosen = policyChosen - referenceChosen.detached()
    let rejected = policyRejected - referenceRejected.detached()
    let z = (chosen - rejected) * beta
    var loss = -mean(logSigmoid(z))
    if labelSmoothing > 0 {
        loss = loss * (1 - labelSmoothing) - mean(logSigmoid(-z)) * labelSmoothing
    }
    let chosenRewards = chosen.data.map { beta * $0 }
    let rejectedRewards = rejected.data.map { beta * $0 }
    let wins = zip(chosenRewards, rejectedRewards).filter { $0 > $1 }.count
    return DPOLoss(loss: loss, chosenRewards: chosenRewards, rejectedRewards: rejectedRewards,
                   accuracy: Float(wins) / Float(max(chosenRewards.count, 1)))
}
