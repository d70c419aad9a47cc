/// Stochastic gradient descent with (heavy-ball) momentum, as PyTorch defines it:
///   b ← μ b + g   (b = g on the first step),   θ ← θ - lr · b.
/// The plain policy-gradient experiments use it: its step is exactly lr times the gradient,
/// which makes "the step size is too large" easy to see.
public final class SGD {
    public var parameters: [Tensor]
    public var learningRate: Float
    /// μ: 0 for plain SGD, usually 0.9 otherwise.
    public var momentum: Float
    private var buffers: [ObjectIdentifier: [Float]] = [:]

    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
    }

    public func update() {
        for p in parameters where !p.grad.isEmpty {
            var step = p.grad
            if momentum != 0 {
                let id = ObjectIdentifier(p)
                if var buffer = buffers[id] {
                    for i in 0..<buffer.count { buffer[i] = momentum * buffer[i] + step[i] }
                    buffers[id] = buffer
                    step = buffer
                } else {
                    buffers[id] = step
                }
            }
            let lr = learningRate
            p.data.withUnsafeMutableBufferPointer { theta in
                for i in 0..<theta.count { theta[i] -= lr * step[i] }
            }
        }
    }

    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}

/// Scales all gradients together so that their global L2 norm is at most `maxNorm`, and
/// returns the norm before clipping (worth logging: spikes show instability early).
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters where !p.grad.isEmpty {
        p.grad.withUnsafeBufferPointer { g in
            var s: Float = 0
            for x in g { s += x * x }
            total += Double(s)
        }
    }
    let norm = Float(total.squareRoot())
    if norm > maxNorm && norm > 0 {
        let scale = maxNorm / (norm + 1e-6)
        for p in parameters where !p.grad.isEmpty {
            p.grad.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= scale } }
        }
    }
    return norm
}
