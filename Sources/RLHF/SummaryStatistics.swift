/// The summaries chapters print for repeated measurements (seeds, prompts, samples): a
/// result is a mean with its spread, and a comparison is only as good as its standard
/// error. Kept here once so that every chapter computes them the same way.

/// The arithmetic mean; 0 for no values.
public func mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
}

/// The sample standard deviation √(Σ(x − x̄)² / (n − 1)): the spread of one measurement.
/// 0 for fewer than two values, which have no spread to estimate.
public func standardDeviation(_ values: [Double]) -> Double {
    guard values.count >= 2 else { return 0 }
    let m = mean(values)
    return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
}

/// The standard error of the mean, s / √n: how far the mean of these n values is likely
/// to be from the mean of many more. Two means that differ by a few standard errors of
/// their difference differ for real.
public func standardError(_ values: [Double]) -> Double {
    standardDeviation(values) / Double(max(values.count, 1)).squareRoot()
}
