import Foundation

/// A set of parameters that share optimizer settings (GPT-2 practice: weight decay on the
/// matrices, none on biases, LayerNorm gains and embeddings' positional table is a choice).
public struct ParameterGroup {
    public var parameters: [Tensor]
    /// Decoupled weight decay λ for this group (0 for biases and norms).
    public var weightDecay: Float

    public init(_ parameters: [Tensor], weightDecay: Float) {
        self.parameters = parameters
        self.weightDecay = weightDecay
    }

    /// The usual split: tensors with two or more axes decay, vectors (biases, LayerNorm
    /// gains and shifts) do not.
    public static func standard(_ parameters: [Tensor], weightDecay: Float) -> [ParameterGroup] {
        [ParameterGroup(parameters.filter { $0.rank >= 2 }, weightDecay: weightDecay),
         ParameterGroup(parameters.filter { $0.rank < 2 }, weightDecay: 0)]
    }
}

/// Adam with decoupled weight decay (Loshchilov and Hutter, 2019).
///
/// For each parameter θ with gradient g, at step t (from 1):
///   m ← β₁ m + (1 - β₁) g,   v ← β₂ v + (1 - β₂) g²
///   m̂ = m / (1 - β₁ᵗ),       v̂ = v / (1 - β₂ᵗ)
///   θ ← θ - lr · λ · θ - lr · m̂ / (√v̂ + ε)
/// The decay is applied to θ directly, not added to the gradient, so it is not rescaled
/// by Adam's per-coordinate step size (that is the "W" in AdamW).
public final class AdamW {
    public var groups: [ParameterGroup]
    /// Learning rate (η). Schedules set it before each step.
    public var learningRate: Float
    /// β₁: decay of the gradient's running mean; usually 0.9.
    public var beta1: Float
    /// β₂: decay of the squared gradient's running mean; 0.95-0.999.
    public var beta2: Float
    /// ε: keeps the step finite where v̂ ≈ 0; usually 1e-8.
    public var epsilon: Float
    public private(set) var step = 0
    private var firstMoments: [ObjectIdentifier: [Float]] = [:]
    private var secondMoments: [ObjectIdentifier: [Float]] = [:]

    public init(groups: [ParameterGroup], learningRate: Float = 3e-4, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.groups = groups
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public convenience init(parameters: [Tensor], learningRate: Float = 3e-4, weightDecay: Float = 0.01,
                            beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.init(groups: [ParameterGroup(parameters, weightDecay: weightDecay)], learningRate: learningRate,
                  beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    /// Every parameter the optimizer updates.
    public var parameters: [Tensor] { groups.flatMap(\.parameters) }

    /// One update from the gradients now held by the parameters (those without a gradient
    /// are left alone, as PyTorch does).
    public func update() {
        step += 1
        let t = Float(step)
        let correction1 = 1 - Foundation.pow(beta1, t)
        let correction2 = 1 - Foundation.pow(beta2, t)
        let (lr, b1, b2, eps) = (learningRate, beta1, beta2, epsilon)
        for group in groups {
            let decay = 1 - lr * group.weightDecay
            for p in group.parameters where !p.grad.isEmpty {
                let id = ObjectIdentifier(p)
                var m = firstMoments[id] ?? [Float](repeating: 0, count: p.count)
                var v = secondMoments[id] ?? [Float](repeating: 0, count: p.count)
                let n = p.count
                p.data.withUnsafeMutableBufferPointer { theta in
                    p.grad.withUnsafeBufferPointer { g in
                        m.withUnsafeMutableBufferPointer { pm in
                            v.withUnsafeMutableBufferPointer { pv in
                                Parallel.forEachChunk(n, cost: 12) { range in
                                    for i in range {
                                        let gi = g[i]
                                        pm[i] = b1 * pm[i] + (1 - b1) * gi
                                        pv[i] = b2 * pv[i] + (1 - b2) * gi * gi
                                        let mHat = pm[i] / correction1
                                        let vHat = pv[i] / correction2
                                        theta[i] = theta[i] * decay - lr * mHat / (vHat.squareRoot() + eps)
                                    }
                                }
                            }
                        }
                    }
                }
                firstMoments[id] = m
                secondMoments[id] = v
            }
        }
    }

    /// Clears every parameter's gradient before the next backward pass.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}
