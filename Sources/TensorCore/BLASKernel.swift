import COpenBLAS
import Foundation

/// What the CPU can run, read once with CPUID (x86; on other CPUs every flag is false).
///
/// Each vector flag means that the CPU has the instructions *and* that the operating system
/// saves their registers, the same test OpenBLAS makes before it picks a kernel.
public struct CPUFeatures: Equatable, Sendable {
    /// "GenuineIntel", "AuthenticAMD", ... (empty on a CPU that is not x86).
    public var vendor: String
    /// CPUID's display family and model (extended fields included): Intel's Sapphire and
    /// Emerald Rapids are family 6, models 143 and 207; AMD's Zen 4 is family 25.
    public var family: Int
    public var model: Int
    public var avx = false, fma = false, avx2 = false
    public var avx512f = false, avx512dq = false, avx512cd = false, avx512bw = false, avx512vl = false
    /// AVX512_BF16: bfloat16 dot products (Cooper Lake, Sapphire Rapids and later, Zen 4).
    public var avx512bf16 = false

    public init(vendor: String, family: Int = 0, model: Int = 0) {
        self.vendor = vendor
        self.family = family
        self.model = model
    }

    /// The CPU this process runs on.
    public static let current: CPUFeatures = {
        var raw = rlhf_read_cpu_features()
        let vendor = withUnsafeBytes(of: &raw.vendor) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        var cpu = CPUFeatures(vendor: vendor, family: Int(raw.family), model: Int(raw.model))
        cpu.avx = raw.avx; cpu.fma = raw.fma; cpu.avx2 = raw.avx2
        cpu.avx512f = raw.avx512f; cpu.avx512dq = raw.avx512dq; cpu.avx512cd = raw.avx512cd
        cpu.avx512bw = raw.avx512bw; cpu.avx512vl = raw.avx512vl; cpu.avx512bf16 = raw.avx512bf16
        return cpu
    }()

    /// The widest family of OpenBLAS kernels this CPU runs.
    public var vectorLevel: BLASKernel.VectorLevel {
        if avx512f && avx512dq && avx512cd && avx512bw && avx512vl {
            return avx512bf16 ? .avx512bf16 : .avx512
        }
        if avx2 && fma { return .avx2 }
        return avx ? .avx : .sse
    }

    /// The CPU's marketing name from /proc/cpuinfo (Linux) or sysctl (macOS).
    public static let modelName: String = {
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("model name") {
                if let colon = line.firstIndex(of: ":") {
                    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        #if os(macOS)
        var size = 0
        sysctlbyname("machdep.cpu.brand_string", nil, &size, nil, 0)
        var name = [CChar](repeating: 0, count: max(size, 1))
        sysctlbyname("machdep.cpu.brand_string", &name, &size, nil, 0)
        return String(cString: name)
        #else
        return "unknown CPU"
        #endif
    }()
}

/// Which of OpenBLAS's kernels runs the matrix products, and the fix for a fallback.
///
/// An OpenBLAS built for many CPUs (Debian's and Homebrew's are) picks its kernels when it
/// loads, from the CPU model it reads. A release older than the CPU does not know the model
/// and falls back to an old kernel: Debian 12's OpenBLAS 0.3.21 runs Intel's Sapphire and
/// Emerald Rapids on "Prescott" (SSE3) kernels, 3-5 times slower than the AVX-512 ones the
/// CPU can run. The choice is made before `main`, from `OPENBLAS_CORETYPE` in the
/// environment, so the only way to change it is to start the program again with that
/// variable set: `useBestAvailable()` does this, once, at the start of a chapter or the
/// benchmarks.
public enum BLASKernel {
    /// Families of OpenBLAS kernels by the widest vector instructions they use.
    public enum VectorLevel: Int, Comparable, Sendable {
        case sse, avx, avx2, avx512, avx512bf16
        public static func < (a: VectorLevel, b: VectorLevel) -> Bool { a.rawValue < b.rawValue }
    }

    /// The environment variable that records, in a re-started process, which kernel
    /// OpenBLAS had chosen by itself (it also keeps the process from re-starting again).
    public static let fallbackVariable = "RLHF_OPENBLAS_CHOSE"
    /// For tests of the fallback path: with this variable set to 1, a kernel forced with
    /// `OPENBLAS_CORETYPE` counts as OpenBLAS's own choice, so `OPENBLAS_CORETYPE=Prescott`
    /// makes any machine look like one that OpenBLAS does not know.
    public static let simulateFallbackVariable = "RLHF_SIMULATE_BLAS_FALLBACK"

    /// The vector level of one of OpenBLAS's x86 core names (as `openblas_get_corename()`
    /// returns them, any case); nil for a name it does not know (other CPU families).
    public static func vectorLevel(ofCore name: String) -> VectorLevel? {
        switch name.lowercased() {
        case "unknown", "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2",
             "penryn", "dunnington", "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona",
             "nano", "bobcat":
            return .sse
        case "sandybridge", "bulldozer", "piledriver", "steamroller": return .avx
        case "haswell", "zen", "excavator": return .avx2
        case "skylakex": return .avx512
        case "cooperlake", "sapphirerapids": return .avx512bf16
        default: return nil
        }
    }

    /// The kernel to ask OpenBLAS for when the one it chose (`chosen`) uses narrower vectors
    /// than `cpu` runs; nil when its choice is as good (or is not an x86 kernel).
    ///
    /// AVX-512 with BF16 gets Cooperlake (what OpenBLAS 0.3.21 picks on Zen 4, and its
    /// fallback for Sapphire Rapids in releases that have that kernel), AVX-512 SkylakeX,
    /// AVX2 with FMA Haswell (Zen on AMD and Hygon), AVX Sandybridge.
    public static func preferredCore(chosen: String, cpu: CPUFeatures) -> String? {
        guard let chosenLevel = vectorLevel(ofCore: chosen) else { return nil }
        let level = cpu.vectorLevel
        guard chosenLevel < level else { return nil }
        switch level {
        case .sse: return nil
        case .avx: return "Sandybridge"
        case .avx2: return ["AuthenticAMD", "HygonGenuine"].contains(cpu.vendor) ? "Zen" : "Haswell"
        case .avx512: return "SkylakeX"
        case .avx512bf16: return "Cooperlake"
        }
    }

    /// What `useBestAvailable()` does, decided from the kernel OpenBLAS runs, the CPU and
    /// the environment the process started with.
    public enum Decision: Equatable, Sendable {
        /// Run on as it is.
        case keep
        /// Start the program again with these variables added to the environment.
        case restart(with: [String: String])
    }

    /// The pure part of `useBestAvailable()`: never re-start a re-started process, respect
    /// a kernel the user forced with `OPENBLAS_CORETYPE`, otherwise re-start with the
    /// preferred kernel when OpenBLAS fell back to an older one.
    public static func decision(running core: String, cpu: CPUFeatures, environment: [String: String]) -> Decision {
        if environment[fallbackVariable] != nil { return .keep }
        let simulating = environment[simulateFallbackVariable] == "1"
        if let forced = environment["OPENBLAS_CORETYPE"], !forced.isEmpty, !simulating { return .keep }
        guard let better = preferredCore(chosen: core, cpu: cpu) else { return .keep }
        return .restart(with: ["OPENBLAS_CORETYPE": better, fallbackVariable: core])
    }

    /// The kernel OpenBLAS runs, e.g. "Cooperlake" ("unknown" if it does not say).
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name).trimmingCharacters(in: .whitespaces)
    }

    /// "OpenBLAS 0.3.21" from the library's build configuration.
    public static var libraryVersion: String {
        guard let config = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: config).split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// Re-starts the program (same executable, same arguments) with the kernel this CPU
    /// deserves when OpenBLAS fell back to an older one; returns at once otherwise. Call it
    /// first thing in `main`, before anything else has run: the process is replaced, so
    /// what ran before the call runs twice. A kernel forced with `OPENBLAS_CORETYPE` is
    /// respected. Linux only (elsewhere `summary` says which variable to set).
    public static func useBestAvailable() {
        #if os(Linux)
        let decided = decision(running: coreName, cpu: .current, environment: ProcessInfo.processInfo.environment)
        guard case .restart(let variables) = decided else { return }
        for (name, value) in variables { setenv(name, value, 1) }
        fflush(stdout)
        fflush(stderr)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: the re-start failed. Run on with the kernel OpenBLAS chose.
        let reason = String(cString: strerror(errno))
        for name in variables.keys { unsetenv(name) }
        FileHandle.standardError.write(Data("could not re-start with OPENBLAS_CORETYPE=\(variables["OPENBLAS_CORETYPE"] ?? "") (\(reason)); running on OpenBLAS's \(coreName) kernel\n".utf8))
        #endif
    }

    /// One line for chapter settings and benchmarks: the CPU, OpenBLAS's version, the
    /// kernel it runs and who chose it, e.g.
    /// "AMD EPYC (AuthenticAMD family 25 model 17, AVX-512 + BF16), OpenBLAS 0.3.21, kernel
    /// Cooperlake (chosen by OpenBLAS)".
    public static var summary: String {
        let cpu = CPUFeatures.current
        let features: String
        switch cpu.vectorLevel {
        case .sse: features = "SSE"
        case .avx: features = "AVX"
        case .avx2: features = "AVX2 + FMA"
        case .avx512: features = "AVX-512"
        case .avx512bf16: features = "AVX-512 + BF16"
        }
        let identity = cpu.vendor.isEmpty ? "" : " (\(cpu.vendor) family \(cpu.family) model \(cpu.model), \(features))"
        let core = coreName
        return "\(CPUFeatures.modelName)\(identity), \(libraryVersion), kernel \(core) (\(origin(running: core, cpu: cpu, environment: ProcessInfo.processInfo.environment)))"
    }

    /// Who chose the kernel `core`, for `summary`.
    static func origin(running core: String, cpu: CPUFeatures, environment: [String: String]) -> String {
        let requested = environment["OPENBLAS_CORETYPE"] ?? ""
        let honoured = requested.lowercased() == core.lowercased()
        if let chosen = environment[fallbackVariable] {
            return honoured
                ? "set by the course: OpenBLAS chose \(chosen)"
                : "OpenBLAS chose \(chosen) and has no \(requested) kernel"
        }
        if !requested.isEmpty {
            if !honoured { return "OPENBLAS_CORETYPE=\(requested) is not a kernel of this OpenBLAS" }
            if let better = preferredCore(chosen: core, cpu: cpu) {
                return "set by OPENBLAS_CORETYPE; this CPU can run \(better)"
            }
            return "set by OPENBLAS_CORETYPE"
        }
        if let better = preferredCore(chosen: core, cpu: cpu) {
            return "chosen by OpenBLAS; this CPU can run \(better): set OPENBLAS_CORETYPE=\(better)"
        }
        return "chosen by OpenBLAS"
    }
}
