/// The values of some weights, kept to be put back later: a sweep's trained adapter, kept
/// while the next run trains in the same tensors, or a fresh adapter's first draw.
///
///     let trained = WeightSnapshot(of: policy.adapter.parameters)
///     ...                                           // the next run trains the adapter
///     trained.restore(into: policy.adapter.parameters)
///
/// The one way weights are copied in the course; `restore` checks that the weights match
/// the snapshot tensor by tensor, where a bare zip would silently stop at the shorter list.
public struct WeightSnapshot: Sendable {
    /// Each tensor's values, in the order the weights were given.
    public let values: [[Float]]

    /// The current values of `weights`.
    public init(of weights: [Tensor]) {
        values = weights.map(\.data)
    }

    /// Values from elsewhere (a checkpoint), one array per tensor.
    public init(values: [[Float]]) {
        self.values = values
    }

    /// Puts the values into `weights`, which must have the snapshot's number of tensors and
    /// element counts.
    public func restore(into weights: [Tensor]) {
        precondition(weights.count == values.count && zip(weights, values).allSatisfy { $0.count == $1.count },
                     "WeightSnapshot.restore: \(weights.count) tensors of \(weights.map(\.count)) elements for a snapshot of \(values.map(\.count))")
        for (weight, value) in zip(weights, values) { weight.data = value }
    }

    /// Runs `body` with the snapshot's values in `weights`, then puts the weights' own values
    /// back: a model evaluated as it was (chapter 02's pretrained model, whose weights SFT
    /// has since trained) without a second copy of the network.
    public func substituted<T>(into weights: [Tensor], _ body: () throws -> T) rethrows -> T {
        let own = WeightSnapshot(of: weights)
        restore(into: weights)
        defer { own.restore(into: weights) }
        return try body()
    }
}

extension Array where Element == Tensor {
    /// Copies the values of `source`, tensor by tensor, into these weights (a critic
    /// started from the reward model, a reward model from the SFT weights).
    public func copyWeights(from source: [Tensor]) {
        WeightSnapshot(of: source).restore(into: self)
    }
}
