import Foundation
import TensorCore

/// A linear map from the final hidden state to one number, v_t = h_t · w + b: the head of
/// a reward model (read at the last real token of a response) and of PPO's critic (read
/// at every position, one value estimate per state).
///
/// Stored as `score.weight` [d, 1] and `score.bias` [1] (Conv1D layout, like the rest).
public final class ScalarHead {
    public let weight: Tensor
    public let bias: Tensor

    /// w ~ N(0, σ²) with σ = 1/√(d+1), so that a fresh head's outputs have roughly unit
    /// scale on LayerNorm-ed inputs; b = 0.
    public init(modelWidth d: Int, rng: inout RandomGenerator) {
        let std = 1 / Float(d + 1).squareRoot()
        weight = Tensor(parameter: Tensor.randomNormal([d, 1], std: std, using: &rng).data, shape: [d, 1], name: "score.weight")
        bias = .zeroParameter([1], "score.bias")
    }

    public var parameters: [Tensor] { [weight, bias] }

    /// The names and shapes of `parameters` for model width d, known before a head is built.
    public static func weightShapes(modelWidth d: Int) -> [SafeTensors.TensorSpec] {
        [.init("score.weight", [d, 1]), .init("score.bias", [1])]
    }

    /// One value per position: hidden [B, T, d] -> [B, T].
    public func values(_ hidden: Tensor) -> Tensor {
        precondition(hidden.rank == 3, "ScalarHead.values: hidden states must be [B, T, d], got \(hidden.shape)")
        return linear(hidden, weight: weight, bias: bias).reshaped([hidden.shape[0], hidden.shape[1]])
    }

    /// The value at the last real (non-padding) token of each row: [B]. This is the
    /// reward of a whole prompt + response, read where the model has seen all of it.
    public func lastTokenValues(_ hidden: Tensor, batch: TokenBatch) -> Tensor {
        let all = values(hidden)
        return gather(all, indices: (0..<batch.batch).map { batch.lastRealIndex(ofRow: $0) })
    }
}

/// A GPT body with a scalar head instead of the LM head: the reward model r_φ(x, y) and
/// PPO's value model V(s). Usually initialized from the SFT model's weights.
public final class ScalarModel {
    public let body: GPT
    public let head: ScalarHead

    public init(body: GPT, head: ScalarHead) {
        self.body = body
        self.head = head
    }

    public convenience init(body: GPT, rng: inout RandomGenerator) {
        self.init(body: body, head: ScalarHead(modelWidth: body.config.modelWidth, rng: &rng))
    }

    /// The body's trainable parameters followed by the head's.
    public var parameters: [Tensor] { body.trainableParameters + head.parameters }

    /// Values at every position [B, T].
    public func values(_ batch: TokenBatch) -> Tensor {
        head.values(body.hiddenStates(batch))
    }

    /// The value at each row's last real token [B] (the reward of a sequence).
    public func lastTokenValues(_ batch: TokenBatch) -> Tensor {
        head.lastTokenValues(body.hiddenStates(batch), batch: batch)
    }
}
