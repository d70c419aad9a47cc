import Foundation
import LanguageModel
import TensorCore

/// Throughput of the GPT on the reference configs of DESIGN.md, beside PyTorch eager's on
/// the same 2-core machine (`torch_gpt.py` in the shared baselines, PyTorch 2.15 + MKL,
/// 2 threads), with the same measurement rules:
///
/// - training: tokens/s of forward + backward + AdamW, random tokens, median of 10 timed
///   steps after 3 warmup steps;
/// - generation: a 16-token prompt continued by 96 sampled tokens (τ = 1, no stop token)
///   with the KV cache, best of 3 runs after one warmup, batch 1 and batch 16;
/// - memory: the process's peak resident set after the medium training steps.
func runModelBenchmarks() {
    struct Reference {
        let name: String
        let config: GPTConfig
        let batch: Int
        let trainTokensPerSecond: Double
        let generateBatch1: Double
        let generateBatch16: Double
    }
    let references = [
        Reference(name: "small", config: .small, batch: 16, trainTokensPerSecond: 20_200, generateBatch1: 1_640, generateBatch16: 11_600),
        Reference(name: "medium", config: .medium, batch: 8, trainTokensPerSecond: 1_890, generateBatch1: 160, generateBatch16: 1_140),
    ]

    print("Model benchmarks (\(BLAS.threadCount) threads; PyTorch 2.15 eager from the shared baselines, same machine type)")
    var rows: [[String]] = []
    var peakAfterMedium = ""
    for reference in references {
        let training = trainingTokensPerSecond(reference.config, batch: reference.batch)
        if reference.name == "medium" { peakAfterMedium = peakResidentMegabytes() }
        let single = generationTokensPerSecond(reference.config, batch: 1)
        let sixteen = generationTokensPerSecond(reference.config, batch: 16)
        func cells(_ ours: Double, _ theirs: Double) -> [String] {
            [format(ours), format(theirs), String(format: "%.2fx", ours / theirs)]
        }
        rows.append([reference.name, "train tok/s"] + cells(training, reference.trainTokensPerSecond))
        rows.append([reference.name, "generate b1 tok/s"] + cells(single, reference.generateBatch1))
        rows.append([reference.name, "generate b16 tok/s"] + cells(sixteen, reference.generateBatch16))
    }
    printTable(header: ["config", "measure", "Swift", "PyTorch", "ratio"], rows: rows)
    print("peak RSS after the medium training steps: \(peakAfterMedium) (goal: under 2 GiB)")
}

/// Median tokens/s of full training steps on random tokens.
private func trainingTokensPerSecond(_ config: GPTConfig, batch: Int, warmup: Int = 3, timed: Int = 10) -> Double {
    var rng = RandomGenerator(seed: 0)
    let model = GPT(config: config, rng: &rng)
    let optimizer = AdamW(groups: ParameterGroup.standard(model.parameters, weightDecay: 0.1), learningRate: 3e-4)
    let time = config.contextLength
    let inputs = (0..<(batch * time)).map { _ in rng.int(below: config.vocabularySize) }
    let targets = (0..<(batch * time)).map { _ in rng.int(below: config.vocabularySize) }
    var seconds: [Double] = []
    for step in 0..<(warmup + timed) {
        let start = DispatchTime.now().uptimeNanoseconds
        optimizer.zeroGrad()
        let loss = model.loss(ids: inputs, targets: targets, batch: batch, time: time)
        loss.backward()
        optimizer.update()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if step >= warmup { seconds.append(elapsed) }
    }
    return Double(batch * time) / seconds.sorted()[seconds.count / 2]
}

/// Best-of-3 tokens/s of KV-cached sampling: 16 prompt tokens, 96 new ones per row.
private func generationTokensPerSecond(_ config: GPTConfig, batch: Int) -> Double {
    var rng = RandomGenerator(seed: 0)
    let model = GPT(config: config, rng: &rng)
    let prompts = (0..<batch).map { _ in (0..<16).map { _ in rng.int(below: config.vocabularySize) } }
    let settings = GenerationSettings(maxNewTokens: 96, sampling: SamplingSettings(temperature: 1), stopToken: -1)
    _ = model.generate(prompts: prompts, settings: settings, rng: &rng)
    var best = Double.infinity
    for _ in 0..<3 {
        let start = DispatchTime.now().uptimeNanoseconds
        let generated = model.generate(prompts: prompts, settings: settings, rng: &rng)
        precondition(generated.allSatisfy { $0.tokens.count == 96 })
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return Double(batch * 96) / best
}

/// VmHWM from /proc/self/status (Linux), in MiB; "n/a" elsewhere.
private func peakResidentMegabytes() -> String {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return "n/a" }
    return String(format: "%.0f MiB", kilobytes / 1024)
}

private func format(_ value: Double) -> String {
    let whole = Int(value.rounded())
    let digits = String(whole)
    var grouped = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { grouped += "," }
        grouped.append(c)
    }
    return grouped
}

private func printTable(header: [String], rows: [[String]]) {
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return i < 2 ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }
    print(line(header))
    print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    for row in rows { print(line(row)) }
}
