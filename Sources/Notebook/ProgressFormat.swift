import Foundation

/// The small text formats of progress lines and result tables, kept pure so they are tested.
public enum ProgressFormat {
    /// A duration as a person reads it: `"0.4s"`, `"42s"`, `"1m05s"`, `"2h03m"`.
    /// Under ten seconds one decimal is kept; negative or non-finite values print as `"--"`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        if seconds < 9.95 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
    }

    /// A rate with a metric prefix and three significant digits:
    /// `rate(12_345, unit: "tok/s")` is `"12.3k tok/s"`, `rate(850, ...)` is `"850 tok/s"`,
    /// `rate(2_500_000, ...)` is `"2.50M tok/s"`.
    public static func rate(_ perSecond: Double, unit: String) -> String {
        guard perSecond.isFinite, perSecond >= 0 else { return "-- \(unit)" }
        let prefixes: [(Double, String)] = [(1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (scale, prefix) in prefixes where perSecond >= scale * 0.9995 {
            return "\(threeSignificant(perSecond / scale))\(prefix) \(unit)"
        }
        return "\(threeSignificant(perSecond)) \(unit)"
    }

    /// A number with three significant digits and no exponent, for values in [0, 1000).
    static func threeSignificant(_ x: Double) -> String {
        if x >= 99.95 { return String(format: "%.0f", x) }
        if x >= 9.995 { return String(format: "%.1f", x) }
        return String(format: "%.2f", x)
    }

    /// A scalar (a loss, a reward, a KL) with four significant digits:
    /// `2.3456`, `0.01235`, `1235`, and an exponent only when very small or very large
    /// (`1.2e-05`, `3.4e+07`). Integers print without a decimal point.
    public static func scalar(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        if x == x.rounded(), abs(x) < 1e7 { return String(Int(x)) }
        let magnitude = abs(x)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            let digitsBeforePoint = magnitude >= 1 ? Int(log10(magnitude)) + 1 : 0
            let decimals = max(0, 4 - digitsBeforePoint + (magnitude < 1 ? -Int(floor(log10(magnitude))) - 1 : 0))
            var text = String(format: "%.\(decimals)f", x)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text
        }
        return String(format: "%.3g", x)
    }
}
