import XCTest
@testable import TensorCore

/// The choice of OpenBLAS kernel: which core a CPU deserves, when the course re-starts a
/// program to get it, and what the one-line summary says.
final class BLASKernelTests: XCTestCase {
    /// Intel Xeon, family 6 model 207 (Emerald Rapids): AVX-512 with BF16.
    private let emeraldRapids: CPUFeatures = {
        var cpu = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 207)
        cpu.avx = true; cpu.fma = true; cpu.avx2 = true
        cpu.avx512f = true; cpu.avx512dq = true; cpu.avx512cd = true; cpu.avx512bw = true; cpu.avx512vl = true
        cpu.avx512bf16 = true
        return cpu
    }()

    /// AMD Zen 4 (family 25): the same vector features as Emerald Rapids.
    private var zen4: CPUFeatures {
        var cpu = emeraldRapids
        cpu.vendor = "AuthenticAMD"; cpu.family = 25; cpu.model = 17
        return cpu
    }

    /// Intel Skylake-SP: AVX-512 without BF16.
    private var skylakeServer: CPUFeatures {
        var cpu = emeraldRapids
        cpu.model = 85; cpu.avx512bf16 = false
        return cpu
    }

    /// An AVX2 machine of either vendor (Haswell, Zen 3).
    private func avx2Only(vendor: String) -> CPUFeatures {
        var cpu = CPUFeatures(vendor: vendor, family: vendor == "AuthenticAMD" ? 25 : 6, model: 33)
        cpu.avx = true; cpu.fma = true; cpu.avx2 = true
        return cpu
    }

    func testPrescottFallbackOnEmeraldRapidsGetsCooperlake() {
        XCTAssertEqual(BLASKernel.preferredCore(chosen: "Prescott", cpu: emeraldRapids), "Cooperlake")
    }

    func testFallbackOnAVX512WithoutBF16GetsSkylakeX() {
        XCTAssertEqual(BLASKernel.preferredCore(chosen: "Prescott", cpu: skylakeServer), "SkylakeX")
        XCTAssertEqual(BLASKernel.preferredCore(chosen: "Haswell", cpu: skylakeServer), "SkylakeX")
    }

    func testFallbackOnAVX2GetsTheVendorsKernel() {
        XCTAssertEqual(BLASKernel.preferredCore(chosen: "Prescott", cpu: avx2Only(vendor: "GenuineIntel")), "Haswell")
        XCTAssertEqual(BLASKernel.preferredCore(chosen: "Barcelona", cpu: avx2Only(vendor: "AuthenticAMD")), "Zen")
        XCTAssertEqual(BLASKernel.preferredCore(chosen: "Sandybridge", cpu: avx2Only(vendor: "HygonGenuine")), "Zen")
    }

    func testAGoodChoiceIsKept() {
        XCTAssertNil(BLASKernel.preferredCore(chosen: "Cooperlake", cpu: zen4))          // OpenBLAS 0.3.21 on Zen 4
        XCTAssertNil(BLASKernel.preferredCore(chosen: "SapphireRapids", cpu: emeraldRapids))
        XCTAssertNil(BLASKernel.preferredCore(chosen: "SkylakeX", cpu: skylakeServer))
        XCTAssertNil(BLASKernel.preferredCore(chosen: "Zen", cpu: avx2Only(vendor: "AuthenticAMD")))
        XCTAssertNil(BLASKernel.preferredCore(chosen: "Haswell", cpu: avx2Only(vendor: "GenuineIntel")))
    }

    func testAKernelWiderThanTheCPUIsLeftToOpenBLAS() {
        // Only ever upgrade: a choice wider than what the CPU reports is OpenBLAS's business.
        XCTAssertNil(BLASKernel.preferredCore(chosen: "SkylakeX", cpu: avx2Only(vendor: "GenuineIntel")))
    }

    func testAVX512WithoutOperatingSystemSupportDoesNotCount() {
        // A hypervisor or kernel that does not save the ZMM registers clears the AVX-512 flags
        // (the shim checks XGETBV): such a CPU is an AVX2 machine.
        var cpu = avx2Only(vendor: "GenuineIntel")
        cpu.avx512bf16 = true   // without AVX-512F, BF16 alone means nothing
        XCTAssertEqual(cpu.vectorLevel, .avx2)
        XCTAssertEqual(BLASKernel.preferredCore(chosen: "Prescott", cpu: cpu), "Haswell")
    }

    func testPartialAVX512IsNotEnoughForSkylakeX() {
        // Knights Landing has AVX-512F and CD but neither BW nor VL, which SkylakeX uses.
        var cpu = avx2Only(vendor: "GenuineIntel")
        cpu.avx512f = true; cpu.avx512cd = true
        XCTAssertNil(BLASKernel.preferredCore(chosen: "Haswell", cpu: cpu))
    }

    func testOldCPUsAndOtherArchitecturesAreLeftAlone() {
        XCTAssertNil(BLASKernel.preferredCore(chosen: "Prescott", cpu: CPUFeatures(vendor: "GenuineIntel", family: 6, model: 15)))
        XCTAssertNil(BLASKernel.preferredCore(chosen: "NEOVERSEN1", cpu: CPUFeatures(vendor: "")))
        XCTAssertNil(BLASKernel.preferredCore(chosen: "armv8", cpu: emeraldRapids))
        var avxOnly = CPUFeatures(vendor: "GenuineIntel", family: 6, model: 42)
        avxOnly.avx = true
        XCTAssertEqual(BLASKernel.preferredCore(chosen: "Nehalem", cpu: avxOnly), "Sandybridge")
    }

    func testCoreNamesAreMatchedInAnyCase() {
        XCTAssertEqual(BLASKernel.vectorLevel(ofCore: "PRESCOTT"), .sse)
        XCTAssertEqual(BLASKernel.vectorLevel(ofCore: "skylakex"), .avx512)
        XCTAssertEqual(BLASKernel.preferredCore(chosen: "prescott", cpu: emeraldRapids), "Cooperlake")
    }

    // MARK: - When to re-start

    func testFallbackRestartsWithTheKernelAndTheGuard() {
        let decision = BLASKernel.decision(running: "Prescott", cpu: emeraldRapids, environment: [:])
        XCTAssertEqual(decision, .restart(with: ["OPENBLAS_CORETYPE": "Cooperlake", BLASKernel.fallbackVariable: "Prescott"]))
    }

    func testARestartedProcessNeverRestartsAgain() {
        // Even if OpenBLAS ignored the kernel asked for (a build without it), there is no loop.
        let environment = ["OPENBLAS_CORETYPE": "Cooperlake", BLASKernel.fallbackVariable: "Prescott"]
        XCTAssertEqual(BLASKernel.decision(running: "Prescott", cpu: emeraldRapids, environment: environment), .keep)
    }

    func testAKernelTheUserForcedIsRespected() {
        let environment = ["OPENBLAS_CORETYPE": "Prescott"]
        XCTAssertEqual(BLASKernel.decision(running: "Prescott", cpu: emeraldRapids, environment: environment), .keep)
    }

    func testTheSimulationHookTreatsAForcedKernelAsOpenBLASsChoice() {
        let environment = ["OPENBLAS_CORETYPE": "Prescott", BLASKernel.simulateFallbackVariable: "1"]
        XCTAssertEqual(BLASKernel.decision(running: "Prescott", cpu: zen4, environment: environment),
                       .restart(with: ["OPENBLAS_CORETYPE": "Cooperlake", BLASKernel.fallbackVariable: "Prescott"]))
    }

    func testAGoodKernelNeedsNoRestart() {
        XCTAssertEqual(BLASKernel.decision(running: "Cooperlake", cpu: zen4, environment: [:]), .keep)
        XCTAssertEqual(BLASKernel.decision(running: "Cooperlake", cpu: zen4,
                                           environment: [BLASKernel.simulateFallbackVariable: "1"]), .keep)
    }

    // MARK: - The summary line

    func testOriginSaysWhoChoseTheKernel() {
        XCTAssertEqual(BLASKernel.origin(running: "Cooperlake", cpu: zen4, environment: [:]), "chosen by OpenBLAS")
        XCTAssertEqual(BLASKernel.origin(running: "Cooperlake", cpu: emeraldRapids,
                                         environment: ["OPENBLAS_CORETYPE": "Cooperlake", BLASKernel.fallbackVariable: "Prescott"]),
                       "set by the course: OpenBLAS chose Prescott")
        XCTAssertEqual(BLASKernel.origin(running: "Prescott", cpu: emeraldRapids,
                                         environment: ["OPENBLAS_CORETYPE": "Cooperlake", BLASKernel.fallbackVariable: "Prescott"]),
                       "OpenBLAS chose Prescott and has no Cooperlake kernel")
        XCTAssertEqual(BLASKernel.origin(running: "Haswell", cpu: zen4, environment: ["OPENBLAS_CORETYPE": "Haswell"]),
                       "set by OPENBLAS_CORETYPE; this CPU can run Cooperlake")
        XCTAssertEqual(BLASKernel.origin(running: "Cooperlake", cpu: zen4, environment: ["OPENBLAS_CORETYPE": "cooperlake"]),
                       "set by OPENBLAS_CORETYPE")
        XCTAssertEqual(BLASKernel.origin(running: "Prescott", cpu: emeraldRapids, environment: [:]),
                       "chosen by OpenBLAS; this CPU can run Cooperlake: set OPENBLAS_CORETYPE=Cooperlake")
    }

    func testSummaryNamesTheLibraryAndTheRunningKernel() {
        let summary = BLASKernel.summary
        XCTAssertTrue(summary.contains("OpenBLAS"), summary)
        XCTAssertTrue(summary.contains("kernel \(BLASKernel.coreName)"), summary)
    }

    func testTheCPUReadsAsItsOwnVectorLevel() {
        // CPUID and the core name must agree with each other on the machine running the tests:
        // whatever OpenBLAS chose by itself is at most as wide as what CPUID reports.
        let cpu = CPUFeatures.current
        #if arch(x86_64)
        XCTAssertFalse(cpu.vendor.isEmpty)
        if cpu.avx512f { XCTAssertTrue(cpu.avx2, "AVX-512F without AVX2") }
        #endif
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
           let level = BLASKernel.vectorLevel(ofCore: BLASKernel.coreName) {
            XCTAssertLessThanOrEqual(level, cpu.vectorLevel, "OpenBLAS runs \(BLASKernel.coreName) on \(cpu)")
        }
    }
}
