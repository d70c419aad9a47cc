import TensorCore

/// The reward model's loss on pairs: Bradley-Terry. (DPO, which learns from the same
/// pairs, has its own file, DPO.swift.)

/// Bradley-Terry (1952) models a person's choice between responses with rewards r_c and
/// r_r as P(chosen ≻ rejected) = σ(r_c - r_r). The reward model maximizes the likelihood
/// of the observed choices:
///   L = -mean log σ(r_c - r_r - m)
/// with an optional margin m per pair (larger when annotators said "significantly better",
/// as in Llama 2). With soft targets p (the share of a panel that preferred the chosen
/// response, ties counting half) it is the cross-entropy against p instead of against 1:
///   L = -mean[ p log σ(z) + (1 - p) log σ(-z) ],   z = r_c - r_r - m,
/// whose minimum over z is at σ(z) = p: the reward difference r_c − r_r learns the panel's
/// odds plus the margin, m + log(p / (1 − p)), rather than "as large as possible". Returns the loss, the accuracy
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
