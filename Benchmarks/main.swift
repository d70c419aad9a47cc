// The benchmarks `make bench` runs: the core's kernels against raw OpenBLAS and per-layer
// forward and backward times (CoreBenchmarks.swift).
runCoreBenchmarks()
