import Foundation
import LanguageModel
import TensorCore

/// Trust Region Policy Optimization (Schulman et al., 2015) for a language-model policy:
/// the Fisher-vector product, conjugate gradient and the backtracking line search under a
/// KL limit. Chapter 05 puts them together.

/// The Fisher information matrix of the policy on a batch of states, applied to vectors:
///
///     F = (1/N) Σ_s Jₛᵀ (diag(pₛ) − pₛ pₛᵀ) Jₛ,
///
/// where pₛ is the policy's next-token distribution at state s (exactly, over the whole
/// vocabulary), Jₛ = ∂ logitsₛ / ∂θ the Jacobian of its logits with respect to the trained
/// parameters θ, and N the number of states. diag(p) − ppᵀ is the Hessian of log-sum-exp,
/// the covariance of the one-hot token under p; F is also the Hessian at θ_old of the
/// mean KL(π_old(·|s) ‖ π_θ(·|s)), which is why a quadratic model of the KL is ½ Δθᵀ F Δθ.
///
/// The autodiff differentiates once, so F v is built from pieces it has:
/// 1. J v, the change of the logits along v, by a central difference
///    (logits(θ + εv) − logits(θ − εv)) / 2ε: two forward passes, error O(ε²) from the
///    logits' curvature plus the rounding of float32 logits divided by 2ε;
/// 2. u = (diag(p) − ppᵀ) J v = p ⊙ (Jv − ⟨p, Jv⟩) at each state, exactly;
/// 3. Jᵀ u by one backward pass from the loss (1/N) Σ_s ⟨u_s, logits_s⟩ at θ.
/// ε is `step` / ‖v‖, so the parameters move by `step` in norm whatever v's length.
/// The product is exactly symmetric and positive semi-definite in the limit ε → 0; the
/// tests measure how close float32 comes (see TRPOTests'
/// testFisherVectorProductMatchesTheExplicitFisherAndIsSymmetricPSD).
public final class FisherVectorProduct {
    public let model: GPT
    public let theta: ParameterVector
    public let batch: RolloutBatch
    /// λ in (F + λI) v: keeps the solve well posed where F is nearly singular (TRPO uses 0.1).
    public let damping: Float
    /// The norm of the parameter perturbation of the central difference.
    public let step: Double
    /// p at every kept state, [states, V], and the kept states' (row, column) indices.
    let probabilities: [Float]
    let keptRows: [Int]
    public var stateCount: Int { keptRows.count }
    /// How many products have been computed (each costs three forward passes and a backward one).
    public private(set) var products = 0

    /// Caches π_old at every response state of `batch`; `theta` must be the model's trained
    /// parameters (the LoRA adapter).
    public init(model: GPT, parameters: ParameterVector, batch: RolloutBatch, damping: Float = 0.1, step: Double = 1e-2) {
        self.model = model
        self.theta = parameters
        self.batch = batch
        self.damping = damping
        self.step = step
        let V = model.config.vocabularySize
        let logits = Autograd.withoutGradients { model.policyForward(batch).logits.data }
        var kept: [Int] = [], p: [Float] = []
        for r in 0..<(batch.rows * batch.responseLength) where batch.responseMask[r] != 0 {
            kept.append(r)
            p += softmaxRow(logits, row: r, width: V)
        }
        self.keptRows = kept
        self.probabilities = p
    }

    /// The logits of the kept states [states · V], flattened, at the current parameters.
    func keptLogits() -> [Float] {
        let V = model.config.vocabularySize
        let all = Autograd.withoutGradients { model.policyForward(batch).logits.data }
        var out = [Float](repeating: 0, count: keptRows.count * V)
        for (k, r) in keptRows.enumerated() {
            for v in 0..<V { out[k * V + v] = all[r * V + v] }
        }
        return out
    }

    /// (F + λI) v: the damped product conjugate gradient solves with.
    public func callAsFunction(_ v: [Float]) -> [Float] {
        axpy(damping, v, undamped(v))
    }

    /// F v, without the damping: the curvature of the KL itself, ½ vᵀ F v being the
    /// quadratic model of the mean KL after a step v. The damping λ only makes the solve
    /// F x = g well posed; the trust region limits the KL, so the step is sized with this.
    public func undamped(_ v: [Float]) -> [Float] {
        precondition(v.count == theta.count, "FisherVectorProduct: \(v.count) values for \(theta.count) parameters")
        products += 1
        let length = norm(v)
        guard length > 0 else { return [Float](repeating: 0, count: v.count) }
        let epsilon = Float(step / length)
        let V = model.config.vocabularySize
        // 1. J v by a central difference of the logits.
        let start = theta.values()
        theta.add(v, scale: epsilon)
        let plus = keptLogits()
        theta.assign(start)
        theta.add(v, scale: -epsilon)
        let minus = keptLogits()
        theta.assign(start)
        // 2. u = p ⊙ (Jv − ⟨p, Jv⟩) per state, divided by N for the mean.
        let n = Double(keptRows.count)
        var u = [Float](repeating: 0, count: batch.rows * batch.responseLength * V)
        for (k, r) in keptRows.enumerated() {
            var jv = [Double](repeating: 0, count: V)
            var mean = 0.0
            for t in 0..<V {
                jv[t] = (Double(plus[k * V + t]) - Double(minus[k * V + t])) / (2 * Double(epsilon))
                mean += Double(probabilities[k * V + t]) * jv[t]
            }
            for t in 0..<V { u[r * V + t] = Float(Double(probabilities[k * V + t]) * (jv[t] - mean) / n) }
        }
        // 3. Jᵀ u by one backward pass from ⟨u, logits⟩.
        theta.zeroGradients()
        let logits = model.policyForward(batch).logits
        sum(logits * Tensor(shape: logits.shape, data: u)).backward()
        let product = theta.gradients()
        theta.zeroGradients()
        return product
    }
}

/// softmax of one row of a flat [rows, width] buffer.
func softmaxRow(_ logits: [Float], row: Int, width: Int) -> [Float] {
    logSoftmaxRow(logits, row: row, width: width).map { Foundation.exp($0) }
}

/// What conjugate gradient found: x ≈ A⁻¹ b, and ‖b − A x_k‖ after each iteration k
/// (index 0 is ‖b‖, the residual of x₀ = 0).
public struct ConjugateGradientResult {
    public let solution: [Float]
    public let residualNorms: [Double]
}

/// Conjugate gradient (Hestenes and Stiefel, 1952) for A x = b with A symmetric positive
/// definite, given only the product v ↦ A v: from x₀ = 0, `iterations` steps, each one
/// product. In exact arithmetic it solves an n-dimensional system in n steps; TRPO stops
/// after about 10, which already points x close to A⁻¹ b along the directions where A is
/// large, the ones that matter for the step. It never forms or inverts A (for the policy's
/// Fisher, n × n with n the number of trained weights: too large to build, let alone invert).
public func conjugateGradient(_ multiply: ([Float]) -> [Float], _ b: [Float], iterations: Int,
                              tolerance: Double = 1e-10) -> ConjugateGradientResult {
    var x = [Float](repeating: 0, count: b.count)
    var r = b, p = b
    var rr = dot(r, r)
    var history = [rr.squareRoot()]
    for _ in 0..<iterations {
        if rr.squareRoot() <= tolerance { break }
        let ap = multiply(p)
        let pap = dot(p, ap)
        guard pap > 0 else { break }
        let alpha = Float(rr / pap)
        x = axpy(alpha, p, x)
        r = axpy(-alpha, ap, r)
        let next = dot(r, r)
        history.append(next.squareRoot())
        p = axpy(Float(next / rr), p, r)
        rr = next
    }
    return ConjugateGradientResult(solution: x, residualNorms: history)
}

/// What the line search did.
public struct LineSearchResult: Sendable {
    /// True when a candidate was accepted; false leaves the parameters as they were.
    public let accepted: Bool
    /// The fraction of the full step taken (0.8^k for k backtracks), 0 when none was accepted.
    public let stepFraction: Double
    /// Backtracks before the accepted candidate (all tries when none was), and why: the
    /// candidates refused for a KL above the limit, and those refused for no surrogate gain.
    public let backtracks: Int
    public let klRefusals: Int
    public let gainRefusals: Int
    /// The surrogate gain and the KL of the accepted candidate (of the last one tried if none).
    public let surrogateGain: Double
    public let kl: Double
    /// The KL measured at the full step, the first candidate: against δ, how far the
    /// quadratic model that sized the step was from the real KL.
    public let fullStepKL: Double
}

/// TRPO's backtracking line search: from θ_old, try θ_old + shrink^k · fullStep for
/// k = 0, 1, ... (at most `maxTries`), and accept the first candidate whose surrogate gain
/// is positive and whose KL is at most `maxKL`; `evaluate` measures both at the
/// parameters as they are. With no candidate accepted the parameters are put back.
/// The quadratic model behind the full step is only a model: the line search is what makes
/// the KL limit hold for the real policy.
public func backtrackingLineSearch(theta: ParameterVector, fullStep: [Float], maxKL: Double, shrink: Double = 0.8,
                                   maxTries: Int = 10, evaluate: () -> (surrogateGain: Double, kl: Double)) -> LineSearchResult {
    let start = theta.values()
    var last = (surrogateGain: 0.0, kl: 0.0)
    var (klRefusals, gainRefusals, fullStepKL) = (0, 0, 0.0)
    for k in 0..<maxTries {
        let fraction = pow(shrink, Double(k))
        theta.assign(start)
        theta.add(fullStep, scale: Float(fraction))
        last = evaluate()
        if k == 0 { fullStepKL = last.kl }
        if last.surrogateGain > 0 && last.kl <= maxKL {
            return LineSearchResult(accepted: true, stepFraction: fraction, backtracks: k, klRefusals: klRefusals,
                                    gainRefusals: gainRefusals, surrogateGain: last.surrogateGain, kl: last.kl,
                                    fullStepKL: fullStepKL)
        }
        if last.kl > maxKL { klRefusals += 1 } else { gainRefusals += 1 }
    }
    theta.assign(start)
    return LineSearchResult(accepted: false, stepFraction: 0, backtracks: maxTries, klRefusals: klRefusals,
                            gainRefusals: gainRefusals, surrogateGain: last.surrogateGain, kl: last.kl,
                            fullStepKL: fullStepKL)
}

/// The natural-gradient step of TRPO from the policy gradient g and the CG solution
/// x ≈ (F + λI)⁻¹ g: the largest step along x whose quadratic KL, ½ β² xᵀ F x, equals δ:
/// β = √(2δ / xᵀ F x). Returns β x and the predicted surrogate gain gᵀ β x.
///
/// `fisherDirection` is F x with the undamped Fisher (``FisherVectorProduct/undamped(_:)``).
/// Sizing with the damped curvature xᵀ (F + λI) x = xᵀ F x + λ‖x‖² instead, as TRPO's
/// reference code does, gives a step whose quadratic KL is δ · xᵀFx / (xᵀFx + λ‖x‖²):
/// harmless where F is large against λ, a fraction of δ where it is not.
public func naturalGradientStep(gradient: [Float], direction: [Float], fisherDirection: [Float], maxKL: Double)
    -> (step: [Float], predictedGain: Double) {
    let curvature = dot(direction, fisherDirection)
    guard curvature > 0 else { return ([Float](repeating: 0, count: direction.count), 0) }
    let beta = (2 * maxKL / curvature).squareRoot()
    return (direction.map { $0 * Float(beta) }, beta * dot(gradient, direction))
}
