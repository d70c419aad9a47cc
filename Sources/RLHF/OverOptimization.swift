import Foundation

/// The functional forms Gao et al. (2023) fit to the gold reward of policies optimized
/// against a proxy reward model, as functions of d = √KL(π ‖ π_init):
///
///     best-of-N:  R(d) = d (α − β d)
///     RL:         R(d) = d (α − β log d)
///
/// R is the gold gain over the initial policy. Both rise from 0, peak and fall: the proxy
/// keeps improving while the truth, past some distance, gets worse. Both are linear in
/// (α, β), so least squares has a closed form.
public enum OverOptimizationFit: String, Sendable {
    case bestOfN = "best-of-N"
    case reinforcementLearning = "RL"

    /// The two features multiplying α and −β at distance d.
    func features(_ d: Double) -> (Double, Double) {
        switch self {
        case .bestOfN: return (d, d * d)
        case .reinforcementLearning: return (d, d > 0 ? d * Foundation.log(d) : 0)
        }
    }

    /// R(d) for fitted coefficients.
    public func value(_ d: Double, alpha: Double, beta: Double) -> Double {
        let (f, g) = features(d)
        return alpha * f - beta * g
    }

    /// Least-squares α and β for gains `gain` at distances `d` (the normal equations of
    /// gain ≈ α f(d) − β g(d)); nil when the points cannot determine both.
    public func fit(d: [Double], gain: [Double]) -> (alpha: Double, beta: Double)? {
        precondition(d.count == gain.count, "OverOptimizationFit: \(d.count) distances for \(gain.count) gains")
        var (ff, fg, gg, fy, gy) = (0.0, 0.0, 0.0, 0.0, 0.0)
        for (x, y) in zip(d, gain) {
            let (f, g) = features(x)
            ff += f * f; fg += f * g; gg += g * g; fy += f * y; gy += g * y
        }
        let determinant = ff * gg - fg * fg
        guard abs(determinant) > 1e-12 * max(ff * gg, 1e-300) else { return nil }
        // Solve [ff fg; fg gg] [α; −β] = [fy; gy].
        let alpha = (gg * fy - fg * gy) / determinant
        let minusBeta = (ff * gy - fg * fy) / determinant
        return (alpha, -minusBeta)
    }
}
