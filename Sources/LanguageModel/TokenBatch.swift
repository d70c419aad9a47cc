/// A batch of token rows, all of one length T, with what the model needs to ignore
/// padding: an attention mask and the position of each token.
///
/// Rows of different lengths are padded on the right (training, scoring) or on the left
/// (generation, so that every row's last token sits in the last column). With left
/// padding the position ids count real tokens only, so a row's first real token is at
/// position 0 however much padding precedes it; the model then computes exactly what it
/// would for the row alone.
public struct TokenBatch: Equatable, Sendable {
    /// Which end of a short row the padding goes.
    public enum Padding: Sendable {
        case left, right
    }

    /// Token ids [B·T], row-major.
    public var ids: [Int]
    /// B: the number of rows.
    public let batch: Int
    /// T: the length of every row, padding included.
    public let time: Int
    /// [B·T]: 1 for a real token, 0 for padding; nil when every token is real.
    public var attentionMask: [Float]?
    /// [B·T]: the position of each token (the row of `wpe` it reads); nil means 0..<T in
    /// every row.
    public var positionIds: [Int]?

    public init(ids: [Int], batch: Int, time: Int, attentionMask: [Float]? = nil, positionIds: [Int]? = nil) {
        precondition(ids.count == batch * time, "TokenBatch: \(ids.count) ids do not fill \(batch) rows of \(time)")
        if let attentionMask { precondition(attentionMask.count == ids.count, "TokenBatch: the attention mask needs \(ids.count) entries") }
        if let positionIds { precondition(positionIds.count == ids.count, "TokenBatch: position ids need \(ids.count) entries") }
        self.ids = ids
        self.batch = batch
        self.time = time
        self.attentionMask = attentionMask
        self.positionIds = positionIds
    }

    /// Pads `rows` to the longest one with `padTokenId` (any valid id: padded positions
    /// are masked out, so the id only has to exist in the vocabulary).
    public init(rows: [[Int]], padding: Padding = .right, padTokenId: Int = 0) {
        precondition(!rows.isEmpty && rows.allSatisfy { !$0.isEmpty }, "TokenBatch: every row needs at least one token")
        let time = rows.map(\.count).max()!
        var ids = [Int](repeating: padTokenId, count: rows.count * time)
        var mask = [Float](repeating: 0, count: rows.count * time)
        var positions = [Int](repeating: 0, count: rows.count * time)
        for (b, row) in rows.enumerated() {
            let start = padding == .left ? time - row.count : 0
            for (i, id) in row.enumerated() {
                ids[b * time + start + i] = id
                mask[b * time + start + i] = 1
                positions[b * time + start + i] = i
            }
            if padding == .right {
                // Padding after the row keeps counting; it is masked, so any position will do.
                for t in row.count..<time { positions[b * time + t] = t }
            }
        }
        let padded = rows.contains { $0.count != time }
        self.init(ids: ids, batch: rows.count, time: time, attentionMask: padded ? mask : nil,
                  positionIds: padded && padding == .left ? positions : nil)
    }

    /// The number of real tokens in row `b`.
    public func length(ofRow b: Int) -> Int {
        guard let mask = attentionMask else { return time }
        var n = 0
        for t in 0..<time where mask[b * time + t] != 0 { n += 1 }
        return n
    }

    /// The column of the last real token of row `b` (the column a reward model reads).
    public func lastRealIndex(ofRow b: Int) -> Int {
        guard let mask = attentionMask else { return time - 1 }
        for t in stride(from: time - 1, through: 0, by: -1) where mask[b * time + t] != 0 { return t }
        preconditionFailure("TokenBatch: row \(b) holds no real token")
    }

    /// The real tokens of row `b`, padding removed.
    public func realTokens(ofRow b: Int) -> [Int] {
        let row = ids[(b * time)..<((b + 1) * time)]
        guard let mask = attentionMask else { return Array(row) }
        return (0..<time).filter { mask[b * time + $0] != 0 }.map { ids[b * time + $0] }
    }

    /// Every position's id into the position table: `positionIds`, or 0..<T per row.
    var resolvedPositionIds: [Int] {
        positionIds ?? (0..<(batch * time)).map { $0 % time }
    }
}
