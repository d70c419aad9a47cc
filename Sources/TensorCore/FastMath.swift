/// Vectorized exp and tanh for the hot loops (softmax, attention, GELU), eight lanes at a
/// time. The C library's expf and tanhf are correct but one element per call; these reach
/// the same accuracy for the ranges the course uses at several times the speed.
///
/// exp(x), Cephes' single-precision method: write x = n·ln2 + r with n an integer and
/// |r| ≤ ½ln2, so that eˣ = 2ⁿ · eʳ; eʳ is a degree-7 polynomial (1 + r + r²·p(r), relative
/// error below 2e-7 on that interval) and 2ⁿ is built directly in the exponent bits.
/// ln2 is split into a part exact in Float and a tiny remainder (Cody-Waite), so r keeps full
/// precision. Inputs below -87 give 0 (eˣ < 1.7e-38 there, below Float's normal range) and
/// inputs above 88 give +∞; NaN stays NaN.
@usableFromInline typealias Float8 = SIMD8<Float>

@inline(__always) @usableFromInline
func exp8(_ x: Float8) -> Float8 {
    // (Comparisons and selects rather than pointwiseMin/Max, which do not inline.)
    var clamped = x.replacing(with: 88, where: x .> 88)
    clamped.replace(with: -87, where: clamped .< -87)
    // Adding 1.5·2²³ rounds x·log₂e to the nearest integer n, which then sits in the low
    // bits of t's pattern: bits(t) = bits(1.5·2²³) + n.
    let magic = Float8(repeating: 12_582_912)
    let t = clamped * 1.442_695_04 + magic
    let n = t - magic
    var r = clamped - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    var p = Float8(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    let er = p * (r * r) + r + 1
    let exponent = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    var y = er * unsafeBitCast(exponent, to: Float8.self)
    y.replace(with: 0, where: x .< -87)
    y.replace(with: .infinity, where: x .> 88)
    y.replace(with: x, where: x .!= x)
    return y
}

/// tanh(x) = 1 - 2 / (e^{2x} + 1): exact limits ±1, absolute error about 1e-7 (relative
/// error grows only where |tanh x| is itself below 1e-3, which GELU does not notice).
@inline(__always) @usableFromInline
func tanh8(_ x: Float8) -> Float8 {
    1 - 2 / (exp8(x + x) + 1)
}

/// Loads `count` (< 8) elements into the first lanes and `fill` into the rest.
@inline(__always) @usableFromInline
func loadPartial(_ p: UnsafePointer<Float>, _ count: Int, fill: Float) -> Float8 {
    var v = Float8(repeating: fill)
    for i in 0..<count { v[i] = p[i] }
    return v
}

@inline(__always) @usableFromInline
func storePartial(_ v: Float8, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    for i in 0..<count { p[i] = v[i] }
}

@inline(__always) @usableFromInline
func load8(_ p: UnsafePointer<Float>) -> Float8 {
    UnsafeRawPointer(p).loadUnaligned(as: Float8.self)
}

@inline(__always) @usableFromInline
func store8(_ v: Float8, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Float8.self)
}

/// Row kernels shared by the softmax family and attention.
enum RowKernels {
    /// max_j x_j over a row (−∞ for an empty row).
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var m8 = Float8(repeating: -.infinity)
        var j = 0
        while j + 8 <= n {
            let v = load8(x + j)
            m8.replace(with: v, where: v .> m8)
            j += 8
        }
        if j < n {
            let v = loadPartial(x + j, n - j, fill: -.infinity)
            m8.replace(with: v, where: v .> m8)
        }
        return m8.max()
    }

    /// y_j = e^{x_j - m} for the row, returning Σ_j y_j (y may be x, in place).
    @inline(__always)
    static func expShifted(_ x: UnsafePointer<Float>, minus m: Float, into y: UnsafeMutablePointer<Float>, _ n: Int) -> Float {
        var s8 = Float8(repeating: 0)
        var j = 0
        while j + 8 <= n {
            let e = exp8(load8(x + j) - m)
            store8(e, y + j)
            s8 += e
            j += 8
        }
        if j < n {
            let e = exp8(loadPartial(x + j, n - j, fill: -.infinity) - m)
            storePartial(e, y + j, n - j)
            s8 += e
        }
        return s8.sum()
    }

    /// Σ_j e^{x_j - m} without storing anything.
    @inline(__always)
    static func sumExpShifted(_ x: UnsafePointer<Float>, minus m: Float, _ n: Int) -> Float {
        var s8 = Float8(repeating: 0)
        var j = 0
        while j + 8 <= n { s8 += exp8(load8(x + j) - m); j += 8 }
        if j < n { s8 += exp8(loadPartial(x + j, n - j, fill: -.infinity) - m) }
        return s8.sum()
    }

    /// y_j = x_j · c over a row (in place when y is x).
    @inline(__always)
    static func scale(_ x: UnsafePointer<Float>, by c: Float, into y: UnsafeMutablePointer<Float>, _ n: Int) {
        var j = 0
        while j + 8 <= n { store8(load8(x + j) * c, y + j); j += 8 }
        while j < n { y[j] = x[j] * c; j += 1 }
    }

    /// Σ_j x_j.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var s8 = Float8(repeating: 0)
        var j = 0
        while j + 8 <= n { s8 += load8(x + j); j += 8 }
        var s = s8.sum()
        while j < n { s += x[j]; j += 1 }
        return s
    }

    /// Σ_j (x_j - c)².
    @inline(__always)
    static func sumOfSquaredDeviations(_ x: UnsafePointer<Float>, from c: Float, _ n: Int) -> Float {
        var s8 = Float8(repeating: 0)
        var j = 0
        while j + 8 <= n { let d = load8(x + j) - c; s8 += d * d; j += 8 }
        var s = s8.sum()
        while j < n { let d = x[j] - c; s += d * d; j += 1 }
        return s
    }

    /// Σ_j a_j · b_j.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s8 = Float8(repeating: 0)
        var j = 0
        while j + 8 <= n { s8 += load8(a + j) * load8(b + j); j += 8 }
        var s = s8.sum()
        while j < n { s += a[j] * b[j]; j += 1 }
        return s
    }
}
