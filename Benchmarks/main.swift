// The benchmarks `make bench` runs: the core's kernels against raw OpenBLAS and per-layer
// forward and backward times (CoreBenchmarks.swift), then whole-model training and
// generation throughput against PyTorch's published numbers (ModelBenchmarks.swift).
// `Bench core` or `Bench model` runs one half.
import Foundation

let part = CommandLine.arguments.dropFirst().first ?? "all"
guard ["all", "core", "model"].contains(part) else {
    FileHandle.standardError.write(Data("usage: Bench [all|core|model]\n".utf8))
    exit(64)
}
if part != "model" { runCoreBenchmarks() }
if part != "core" { runModelBenchmarks() }
