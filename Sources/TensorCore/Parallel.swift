/// Splits elementwise and row-wise work across the cores (on the worker pool that also
/// splits products) when it is large enough to pay for the hand-off; small work runs
/// inline on the caller.
public enum Parallel {
    /// Cores to use for the course's own loops (the same setting as OpenBLAS's).
    public static var workerCount: Int { BLAS.threadCount }

    /// Calls `body(range)` over disjoint chunks that cover 0..<count. `cost` is a rough
    /// number of floating-point operations per item; work under ~64k operations in total
    /// stays on one thread.
    @inline(__always)
    public static func forEachChunk(_ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void) {
        let workers = workerCount
        if workers <= 1 || count * cost < 65_536 || count < 2 {
            body(0..<count)
            return
        }
        let chunks = min(workers, count)
        forEachPart(chunks) { c in
            let start = count * c / chunks
            let end = count * (c + 1) / chunks
            if start < end { body(start..<end) }
        }
    }

    /// Calls body(0), ..., body(parts - 1), each once, spread over the cores, for work that
    /// splits itself: blocks aligned to cache lines, or a scratch buffer per part. What a
    /// part computes must depend only on its index, never on the thread that runs it.
    @inline(__always)
    public static func forEachPart(_ parts: Int, _ body: (Int) -> Void) {
        WorkerPool.shared.run(parts: parts, body)
    }
}
