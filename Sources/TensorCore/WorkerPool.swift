import COpenBLAS
import Foundation

/// The threads that split products and loops across the cores: one per core beyond the
/// caller's, started the first time a split runs, alive for the rest of the process.
///
/// Why not Grand Central Dispatch: waking an idle GCD thread costs 20-30 µs, as long as a
/// whole 2048×128×128 product takes on one core, so a split that waits for the woken
/// thread can end up slower than no split at all. Here a worker that has finished a job
/// keeps checking for the next one for `spinNanoseconds` (a training step hands out a new
/// job every few microseconds), and only then sleeps on a condition variable. The caller
/// never waits for a sleeping worker to wake: it takes parts itself until none are left,
/// so a product costs at most what it costs on one thread, plus one wake-up call.
///
/// A job is `parts` calls body(0), ..., body(parts - 1). Which thread runs which part
/// depends on timing, but what each part computes does not, so results are the same on
/// every run. One job runs at a time: a second caller (another thread, or a part that
/// itself splits work) finds the pool busy and runs all its parts inline, in order, which
/// gives the same results and can never wait on itself.
///
/// Shared state, all through the C11 atomics of the COpenBLAS shim on words that stay at
/// one heap address (Swift 5 mode has no standard atomics on macOS 13):
/// - `state` = generation << 32 | parts << 16 | next part to take. Publishing a job
///   stores a new generation; taking a part is a compare-and-swap that moves `next` on
///   only if the generation is still the one the taker saw, so a worker that wakes late
///   can never take a part of a later job than the one it looked at.
/// - `finished`: parts done; the caller returns when it reaches `parts`.
/// - `sleepers`: workers about to sleep or asleep; the caller signals the condition only
///   when it is nonzero. A worker counts itself and re-reads `state` under the lock, and
///   the caller stores `state` before reading `sleepers`, so either the worker sees the
///   new job or the caller sees the sleeper (both sides use sequentially consistent
///   operations, and the signal is sent under the same lock).
/// - `busy`: 1 while a caller owns the pool.
final class WorkerPool {
    /// The pool for products and loops: `BLAS.threadCount - 1` workers (none on one core).
    static let shared = WorkerPool(workers: BLAS.threadCount - 1)

    /// How long an idle worker polls for the next job before it goes to sleep: long enough
    /// to bridge the gaps between the products and loops of a training step, short enough
    /// that a process with no work left stops using the core almost at once.
    static let spinNanoseconds: UInt64 = 50_000

    let workerCount: Int
    private let words: UnsafeMutablePointer<Int>
    private var state: UnsafeMutablePointer<Int> { words }
    // One 64-byte cache line per word, so the workers' polling of `state` does not slow
    // down the writes to `finished`.
    private var finished: UnsafeMutablePointer<Int> { words + 8 }
    private var sleepers: UnsafeMutablePointer<Int> { words + 16 }
    private var busy: UnsafeMutablePointer<Int> { words + 24 }
    private let wakeUp = NSCondition()
    /// The running job's body. Written only by the caller that owns the pool, before it
    /// publishes the job and after every part has finished; read only by a thread that has
    /// just taken a part, so never while it is being written.
    private var job: ((Int) -> Void)?

    /// Workers asleep on the condition (or about to be): all of them, soon after the last
    /// job, in a process with nothing more to split.
    var sleepingWorkers: Int { rlhf_atomic_load(sleepers) }

    init(workers: Int) {
        workerCount = max(0, workers)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 32 * MemoryLayout<Int>.stride, alignment: 64)
        words = raw.initializeMemory(as: Int.self, repeating: 0, count: 32)
        for index in 0..<workerCount {
            // The thread holds the pool for good: a pool lives as long as the process.
            let thread = Thread { self.workerLoop() }
            thread.name = "TensorCore worker \(index + 1)"
            thread.start()
        }
    }

    /// Runs body(0), ..., body(parts - 1), each once, on the caller and the workers, and
    /// returns when all have finished. If the pool is busy (another caller, or a part of a
    /// running job splitting its own work) the parts run inline on the calling thread.
    func run(parts: Int, _ body: (Int) -> Void) {
        precondition(parts < 1 << 16, "WorkerPool.run: \(parts) parts, at most 65535")
        if parts < 2 || workerCount == 0 || !rlhf_atomic_compare_exchange(busy, 0, 1) {
            for part in 0..<parts { body(part) }
            return
        }
        withoutActuallyEscaping(body) { body in
            job = body
            rlhf_atomic_store(finished, 0)
            // Only the owner of the pool writes a generation, so it can read the last one.
            let generation = ((rlhf_atomic_load(state) >> 32) + 1) & 0x7FFF_FFFF
            rlhf_atomic_store(state, generation << 32 | parts << 16)
            if rlhf_atomic_load(sleepers) > 0 {
                wakeUp.lock()
                wakeUp.broadcast()
                wakeUp.unlock()
            }
            takeParts(of: generation)
            // Parts still running on workers: they finish within one part's time, unless
            // the system has taken their core, so poll, and yield now and then.
            var polls = 0
            while rlhf_atomic_load(finished) < parts {
                rlhf_spin_pause()
                polls += 1
                if polls & 1023 == 0 { sched_yield() }
            }
            job = nil
        }
        rlhf_atomic_store(busy, 0)
    }

    /// Takes the parts of job `generation` that nobody has taken yet, one at a time, and
    /// runs them; returns when none are left (or a later job has replaced it).
    private func takeParts(of generation: Int) {
        while true {
            let word = rlhf_atomic_load(state)
            let parts = (word >> 16) & 0xFFFF, next = word & 0xFFFF
            if word >> 32 != generation || next >= parts { return }
            if rlhf_atomic_compare_exchange(state, word, word + 1) {
                runPart(next)
                _ = rlhf_atomic_fetch_add(finished, 1)
            }
        }
    }

    /// Kept out of line so that this thread's reference to the body is released before
    /// the part counts as finished (the caller then clears `job` and its closure ends).
    @inline(never)
    private func runPart(_ part: Int) {
        job!(part)
    }

    private func workerLoop() {
        var seen = 0
        while true {
            seen = nextGeneration(after: seen)
            takeParts(of: seen)
        }
    }

    /// Waits for a generation other than `seen`: polls for `spinNanoseconds`, then sleeps.
    private func nextGeneration(after seen: Int) -> Int {
        let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
        var polls = 0
        while true {
            let generation = rlhf_atomic_load(state) >> 32
            if generation != seen { return generation }
            rlhf_spin_pause()
            polls += 1
            // Reading the clock costs about as much as 20 polls; look at it every 64th.
            if polls & 63 == 0 && DispatchTime.now().uptimeNanoseconds > deadline { break }
        }
        wakeUp.lock()
        _ = rlhf_atomic_fetch_add(sleepers, 1)
        while rlhf_atomic_load(state) >> 32 == seen { wakeUp.wait() }
        _ = rlhf_atomic_fetch_add(sleepers, -1)
        wakeUp.unlock()
        return rlhf_atomic_load(state) >> 32
    }
}
