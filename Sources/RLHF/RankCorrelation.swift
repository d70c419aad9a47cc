/// Spearman's rank correlation ρ: the Pearson correlation of the ranks of x and of y.
/// It asks only whether the two orderings agree, which is all a reward model is trained
/// to get right (Bradley-Terry sees reward differences, not the scale). Tied values get
/// the mean of the ranks they span. Returns 0 when either side is constant.
public func spearmanCorrelation(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count && x.count >= 2, "spearmanCorrelation: needs two equal-length lists of at least 2 values")
    return pearsonCorrelation(ranks(x), ranks(y))
}

/// Pearson's correlation Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²); 0 when either side is constant.
public func pearsonCorrelation(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count && !x.isEmpty, "pearsonCorrelation: needs two equal-length, non-empty lists")
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in zip(x, y) {
        sxy += (a - mx) * (b - my)
        sxx += (a - mx) * (a - mx)
        syy += (b - my) * (b - my)
    }
    return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
}

/// Ranks 1...n, ties sharing the mean of their ranks: ranks([10, 30, 20, 30]) = [1, 3.5, 2, 3.5].
func ranks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var result = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        var end = start
        while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
        let shared = Double(start + end) / 2 + 1
        for i in start...end { result[order[i]] = shared }
        start = end + 1
    }
    return result
}
