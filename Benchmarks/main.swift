// The benchmarks `make bench` runs: the core's kernels against raw OpenBLAS and per-layer
// forward and backward times (CoreBenchmarks.swift), then whole-model training and
// generation throughput beside PyTorch's, measured in the same run (ModelBenchmarks.swift).
//
//   Bench [all|core|model|rl] [products|layers] [--torch-python PATH] [--torch-baselines DIR]
//
// `core`, `model` or `rl` (one PPO and one GRPO iteration, RLStepBenchmarks.swift) runs one part; `--torch-python` names a Python with torch, which runs
// torch_gpt.py from DIR (default ../shared/baselines, from the repository root).
// `Bench spin` is the competing busy process of the rows under load; `Bench profile ...`
// runs a fixed training step or generation for a profiler (Profile.swift).
import Foundation
import TensorCore

// First of all: the matrix-product kernel this CPU deserves (this may re-start the program).
BLASKernel.useBestAvailable()

// Line by line even into a pipe (`make bench | tee`), so a long run shows where it is.
setvbuf(stdout, nil, _IOLBF, 0)

var positional: [String] = []
var torchPython: String?
var torchBaselines = "../shared/baselines"
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--torch-python", "--torch-baselines":
        guard let value = arguments.popFirst() else {
            FileHandle.standardError.write(Data("\(argument) needs a value\n".utf8))
            exit(64)
        }
        if argument == "--torch-python" { torchPython = value } else { torchBaselines = value }
    default:
        positional.append(argument)
    }
}
let part = positional.first ?? "all"
if part == "spin" { CompetingProcess.spinForever() }
if part == "profile" {
    runProfile(Array(positional.dropFirst()))
    exit(0)
}
guard ["all", "core", "model", "products", "layers", "rl"].contains(part) else {
    FileHandle.standardError.write(Data("usage: Bench [all|core|model|rl] [products|layers] [--torch-python PATH] [--torch-baselines DIR]\n".utf8))
    exit(64)
}
print("CPU and kernel: \(BLASKernel.summary)")
print("threads: \(BLAS.threadCount) (set RLHF_THREADS=N to change); machine load at start: \(loadAverage())")
if let load = Double(loadAverage().split(separator: " ").first ?? ""), load > 0.5 {
    print("note: other work is running (1-minute load \(load)); PyTorch's threads lose most under contention,")
    print("      so the ratios of this run are not those of a quiet machine")
}
print("")
let torch = torchPython.map { TorchBaseline(python: $0, folder: torchBaselines) }
if part != "model" && part != "rl" { runCoreBenchmarks() }
if part == "all" { print("") }
if part == "all" || part == "model" { runModelBenchmarks(torch: torch) }
if part == "all" { print("") }
if part == "all" || part == "rl" { runRLStepBenchmarks(torch: torch) }
print("")
print("machine load at the end: \(loadAverage())")

/// The 1-, 5- and 15-minute load averages (Linux), to tell a quiet machine from a busy one.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "n/a" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
