import Foundation

/// Linear warmup from 0 to the peak rate, then a decay to `minimum` by `totalSteps`.
///
/// Warmup keeps Adam's first steps, taken while its moment estimates are still poor,
/// small; the decay lets training settle into a minimum at the end.
public struct LearningRateSchedule: Sendable {
    public enum Decay: Sendable {
        /// η = min + ½ (peak - min)(1 + cos(π · progress))
        case cosine
        /// η = peak - (peak - min) · progress
        case linear
        /// η = peak after warmup
        case constant
    }

    public var peak: Float
    public var minimum: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var decay: Decay

    public init(peak: Float, minimum: Float = 0, warmupSteps: Int, totalSteps: Int, decay: Decay = .cosine) {
        precondition(totalSteps > 0 && warmupSteps >= 0, "LearningRateSchedule needs totalSteps > 0 and warmupSteps ≥ 0")
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.decay = decay
    }

    /// The rate for step `step` (0-based).
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let span = max(totalSteps - warmupSteps, 1)
        let progress = min(Float(step - warmupSteps) / Float(span), 1)
        switch decay {
        case .cosine: return minimum + 0.5 * (peak - minimum) * (1 + Foundation.cos(Float.pi * progress))
        case .linear: return peak - (peak - minimum) * progress
        case .constant: return peak
        }
    }
}
