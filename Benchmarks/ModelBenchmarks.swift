import Foundation
import LanguageModel
import TensorCore

/// Throughput of the GPT on the reference configs of DESIGN.md, beside PyTorch eager's
/// measured in the same run (`torch_gpt.py` of the shared baselines, when a Python with torch
/// is given), at the same thread count and with the same measurement rules:
///
/// - training: tokens/s of forward + backward + AdamW, random tokens, median of 10 timed
///   steps after 3 warmup steps (PyTorch: median of 20 after 5);
/// - generation: a 16-token prompt continued by 96 sampled tokens (τ = 1, no stop token)
///   with the KV cache, best of 3 runs after one warmup, batch 1 and batch 16;
/// - under load: training again while one other busy process (started and stopped here)
///   takes a core, as a second program on a learner's 2-core laptop does;
/// - memory: the process's peak resident set after the medium training steps.
func runModelBenchmarks(torch: TorchBaseline?) {
    let configs: [(name: String, config: GPTConfig, batch: Int)] = [("small", .small, 16), ("medium", .medium, 8)]
    let threads = BLAS.threadCount
    var baseline = torch
    var missing = "no Python with torch given: `make bench TORCH_PYTHON=path/to/python` runs PyTorch in the same sitting"
    if let torch {
        switch torch.check() {
        case .success(let version):
            print("PyTorch \(version) eager (\(torch.python), \(torch.script)), \(threads) threads, measured in this run")
        case .failure(let error):
            missing = error.message
            baseline = nil
        }
    }
    if baseline == nil { print("PyTorch column missing: \(missing)") }

    print("Model benchmarks (\(threads) threads)")
    var rows: [[String]] = []
    var peakAfterMedium = ""
    var idleTraining: [String: (swift: Double, torch: Double?)] = [:]
    for (name, config, batch) in configs {
        // PyTorch first, then the course, one config at a time, so both meet the same minute.
        var theirs: TorchBaseline.Run?
        if let baseline {
            switch baseline.measure(config: name, threads: threads) {
            case .success(let run): theirs = run
            case .failure(let error): print("PyTorch \(name): \(error.message)")
            }
        }
        let training = trainingTokensPerSecond(config, batch: batch)
        if name == "medium" { peakAfterMedium = peakResidentMegabytes() }
        let single = generationTokensPerSecond(config, batch: 1)
        let sixteen = generationTokensPerSecond(config, batch: 16)
        idleTraining[name] = (training, theirs?.trainTokensPerSecond)
        rows.append([name, "train tok/s"] + cells(training, theirs?.trainTokensPerSecond))
        rows.append([name, "generate b1 tok/s"] + cells(single, theirs?.generateBatch1))
        rows.append([name, "generate b16 tok/s"] + cells(sixteen, theirs?.generateBatch16))
    }
    printTable(header: ["config", "measure", "Swift", "PyTorch", "ratio"], rows: rows)
    print("peak RSS after the medium training steps: \(peakAfterMedium) (goal: under 2 GiB)")

    print("")
    print("Training under load: one other busy process (`Bench spin`, one spinning thread) runs meanwhile")
    var loadedRows: [[String]] = []
    for (name, config, batch) in configs {
        guard let competitor = CompetingProcess() else {
            print("could not start the competing process; no rows under load")
            break
        }
        let loaded = trainingTokensPerSecond(config, batch: batch)
        var theirs: Double?
        if let baseline {
            switch baseline.measureTraining(config: name, threads: threads) {
            case .success(let value): theirs = value
            case .failure(let error): print("PyTorch \(name) under load: \(error.message)")
            }
        }
        competitor.stop()
        let idle = idleTraining[name]!
        func kept(_ loaded: Double?, _ idle: Double?) -> String {
            guard let loaded, let idle else { return "-" }
            return String(format: "%.0f%%", 100 * loaded / idle)
        }
        loadedRows.append([name, "train tok/s, 1 busy"] + cells(loaded, theirs)
                          + [kept(loaded, idle.swift), kept(theirs, idle.torch)])
    }
    printTable(header: ["config", "measure", "Swift", "PyTorch", "ratio", "Swift kept", "PyTorch kept"], rows: loadedRows)
}

/// Swift's number, PyTorch's and their ratio as table cells ("-" where PyTorch is missing).
private func cells(_ ours: Double, _ theirs: Double?) -> [String] {
    guard let theirs else { return [format(ours), "-", "-"] }
    return [format(ours), format(theirs), String(format: "%.2fx", ours / theirs)]
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
