import Foundation

/// Rotary position embedding (RoPE; Su et al., 2021) on the queries and keys of a packed
/// attention projection qkv [B, T, 3C] = [q | k | v], C = H · D.
///
/// Within each head, dimension i < D/2 is paired with dimension i + D/2 (the "rotate
/// half" layout of GPT-NeoX and Llama), and the pair at position p is turned by the angle
/// p · θ_i, with θ_i = base^(−2i/D):
///
///     (x_i, x_{i+D/2})  ->  (x_i cos pθ_i − x_{i+D/2} sin pθ_i,  x_i sin pθ_i + x_{i+D/2} cos pθ_i)
///
/// A rotation by p and one by p' meet in the dot product q·k as one rotation by p − p', so
/// the attention score depends on how far apart two tokens are, not where they stand.
/// That is the point: "the token just before me" is the same direction at every position,
/// and the attention patterns that copy from earlier in the context (a head that looks one
/// token back, and the head that uses it to find what followed an earlier occurrence of
/// the current token) need no table of positions to be learned first.
///
/// The values are not rotated. `positions` gives each of the B·T rows its position (row
/// b·T + t), so left-padded rows start their real tokens at 0. Backward turns the incoming
/// gradient by the opposite angle: a rotation's inverse is its transpose.
public func rotaryPositions(_ qkv: Tensor, heads: Int, positions: [Int], base: Double = 10_000) -> Tensor {
    precondition(qkv.rank == 3 && qkv.shape[2] % (3 * heads) == 0,
                 "rotaryPositions: qkv must be [batch, time, 3·width] with width divisible by \(heads) heads, got \(qkv.shape)")
    return rotaryPositions(qkv, heads: heads, angles: RotaryAngles(headWidth: qkv.shape[2] / (3 * heads), positions: positions, base: base))
}

/// The same, with the angles computed once for all layers of a forward pass.
public func rotaryPositions(_ qkv: Tensor, heads: Int, angles: RotaryAngles) -> Tensor {
    let rows = qkv.rank == 3 ? qkv.shape[0] * qkv.shape[1] : 0, packed = qkv.shape.last ?? 0
    precondition(qkv.rank == 3 && packed == 3 * heads * angles.headWidth,
                 "rotaryPositions: qkv must be [batch, time, 3·\(heads)·\(angles.headWidth)], got \(qkv.shape)")
    precondition(angles.cosines.count == rows * angles.headWidth / 2,
                 "rotaryPositions: \(rows) rows need \(rows) positions, got \(angles.cosines.count / max(angles.headWidth / 2, 1))")
    let out = qkv.data.withUnsafeBufferPointer { source in
        uninitializedFloats(rows * packed) { destination in
            destination.baseAddress!.update(from: source.baseAddress!, count: rows * packed)
            angles.rotate(destination.baseAddress!, rows: rows, packed: packed, heads: heads, inverse: false)
        }
    }
    return Tensor(shape: qkv.shape, data: out, parents: [qkv]) { y in
        var turned = y.grad
        turned.withUnsafeMutableBufferPointer {
            angles.rotate($0.baseAddress!, rows: rows, packed: packed, heads: heads, inverse: true)
        }
        qkv.accumulateGrad { g in
            for j in 0..<(rows * packed) { g[j] += turned[j] }
        }
    }
}

/// cos and sin of p · θ_i for every row's position p and every pair i < D/2 of a head.
public struct RotaryAngles: Sendable {
    public let headWidth: Int
    /// [rows, D/2] each.
    public let cosines: [Float], sines: [Float]

    public init(headWidth: Int, positions: [Int], base: Double = 10_000) {
        precondition(headWidth > 0 && headWidth % 2 == 0, "RotaryAngles: the head width must be even, not \(headWidth)")
        self.headWidth = headWidth
        let half = headWidth / 2
        let frequencies = (0..<half).map { pow(base, -Double(2 * $0) / Double(headWidth)) }
        var cosines = [Float](repeating: 0, count: positions.count * half), sines = cosines
        for (r, p) in positions.enumerated() {
            for i in 0..<half {
                let angle = Double(p) * frequencies[i]
                cosines[r * half + i] = Float(cos(angle))
                sines[r * half + i] = Float(sin(angle))
            }
        }
        self.cosines = cosines
        self.sines = sines
    }

    /// Turns the q and k parts of `rows` packed rows in place, by +angle or, with
    /// `inverse`, by −angle. Row r's q starts at r · packed, its k at r · packed + C.
    public func rotate(_ x: UnsafeMutablePointer<Float>, rows: Int, packed: Int, heads: Int, inverse: Bool) {
        let half = headWidth / 2, width = heads * headWidth
        let direction: Float = inverse ? -1 : 1
        for r in 0..<rows {
            let c = r * half
            for part in 0..<2 {
                for h in 0..<heads {
                    let head = x + r * packed + part * width + h * headWidth
                    for i in 0..<half {
                        let (cosine, sine) = (cosines[c + i], direction * sines[c + i])
                        let (a, b) = (head[i], head[i + half])
                        head[i] = a * cosine - b * sine
                        head[i + half] = a * sine + b * cosine
                    }
                }
            }
        }
    }
}
