import Foundation

/// PyTorch eager measured on this machine in this sitting: the shared baseline script
/// `torch_gpt.py` (../shared/baselines/ from the repository root), run by a Python that
/// has torch, at the course's thread count. Comparing with numbers measured elsewhere says
/// little: two machines of one kind differ by 20% and more.
struct TorchBaseline {
    /// The Python that runs the script (`make bench TORCH_PYTHON=...`).
    let python: String
    /// The folder that holds torch_gpt.py.
    let folder: String

    /// The numbers of one `torch_gpt.py` run for one config.
    struct Run {
        var trainTokensPerSecond: Double
        var generateBatch1: Double
        var generateBatch16: Double
        var version: String
    }

    var script: String { (folder as NSString).appendingPathComponent("torch_gpt.py") }

    /// Runs `torch_gpt.py <config> --threads N` and reads its one line of results, e.g.
    /// "small: params=0.88M train_tokens_per_s=20200 ... gen_b1_tok_s=1640 gen_b16_tok_s=11600
    /// threads=2 torch=2.15.0".
    func measure(config: String, threads: Int) -> Result<Run, BaselineError> {
        run([script, config, "--threads", "\(threads)"]).flatMap { output in
            guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("\(config):") }) else {
                return .failure(BaselineError("torch_gpt.py printed no line for \(config)"))
            }
            var fields: [String: String] = [:]
            for pair in line.split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            guard let train = fields["train_tokens_per_s"].flatMap(Double.init),
                  let b1 = fields["gen_b1_tok_s"].flatMap(Double.init),
                  let b16 = fields["gen_b16_tok_s"].flatMap(Double.init)
            else { return .failure(BaselineError("could not read torch_gpt.py's line: \(line)")) }
            return .success(Run(trainTokensPerSecond: train, generateBatch1: b1, generateBatch16: b16,
                                version: fields["torch"] ?? "?"))
        }
    }

    /// Training tokens/s alone, through the script's own `train_bench` (the same steps and
    /// the same median as `measure`), for the row under load, where generation is not timed.
    func measureTraining(config: String, threads: Int) -> Result<Double, BaselineError> {
        let program = """
        import sys; sys.path.insert(0, sys.argv[1])
        import torch, torch_gpt
        torch.set_num_threads(int(sys.argv[3]))
        print("train_tokens_per_s=%.1f" % torch_gpt.train_bench(torch_gpt.CONFIGS[sys.argv[2]])[1])
        """
        return run(["-c", program, folder, config, "\(threads)"]).flatMap { output in
            guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("train_tokens_per_s=") }),
                  let value = Double(line.dropFirst("train_tokens_per_s=".count))
            else { return .failure(BaselineError("torch_gpt.train_bench printed no result")) }
            return .success(value)
        }
    }

    /// Seconds per RL iteration of torch_rl_step.py ("ppo: 6.10 s/iteration (rollout ...").
    func measureRLStep(_ kind: String, threads: Int, iterations: Int) -> Result<Double, BaselineError> {
        let rlScript = (folder as NSString).appendingPathComponent("torch_rl_step.py")
        return run([rlScript, kind, "--threads", "\(threads)", "--iters", "\(iterations)"]).flatMap { output in
            guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("\(kind):") }),
                  let value = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
            else { return .failure(BaselineError("torch_rl_step.py printed no line for \(kind)")) }
            return .success(value)
        }
    }

    /// Checks, before any timing, that the script is there and that the Python imports torch.
    func check() -> Result<String, BaselineError> {
        guard FileManager.default.fileExists(atPath: script) else {
            return .failure(BaselineError("no \(script) (run from the repository root, or pass --torch-baselines DIR)"))
        }
        return run(["-c", "import torch; print(torch.__version__)"]).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private func run(_ arguments: [String]) -> Result<String, BaselineError> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            return .failure(BaselineError("could not start \(python): \(error.localizedDescription)"))
        }
        // Read before waiting, so a full pipe cannot block the child.
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let last = problems.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
            return .failure(BaselineError("\(python) failed: \(last)"))
        }
        return .success(text)
    }
}

struct BaselineError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// One other busy process, started and stopped by the benchmark itself: this executable
/// run as `Bench spin`, one thread of integer arithmetic that never sleeps. It is what a
/// learner's browser or a second build does to a 2-core laptop.
final class CompetingProcess {
    private let process = Process()

    init?() {
        guard let executable = Bundle.main.executableURL else { return nil }
        process.executableURL = executable
        process.arguments = ["spin"]
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        // Let it reach full speed before anything is timed.
        usleep(200_000)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// The body of `Bench spin`: spins until its parent (the benchmark) is gone.
    static func spinForever() -> Never {
        let parent = getppid()
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        while true {
            for _ in 0..<50_000_000 { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
            if getppid() != parent { exit(x == 0 ? 1 : 0) }
        }
    }
}
