/// Reductions over the positions a mask keeps (mask = 1 for response tokens, 0 for prompt
/// and padding), with the names and conventions of TRL's PPO code, from which most RLHF
/// implementations descend. The mask is a constant: gradients flow to `x` only.

/// Σ x·mask, over everything or over one axis.
public func maskedSum(_ x: Tensor, mask: Tensor, axis: Int? = nil) -> Tensor {
    precondition(x.shape == mask.shape, "maskedSum: values \(x.shape) and mask \(mask.shape) differ")
    let kept = x * mask.detached()
    return axis.map { sum(kept, axis: $0) } ?? sum(kept)
}

/// Σ x·mask / Σ mask: the mean over kept positions only (per row when `axis` is given).
public func maskedMean(_ x: Tensor, mask: Tensor, axis: Int? = nil) -> Tensor {
    precondition(x.shape == mask.shape, "maskedMean: values \(x.shape) and mask \(mask.shape) differ")
    let m = mask.detached()
    if let axis {
        let counts = sum(m, axis: axis)
        precondition(counts.data.allSatisfy { $0 > 0 }, "maskedMean: a row of the mask keeps no position")
        return sum(x * m, axis: axis) / counts
    }
    let count = m.data.reduce(0, +)
    precondition(count > 0, "maskedMean: the mask keeps no position")
    return sum(x * m) * (1 / count)
}

/// Variance over kept positions, Var = mean((x - mean(x))²); with `unbiased` it is scaled by
/// n / (n - 1) (Bessel's correction), as TRL does when whitening advantages.
public func maskedVariance(_ x: Tensor, mask: Tensor, unbiased: Bool = true) -> Tensor {
    let mu = maskedMean(x, mask: mask)
    let variance = maskedMean(square(x - mu), mask: mask)
    guard unbiased else { return variance }
    let n = mask.data.reduce(0, +)
    precondition(n > 1, "maskedVariance: Bessel's correction needs at least two kept positions, got \(n)")
    return variance * (n / (n - 1))
}

/// Whitening over kept positions: (x - mean) / sqrt(var + 1e-8). With `shiftMean: false`
/// the mean is added back, so only the scale changes (TRL whitens rewards this way).
public func maskedWhiten(_ x: Tensor, mask: Tensor, shiftMean: Bool = true) -> Tensor {
    let mu = maskedMean(x, mask: mask)
    let variance = maskedVariance(x, mask: mask)
    let whitened = (x - mu) / sqrt(variance + 1e-8)
    return shiftMean ? whitened : whitened + mu
}
