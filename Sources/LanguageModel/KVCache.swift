import Foundation
import TensorCore

/// Incremental decoding with a key-value cache: the inference-only forward pass that
/// generation runs on.
///
/// A causal transformer's keys and values at position s never change once computed (they
/// depend only on tokens ≤ s), so they are kept and each new token costs one row of work:
/// its own q, k, v and its attention over the cached keys, instead of a forward pass over
/// the whole sequence. Prompts of different lengths are padded on the left, so every row
/// writes its next token into the same cache slot; slots before a row's first real token
/// are never attended to, and positions count real tokens only, so each row gets exactly
/// the numbers it would get alone.
///
/// Everything lives in buffers allocated once (weights copied into one flat buffer, as in
/// llm.c, with a LoRA adapter folded in; the cache [L][B, H, ·, D]; activations for the
/// widest chunk), so a decoding step allocates nothing.
public final class IncrementalDecoder {
    public let config: GPTConfig
    /// B: rows decoded together.
    public let batch: Int
    /// Cache slots per row: the longest prompt plus the tokens to generate.
    public let capacity: Int
    /// Slots filled so far (the same for every row).
    public private(set) var length = 0
    /// Per row: the slot of its first real token (the padding before it is never read).
    public private(set) var firstRealSlot: [Int]

    private let weights: UnsafeMutableBufferPointer<Float>
    private let layout: Layout
    /// Keys stored transposed, [L][B, H, D, capacity], so a query's scores are axpys over
    /// the slots; values [L][B, H, capacity, D].
    private let keys: UnsafeMutableBufferPointer<Float>
    private let values: UnsafeMutableBufferPointer<Float>
    private var scratch: UnsafeMutableBufferPointer<Float>
    private var scratchRows = 0
    /// Next-token logits of each row after the last call, [B, V].
    public private(set) var logits: [Float]

    /// Offsets of each weight in the flat buffer.
    private struct Layout {
        struct Block {
            var norm1Gain = 0, norm1Shift = 0, attention = 0, attentionBias = 0, projection = 0, projectionBias = 0
            var norm2Gain = 0, norm2Shift = 0, expand = 0, expandBias = 0, contract = 0, contractBias = 0
        }
        var tokens = 0, positions = 0, tokensTransposed = 0, finalGain = 0, finalShift = 0
        var blocks: [Block] = []
        var total = 0
    }

    /// A decoder for `batch` rows and up to `capacity` slots, on the model's current
    /// weights (with its active LoRA adapter folded in).
    public init(model: GPT, batch: Int, capacity: Int) {
        let config = model.config
        precondition(batch > 0 && capacity > 0, "IncrementalDecoder needs a positive batch and capacity")
        self.config = config
        self.batch = batch
        self.capacity = capacity
        self.firstRealSlot = [Int](repeating: 0, count: batch)
        let (d, V) = (config.modelWidth, config.vocabularySize)

        var layout = Layout()
        var offset = 0
        func place(_ count: Int) -> Int { defer { offset += count }; return offset }
        layout.tokens = place(V * d)
        layout.positions = place(config.positionEncoding == .learned ? config.contextLength * d : 0)
        layout.tokensTransposed = place(d * V)
        layout.finalGain = place(d)
        layout.finalShift = place(d)
        for _ in 0..<config.layerCount {
            var b = Layout.Block()
            b.norm1Gain = place(d); b.norm1Shift = place(d)
            b.attention = place(d * 3 * d); b.attentionBias = place(3 * d)
            b.projection = place(d * d); b.projectionBias = place(d)
            b.norm2Gain = place(d); b.norm2Shift = place(d)
            b.expand = place(d * 4 * d); b.expandBias = place(4 * d)
            b.contract = place(4 * d * d); b.contractBias = place(d)
            layout.blocks.append(b)
        }
        layout.total = offset
        self.layout = layout
        let flat = UnsafeMutableBufferPointer<Float>.allocate(capacity: layout.total)

        // Copy the weights in, with the adapter's update folded in when one is active.
        let adapted = model.activeAdapter?.effectiveWeights(of: model) ?? [:]
        func copy(_ tensor: Tensor, to offset: Int) {
            let source = adapted[tensor.name] ?? tensor.data
            source.withUnsafeBufferPointer { (flat.baseAddress! + offset).update(from: $0.baseAddress!, count: $0.count) }
        }
        copy(model.tokenEmbedding, to: layout.tokens)
        if let positionEmbedding = model.positionEmbedding { copy(positionEmbedding, to: layout.positions) }
        copy(model.finalNorm.gain, to: layout.finalGain)
        copy(model.finalNorm.shift, to: layout.finalShift)
        let wte = flat.baseAddress! + layout.tokens, wteT = flat.baseAddress! + layout.tokensTransposed
        for v in 0..<V { for j in 0..<d { wteT[j * V + v] = wte[v * d + j] } }
        for (block, b) in zip(model.blocks, layout.blocks) {
            copy(block.norm1.gain, to: b.norm1Gain); copy(block.norm1.shift, to: b.norm1Shift)
            copy(block.attentionWeight, to: b.attention); copy(block.attentionBias, to: b.attentionBias)
            copy(block.attentionProjectionWeight, to: b.projection); copy(block.attentionProjectionBias, to: b.projectionBias)
            copy(block.norm2.gain, to: b.norm2Gain); copy(block.norm2.shift, to: b.norm2Shift)
            copy(block.expandWeight, to: b.expand); copy(block.expandBias, to: b.expandBias)
            copy(block.contractWeight, to: b.contract); copy(block.contractBias, to: b.contractBias)
        }
        weights = flat

        let cacheSize = config.layerCount * batch * d * capacity
        keys = .allocate(capacity: cacheSize)
        values = .allocate(capacity: cacheSize)
        keys.initialize(repeating: 0)
        values.initialize(repeating: 0)
        scratch = .allocate(capacity: 0)
        logits = [Float](repeating: 0, count: batch * V)
    }

    deinit {
        weights.deallocate()
        keys.deallocate()
        values.deallocate()
        scratch.deallocate()
    }

    /// Floats of activation scratch per row: x, LayerNorm output, qkv, attention output,
    /// the 4d MLP activation, and a row of attention scores.
    private var scratchPerRow: Int { 10 * config.modelWidth + capacity }

    private func reserveScratch(rows: Int) {
        guard rows > scratchRows else { return }
        scratch.deallocate()
        scratch = .allocate(capacity: rows * scratchPerRow)
        scratch.initialize(repeating: 0)
        scratchRows = rows
    }

    /// Starts the rows: pads the prompts on the left to the longest, runs them through the
    /// model in one chunk, and returns the next-token logits of each row [B, V].
    @discardableResult
    public func prefill(prompts: [[Int]]) -> [Float] {
        precondition(prompts.count == batch, "IncrementalDecoder: \(prompts.count) prompts for a batch of \(batch)")
        precondition(prompts.allSatisfy { !$0.isEmpty }, "IncrementalDecoder: every prompt needs at least one token")
        let time = prompts.map(\.count).max()!
        precondition(time <= capacity, "IncrementalDecoder: a prompt of \(time) tokens does not fit \(capacity) slots")
        precondition(time <= config.contextLength, "IncrementalDecoder: a prompt of \(time) tokens is longer than the context of \(config.contextLength)")
        length = 0
        var ids = [Int](repeating: 0, count: batch * time)
        for (b, prompt) in prompts.enumerated() {
            firstRealSlot[b] = time - prompt.count
            for (i, id) in prompt.enumerated() { ids[b * time + firstRealSlot[b] + i] = id }
        }
        run(ids: ids, chunk: time, rows: Array(0..<batch))
        return logits
    }

    /// Appends one token per row and returns the next-token logits [B, V].
    @discardableResult
    public func step(tokens: [Int]) -> [Float] {
        precondition(tokens.count == batch, "IncrementalDecoder.step: \(tokens.count) tokens for a batch of \(batch)")
        return step(tokens: tokens, rows: Array(0..<batch))
    }

    /// Appends one token to each of `rows` only (the rows still generating; the others'
    /// slots stay empty and are never read) and returns their next-token logits
    /// [rows.count, V], in the order of `rows`. Rows that have stopped cost nothing.
    @discardableResult
    public func step(tokens: [Int], rows: [Int]) -> [Float] {
        precondition(tokens.count == rows.count && !rows.isEmpty, "IncrementalDecoder.step: \(tokens.count) tokens for \(rows.count) rows")
        precondition(rows.allSatisfy { $0 >= 0 && $0 < batch }, "IncrementalDecoder.step: a row outside 0..<\(batch)")
        precondition(length < capacity, "IncrementalDecoder.step: the cache's \(capacity) slots are full")
        run(ids: tokens, chunk: 1, rows: rows)
        return Array(logits.prefix(rows.count * config.vocabularySize))
    }

    /// The position id the next token of row `b` will get (real tokens before it).
    public func nextPosition(ofRow b: Int) -> Int { length - firstRealSlot[b] }

    /// Runs `chunk` new tokens for each row of `active` (ids [active.count, chunk]) through
    /// every block, appending their keys and values to those rows' caches, and leaves the
    /// logits of each one's last token in the first active.count rows of `logits`.
    private func run(ids: [Int], chunk: Int, rows active: [Int]) {
        let (d, V, H) = (config.modelWidth, config.vocabularySize, config.headCount)
        let D = d / H
        let count = active.count
        let rows = count * chunk
        let epsilon = Float(config.layerNormEpsilon)
        let start = length
        // GEMM once several rows share each weight; below that, the weight-streaming sweep.
        let useGEMM = count > 4
        for b in active {
            precondition(start + chunk - 1 - firstRealSlot[b] < config.contextLength,
                         "IncrementalDecoder: row \(b) would pass the context of \(config.contextLength) tokens")
        }
        reserveScratch(rows: rows)
        let w = UnsafePointer(weights.baseAddress!)
        let s = scratch.baseAddress!
        let x = s, a = x + rows * d, qkv = a + rows * d, heads = qkv + rows * 3 * d, hidden = heads + rows * d
        let scores = hidden + rows * 4 * d   // one row of `capacity` per worker is carved from here

        // x = wte[id] + wpe[position], with position = slot - first real slot (0 for padding);
        // with rotary positions, x = wte[id] and the positions turn q and k in each layer.
        let learned = config.positionEncoding == .learned
        var positions: [Int] = []
        positions.reserveCapacity(rows)
        for (k, b) in active.enumerated() {
            for i in 0..<chunk {
                let r = k * chunk + i
                let id = ids[r]
                precondition(id >= 0 && id < V, "IncrementalDecoder: token id \(id) outside the vocabulary 0..<\(V)")
                let position = max(0, start + i - firstRealSlot[b])
                positions.append(position)
                let te = w + layout.tokens + id * d
                if learned {
                    let pe = w + layout.positions + position * d
                    for j in 0..<d { x[r * d + j] = te[j] + pe[j] }
                } else {
                    for j in 0..<d { x[r * d + j] = te[j] }
                }
            }
        }
        let rotary = learned ? nil : RotaryAngles(headWidth: D, positions: positions)

        let cacheStride = batch * d * capacity
        for (l, blockLayout) in layout.blocks.enumerated() {
            let kt = keys.baseAddress! + l * cacheStride, vc = values.baseAddress! + l * cacheStride
            InferenceKernels.layerNorm(x, a, gamma: w + blockLayout.norm1Gain, beta: w + blockLayout.norm1Shift,
                                       rows: rows, width: d, epsilon: epsilon)
            InferenceKernels.affine(a, rows: rows, k: d, weight: w + blockLayout.attention,
                                    bias: w + blockLayout.attentionBias, n: 3 * d, into: qkv, useGEMM: useGEMM)
            rotary?.rotate(qkv, rows: rows, packed: 3 * d, heads: H, inverse: false)
            // Append this chunk's keys (transposed) and values to the cache.
            for (k, b) in active.enumerated() {
                for i in 0..<chunk {
                    let slot = start + i, row = qkv + (k * chunk + i) * 3 * d
                    for h in 0..<H {
                        let kDst = kt + (b * H + h) * D * capacity + slot
                        let vDst = vc + ((b * H + h) * capacity + slot) * D
                        for e in 0..<D {
                            kDst[e * capacity] = row[d + h * D + e]
                            vDst[e] = row[2 * d + h * D + e]
                        }
                    }
                }
            }
            attend(qkv: qkv, into: heads, keys: kt, values: vc, chunk: chunk, start: start, rows: active, scores: scores)
            InferenceKernels.affine(heads, rows: rows, k: d, weight: w + blockLayout.projection,
                                    bias: w + blockLayout.projectionBias, n: d, into: a, useGEMM: useGEMM)
            InferenceKernels.add(a, into: x, count: rows * d)
            InferenceKernels.layerNorm(x, a, gamma: w + blockLayout.norm2Gain, beta: w + blockLayout.norm2Shift,
                                       rows: rows, width: d, epsilon: epsilon)
            InferenceKernels.affine(a, rows: rows, k: d, weight: w + blockLayout.expand,
                                    bias: w + blockLayout.expandBias, n: 4 * d, into: hidden, useGEMM: useGEMM)
            InferenceKernels.gelu(hidden, count: rows * 4 * d)
            InferenceKernels.affine(hidden, rows: rows, k: 4 * d, weight: w + blockLayout.contract,
                                    bias: w + blockLayout.contractBias, n: d, into: a, useGEMM: useGEMM)
            InferenceKernels.add(a, into: x, count: rows * d)
        }
        length = start + chunk

        // Final LayerNorm and the tied LM head, for each row's last token only.
        for k in 0..<count {
            InferenceKernels.layerNorm(x + (k * chunk + chunk - 1) * d, a + k * d,
                                       gamma: w + layout.finalGain, beta: w + layout.finalShift,
                                       rows: 1, width: d, epsilon: epsilon)
        }
        logits.withUnsafeMutableBufferPointer { out in
            InferenceKernels.affine(a, rows: count, k: d, weight: w + layout.tokensTransposed, bias: nil, n: V,
                                    into: out.baseAddress!, useGEMM: useGEMM)
        }
    }

    /// Causal attention of the chunk's queries over the cache, per row and head:
    /// s_j = q·k_j / √D for the slots j from the row's first real slot up to the query's
    /// own, p = softmax(s), out = Σ_j p_j v_j. A query with no visible slot (padding)
    /// outputs zeros, as in the training-time op.
    private func attend(qkv: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>,
                        keys kt: UnsafeMutablePointer<Float>, values vc: UnsafeMutablePointer<Float>,
                        chunk: Int, start: Int, rows active: [Int], scores: UnsafeMutablePointer<Float>) {
        let (d, H) = (config.modelWidth, config.headCount)
        let D = d / H
        let scale = 1 / Float(D).squareRoot()
        let capacity = self.capacity
        let firstRealSlot = self.firstRealSlot
        let pairs = active.count * H
        let work = chunk * (start + chunk) * D * 4
        // Each worker gets its own scores row; the scratch holds `rows` of them, and there
        // are never more workers than rows.
        let workers = pairs * work >= 1 << 16 ? min(Parallel.workerCount, pairs, active.count * chunk) : 1
        func heads(_ range: Range<Int>, _ p: UnsafeMutablePointer<Float>) {
            for pair in range {
                let (k, h) = (pair / H, pair % H)
                let b = active[k]
                let kBase = kt + (b * H + h) * D * capacity, vBase = vc + (b * H + h) * capacity * D
                for i in 0..<chunk {
                    let slot = start + i
                    let q = qkv + (k * chunk + i) * 3 * d + h * D
                    let o = out + (k * chunk + i) * d + h * D
                    let first = firstRealSlot[b]
                    for e in 0..<D { o[e] = 0 }
                    if slot < first { continue }
                    let n = slot - first + 1
                    for j in 0..<n { p[j] = 0 }
                    for e in 0..<D {
                        let qe = q[e] * scale, krow = kBase + e * capacity + first
                        for j in 0..<n { p[j] += qe * krow[j] }
                    }
                    var m = -Float.infinity
                    for j in 0..<n { m = max(m, p[j]) }
                    var total: Float = 0
                    for j in 0..<n { p[j] = Foundation.exp(p[j] - m); total += p[j] }
                    let inverse = 1 / total
                    for j in 0..<n {
                        let weight = p[j] * inverse, v = vBase + (first + j) * D
                        for e in 0..<D { o[e] += weight * v[e] }
                    }
                }
            }
        }
        if workers == 1 {
            heads(0..<pairs, scores)
        } else {
            Parallel.forEachPart(workers) { c in
                heads((pairs * c / workers)..<(pairs * (c + 1) / workers), scores + c * capacity)
            }
        }
    }
}
