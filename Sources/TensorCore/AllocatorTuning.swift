#if canImport(Glibc)
import Glibc
#endif

/// Keeps freed activation buffers in the process's heap instead of handing them back to the
/// kernel.
///
/// glibc's malloc serves large blocks with mmap and returns freed memory at the top of the
/// heap to the kernel; the next allocation of the same size then page-faults every page in
/// again, zero-filled. A training step allocates and frees the same few hundred buffers of
/// megabytes each, step after step, so by default much of its time goes to page faults.
/// Raising the thresholds makes freed blocks stay for reuse, as PyTorch's caching allocator
/// does. Measured on the 2-core reference machine: LayerNorm forward on [8, 256, 384]
/// 2.7 -> 0.3 ms, attention forward on [8, 256, 1152] 17.5 -> 9.7 ms.
/// The cost is that the process keeps its peak heap size until it exits.
enum AllocatorTuning {
    /// Applied once, from `BLAS.threadCount`, which every op touches before its first
    /// parallel loop or matrix product.
    static let applied: Bool = {
        #if os(Linux)
        // mallopt lives in <malloc.h>, which Swift's Glibc module does not export; look it
        // up by name. Parameter numbers from that header.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, topPad: Int32 = -2, mmapThreshold: Int32 = -3
        _ = mallopt(mmapThreshold, 32 << 20)   // blocks up to 32 MiB come from the heap (glibc's maximum)
        _ = mallopt(trimThreshold, 1 << 30)    // keep up to 1 GiB of free heap instead of trimming it
        _ = mallopt(topPad, 64 << 20)          // grow the heap in 64 MiB steps
        return true
        #else
        return false
        #endif
    }()
}
