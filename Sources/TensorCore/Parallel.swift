import Dispatch
import Foundation

/// Splits elementwise and row-wise work across the cores when it is large enough to pay
/// for the hand-off (about 20 microseconds); small work runs inline on the caller.
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
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let start = count * c / chunks
                let end = count * (c + 1) / chunks
                if start < end { body(start..<end) }
            }
        }
    }
}
