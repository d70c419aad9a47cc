import COpenBLAS
import Foundation
import TensorCore

/// Benchmarks of the core layer: matrix products through the core against raw
/// `cblas_sgemm` on the reference configs' shapes, and the forward and backward time of the
/// fused layers (LayerNorm, GELU, softmax, attention).
///
/// Every figure is the median of several timed repetitions after warm-up runs, so that one
/// slow repetition (another process taking a core) does not move it much. Runs on a shared
/// machine still vary by 10-20% from one minute to the next: compare ratios taken in one run.
///
/// `Bench products` or `Bench layers` runs one of the two tables; no argument runs both.
func runCoreBenchmarks() {
    let arguments = Set(CommandLine.arguments.dropFirst())
    let all = arguments.isDisjoint(with: ["products", "layers"])
    print("Core benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores visible)")
    if all || arguments.contains("products") {
        print("")
        runMatrixProductBenchmarks()
    }
    if all || arguments.contains("layers") {
        print("")
        runLayerBenchmarks()
    }
}

// MARK: - Timing

/// Median wall times of the `bodies` in seconds: warm-up calls first, each body at least
/// twice and for at least `warmUp` seconds, then rounds in which each body runs once, in
/// turn, so that a burst of load from another process hits all of them alike; at least
/// `minimumRounds`, and more until about `budget` seconds have passed (at most 40).
///
/// The warm-up is long because a core that has been idle for a while (as after the pause
/// between the raw and the core products) can run at about half speed for its first
/// 10-30 ms on a virtual machine: with two warm-up calls only, that slow start fell into
/// the timed rounds of whichever product came first.
private func medianSeconds(minimumRounds: Int = 7, budget: Double = 0.5, warmUp: Double = 0.1,
                           _ bodies: [() -> Void]) -> [Double] {
    for body in bodies {
        let warmUpStart = DispatchTime.now().uptimeNanoseconds
        var calls = 0
        while calls < 2 || Double(DispatchTime.now().uptimeNanoseconds - warmUpStart) * 1e-9 < warmUp {
            body()
            calls += 1
        }
    }
    var times = [[Double]](repeating: [], count: bodies.count)
    let start = DispatchTime.now().uptimeNanoseconds
    var rounds = 0
    while rounds < minimumRounds
            || (rounds < 40 && Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 < budget) {
        for (i, body) in bodies.enumerated() {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            times[i].append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
        }
        rounds += 1
    }
    return times.map { $0.sorted()[$0.count / 2] }
}

private func filled(_ count: Int, seed: UInt64) -> [Float] {
    var rng = RandomGenerator(seed: seed)
    return (0..<count).map { _ in Float(rng.normal()) * 0.1 }
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

private func padLeft(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

// MARK: - Matrix products

/// One product C[m, n] = op(A) · op(B) as the model computes it.
private struct ProductShape {
    var label: String
    var m: Int, n: Int, k: Int
    var transposeA: Bool, transposeB: Bool
    /// The forward pass of a Conv1D layer runs through `linear` (with its bias); everything
    /// else through `matmul`.
    var viaLinear: Bool = false

    var layout: String { (transposeA ? "T" : "N") + (transposeB ? "T" : "N") }
}

/// The products of one transformer training step at `rows` = B·T positions, width d and
/// vocabulary V: each Conv1D layer (y = x W, W [in, out]) in its forward layout and the
/// two layouts of its backward (dx = dy Wᵀ, dW = xᵀ dy), and the tied LM head
/// (logits = x Eᵀ, dx = dlogits E, dE = dlogitsᵀ x).
private func trainingProducts(rows: Int, width d: Int, vocabulary: Int) -> [ProductShape] {
    var shapes: [ProductShape] = []
    for (name, input, output) in [("qkv", d, 3 * d), ("attn proj", d, d), ("mlp fc", d, 4 * d), ("mlp proj", 4 * d, d)] {
        shapes.append(ProductShape(label: "\(name) y=xW", m: rows, n: output, k: input,
                                   transposeA: false, transposeB: false, viaLinear: true))
        shapes.append(ProductShape(label: "\(name) dx=dyWᵀ", m: rows, n: input, k: output,
                                   transposeA: false, transposeB: true))
        shapes.append(ProductShape(label: "\(name) dW=xᵀdy", m: input, n: output, k: rows,
                                   transposeA: true, transposeB: false))
    }
    shapes.append(ProductShape(label: "logits y=xEᵀ", m: rows, n: vocabulary, k: d, transposeA: false, transposeB: true))
    shapes.append(ProductShape(label: "logits dx=dyE", m: rows, n: d, k: vocabulary, transposeA: false, transposeB: false))
    shapes.append(ProductShape(label: "logits dE=dyᵀx", m: vocabulary, n: d, k: rows, transposeA: true, transposeB: false))
    return shapes
}

private func runMatrixProductBenchmarks() {
    print("Matrix products, GFLOP/s (2·m·n·k / median time, the better of two): the core's matmul/linear vs raw cblas_sgemm")
    print("(raw: OpenBLAS on \(BLAS.threadCount) threads of its own; core: OpenBLAS on one thread, products split by the core)")
    let header = pad("config", 8) + pad("product", 18) + pad("layout", 7) + padLeft("m", 6) + padLeft("n", 6)
        + padLeft("k", 6) + padLeft("raw", 9) + padLeft("core", 9) + padLeft("core/raw", 10)
    print(header)
    print(String(repeating: "-", count: header.count))
    var worst = (ratio: Double.infinity, label: "")
    var ratios: [Double] = []
    let products = [("small", 128, 512), ("medium", 384, 2048)].flatMap { config, d, vocabulary in
        trainingProducts(rows: 2048, width: d, vocabulary: vocabulary).map { (config, $0) }
    }
    for (config, shape) in products {
        // Raw and core one right after the other, twice, and the faster of each pair, so
        // that load from another process lasting a second or two slows down at most one of
        // the two measurements of each. Raw and core a quarter second apart, because
        // OpenBLAS's threads keep spinning for about 0.1 s after each of its calls and
        // would steal the core's second thread.
        var (raw, core) = (0.0, 0.0)
        for _ in 0..<2 {
            raw = max(raw, measureProduct(shape, raw: true))
            usleep(250_000)
            core = max(core, measureProduct(shape, raw: false))
        }
        let ratio = core / raw
        ratios.append(ratio)
        if ratio < worst.ratio { worst = (ratio, "\(config) \(shape.label)") }
        print(pad(config, 8) + pad(shape.label, 18) + pad(shape.layout, 7)
              + padLeft("\(shape.m)", 6) + padLeft("\(shape.n)", 6) + padLeft("\(shape.k)", 6)
              + padLeft(String(format: "%.1f", raw), 9) + padLeft(String(format: "%.1f", core), 9)
              + padLeft(String(format: "%.2f", ratio), 10))
    }
    let geometricMean = Foundation.exp(ratios.map { Foundation.log($0) }.reduce(0, +) / Double(ratios.count))
    print(String(format: "core/raw: geometric mean %.2f, lowest %.2f (%@)", geometricMean, worst.ratio, worst.label))
}

/// GFLOP/s of one product, raw or through the core. The raw call writes into a
/// preallocated C; the core call allocates its output and a Tensor, as it does inside the model.
private func measureProduct(_ s: ProductShape, raw measuringRaw: Bool) -> Double {
    let storedA = s.transposeA ? [s.k, s.m] : [s.m, s.k]
    let storedB = s.transposeB ? [s.n, s.k] : [s.k, s.n]
    let a = Tensor(shape: storedA, data: filled(storedA.elementCount, seed: 1))
    let b = Tensor(shape: storedB, data: filled(storedB.elementCount, seed: 2))
    let bias = Tensor(shape: [s.n], data: filled(s.n, seed: 3))
    var c = [Float](repeating: 0, count: s.m * s.n)
    let flops = 2 * Double(s.m) * Double(s.n) * Double(s.k)

    // Raw: OpenBLAS splitting the product over its own threads, as a plain program would
    // call it. The core keeps OpenBLAS on one thread and splits products itself (BLAS.swift).
    let raw = {
        openblas_set_num_threads(Int32(BLAS.threadCount))
        defer { openblas_set_num_threads(1) }
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor, s.transposeA ? CblasTrans : CblasNoTrans,
                                s.transposeB ? CblasTrans : CblasNoTrans,
                                Int32(s.m), Int32(s.n), Int32(s.k), 1, pa.baseAddress!, Int32(storedA[1]),
                                pb.baseAddress!, Int32(storedB[1]), 0, pc.baseAddress!, Int32(s.n))
                }
            }
        }
    }
    let core = {
        if s.viaLinear {
            _ = linear(a, weight: b, bias: bias)
        } else {
            _ = matmul(a, b, transposeA: s.transposeA, transposeB: s.transposeB)
        }
    }
    let time = Autograd.withoutGradients { medianSeconds([measuringRaw ? raw : core]) }[0]
    return flops / time * 1e-9
}

// MARK: - Layers

private func runLayerBenchmarks() {
    print("Layers, median milliseconds: forward alone, and forward + backward (input gradient and, for")
    print("LayerNorm, γ and β gradients); backward = the difference")
    let header = pad("op", 12) + pad("input", 16) + padLeft("forward", 10) + padLeft("fwd+bwd", 10)
        + padLeft("backward", 10) + padLeft("GB/s fwd", 10)
    print(header)
    print(String(repeating: "-", count: header.count))
    for shape in [[16, 128, 128], [8, 256, 384]] {
        let n = shape.elementCount, d = shape[2]
        let x = Tensor(parameter: filled(n, seed: 4), shape: shape, name: "x")
        let gamma = Tensor(parameter: [Float](repeating: 1, count: d), shape: [d], name: "gamma")
        let beta = Tensor(parameter: [Float](repeating: 0, count: d), shape: [d], name: "beta")
        // Bytes a forward pass must at least read and write: input and output, 4 bytes each.
        let bytes = Double(8 * n)
        report("layerNorm", shape, bytes: bytes, x: x, extra: [gamma, beta]) { layerNorm($0, gamma: gamma, beta: beta) }
        report("gelu", shape, bytes: bytes, x: x) { gelu($0) }
        report("softmax", shape, bytes: bytes, x: x) { softmax($0) }
        report("logSoftmax", shape, bytes: bytes, x: x) { logSoftmax($0) }
        let bias = Tensor(parameter: filled(d, seed: 7), shape: [d], name: "bias")
        report("add row", shape, bytes: bytes, x: x, extra: [bias]) { $0 + bias }
        report("mul same", shape, bytes: bytes, x: x) { $0 * $0 }
    }
    for (shape, heads) in [([16, 128, 384], 4), ([8, 256, 1152], 6)] {
        let qkv = Tensor(parameter: filled(shape.elementCount, seed: 5), shape: shape, name: "qkv")
        // Attention reads q, k, v and writes the output: 4 · B·T·C floats (the T×T scores
        // stay in cache for these sizes).
        let bytes = Double(4 * shape.elementCount / 3 * 4)
        report("attention/\(heads)", shape, bytes: bytes, x: qkv) { causalSelfAttention($0, heads: heads) }
    }
}

/// Times `op(x)` forward (no graph) and forward + backward (graph, then backward(seed:)).
private func report(_ name: String, _ shape: [Int], bytes: Double, x: Tensor, extra: [Tensor] = [],
                    _ op: @escaping (Tensor) -> Tensor) {
    let seed = filled(Autograd.withoutGradients { op(x) }.count, seed: 6)
    let times = medianSeconds([
        { Autograd.withoutGradients { _ = op(x) } },
        {
            op(x).backward(seed: seed)
            x.zeroGrad()
            for t in extra { t.zeroGrad() }
        },
    ])
    let (forward, both) = (times[0], times[1])
    let shown = "[" + shape.map(String.init).joined(separator: ",") + "]"
    print(pad(name, 12) + pad(shown, 16)
          + padLeft(String(format: "%.3f", forward * 1e3), 10) + padLeft(String(format: "%.3f", both * 1e3), 10)
          + padLeft(String(format: "%.3f", (both - forward) * 1e3), 10)
          + padLeft(String(format: "%.1f", bytes / forward * 1e-9), 10))
}
