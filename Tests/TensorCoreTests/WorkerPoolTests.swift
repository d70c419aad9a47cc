import COpenBLAS
import Dispatch
import Foundation
import XCTest
@testable import TensorCore

/// The worker pool that splits products and loops: every part of every job runs exactly
/// once, a part that splits work again runs it inline instead of waiting on itself,
/// callers on several threads at once get their own results, and idle workers stop
/// polling and sleep. Most tests use a pool of three workers of their own, so that they
/// exercise hand-offs even on a one-core machine; the rest go through the shared pool
/// the ops use.
final class WorkerPoolTests: XCTestCase {
    /// Three workers, more than this machine may have cores: parts then also run on
    /// threads the system has descheduled, the case where a late worker must not take a
    /// part of a later job.
    private static let pool = WorkerPool(workers: 3)

    /// Runs `body` on a thread of its own and fails if it has not returned after
    /// `seconds`, so that a deadlock fails the test instead of hanging the suite.
    private func finishes(within seconds: Double, _ what: String, file: StaticString = #filePath,
                          line: UInt = #line, _ body: @escaping () -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread {
            body()
            done.signal()
        }.start()
        if done.wait(timeout: .now() + seconds) == .timedOut {
            XCTFail("\(what) did not finish within \(seconds) s", file: file, line: line)
        }
    }

    func testEveryPartOfEveryJobRunsExactlyOnce() {
        for pool in [Self.pool, WorkerPool.shared] {
            // Part counts from 1 to 9, so there are jobs with fewer parts than threads,
            // as many, and more; each part adds to its own slot only.
            for job in 0..<3000 {
                let parts = 1 + job % 9
                var runs = [Int](repeating: 0, count: parts)
                runs.withUnsafeMutableBufferPointer { slots in
                    pool.run(parts: parts) { part in slots[part] += 1 }
                }
                if runs != [Int](repeating: 1, count: parts) {
                    XCTFail("job \(job) with \(parts) parts on \(pool.workerCount) workers ran \(runs)")
                    return
                }
            }
        }
    }

    func testAPartThatSplitsWorkAgainRunsItInlineOnItsOwnThread() {
        let pool = Self.pool
        let parts = 4, inner = 5
        // Row `part`: the threads of its inner parts, then the thread of the part itself.
        var threads = [pthread_t?](repeating: nil, count: parts * (inner + 1))
        var sums = [Int](repeating: 0, count: parts)
        threads.withUnsafeMutableBufferPointer { threads in
            sums.withUnsafeMutableBufferPointer { sums in
                let (threads, sums) = (threads, sums)
                finishes(within: 30, "a nested run") {
                    pool.run(parts: parts) { part in
                        threads[part * (inner + 1) + inner] = pthread_self()
                        pool.run(parts: inner) { innerPart in
                            threads[part * (inner + 1) + innerPart] = pthread_self()
                            sums[part] += 10 * part + innerPart
                        }
                    }
                }
            }
        }
        for part in 0..<parts {
            XCTAssertEqual(sums[part], (0..<inner).reduce(0) { $0 + 10 * part + $1 }, "part \(part)")
            guard let outer = threads[part * (inner + 1) + inner] else { XCTFail("part \(part) never ran"); continue }
            for innerPart in 0..<inner {
                XCTAssertTrue(threads[part * (inner + 1) + innerPart].map { pthread_equal($0, outer) != 0 } ?? false,
                              "inner part \(innerPart) of part \(part) ran on another thread")
            }
        }
    }

    /// The ops' own nesting: a parallel loop whose chunks each compute a split product and
    /// run a parallel loop of their own (every level above its threshold).
    func testProductsAndLoopsInsideAParallelLoopMatchTheNaiveResults() {
        let (m, n, k) = (160, 128, 128)
        XCTAssertGreaterThanOrEqual(m * n * k, BLAS.parallelThreshold)
        let a = (0..<(m * k)).map { Float(($0 * 7) % 13) - 6 }
        let b = (0..<(k * n)).map { Float(($0 * 5) % 11) - 5 }
        // Small whole numbers: every order of summation gives the exact product.
        var expected = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var total: Float = 0
                for l in 0..<k { total += a[i * k + l] * b[l * n + j] }
                expected[i * n + j] = total
            }
        }
        let chunks = 4, loop = 100_000
        var products = [Float](repeating: 0, count: chunks * m * n)
        var squares = [Float](repeating: 0, count: chunks * loop)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                products.withUnsafeMutableBufferPointer { pc in
                    squares.withUnsafeMutableBufferPointer { out in
                        let (pc, out) = (pc, out)
                        finishes(within: 60, "products inside a parallel loop") {
                            Parallel.forEachChunk(chunks, cost: 1 << 20) { range in
                                for chunk in range {
                                    BLAS.sgemm(transposeA: false, transposeB: false, m: m, n: n, k: k,
                                               a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                                               c: pc.baseAddress! + chunk * m * n, ldc: n)
                                    Parallel.forEachChunk(loop) { inner in
                                        for i in inner { out[chunk * loop + i] = Float(i % 1000) * Float(i % 1000) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let expectedSquares = (0..<loop).map { Float($0 % 1000) * Float($0 % 1000) }
        for chunk in 0..<chunks {
            assertClose(Array(products[(chunk * m * n)..<((chunk + 1) * m * n)]), expected, tolerance: 0,
                        "product of chunk \(chunk)")
            assertClose(Array(squares[(chunk * loop)..<((chunk + 1) * loop)]), expectedSquares, tolerance: 0,
                        "loop of chunk \(chunk)")
        }
    }

    func testCallersOnSeveralThreadsEachGetTheirOwnResults() {
        let pool = Self.pool
        let callers = 4, jobs = 400, parts = 6, slots = jobs * parts
        var results = [Int](repeating: 0, count: callers * slots)
        results.withUnsafeMutableBufferPointer { results in
            let results = results
            finishes(within: 60, "callers on several threads") {
                DispatchQueue.concurrentPerform(iterations: callers) { caller in
                    for job in 0..<jobs {
                        pool.run(parts: parts) { part in
                            results[caller * slots + job * parts + part] += caller * 100_000 + job * 10 + part
                        }
                    }
                }
            }
        }
        for caller in 0..<callers {
            for slot in 0..<slots where results[caller * slots + slot] != caller * 100_000 + (slot / parts) * 10 + slot % parts {
                XCTFail("caller \(caller), job \(slot / parts), part \(slot % parts): \(results[caller * slots + slot])")
                break
            }
        }
    }

    /// Split products computed on several threads at once (each then either gets the pool
    /// or runs its blocks inline) are bit-identical to the same product computed alone.
    func testSplitProductsFromSeveralThreadsAreBitIdenticalToOneAlone() {
        let (m, n, k) = (301, 96, 80)
        XCTAssertGreaterThanOrEqual(m * n * k, BLAS.parallelThreshold)
        var rng = RandomGenerator(seed: 45)
        let a = (0..<(m * k)).map { _ in Float(rng.normal()) }
        let b = (0..<(k * n)).map { _ in Float(rng.normal()) }
        func product() -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        BLAS.sgemm(transposeA: false, transposeB: false, m: m, n: n, k: k,
                                   a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                                   c: pc.baseAddress!, ldc: n)
                    }
                }
            }
            return c
        }
        let alone = product()
        let callers = 3, repeats = 20
        var differing = [Int](repeating: -1, count: callers)
        differing.withUnsafeMutableBufferPointer { differing in
            let differing = differing
            finishes(within: 60, "products on several threads") {
                DispatchQueue.concurrentPerform(iterations: callers) { caller in
                    differing[caller] = (0..<repeats).filter { _ in product() != alone }.count
                }
            }
        }
        XCTAssertEqual(differing, [Int](repeating: 0, count: callers),
                       "products (per caller, of \(repeats)) that differ from the product computed alone")
    }

    func testIdleWorkersStopPollingAndSleep() {
        let pool = Self.pool
        // A job whose first parts wait for one another until every thread of the pool
        // holds one, so that every worker is awake, and then polling, when it ends.
        let threads = pool.workerCount + 1
        let arrived = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        arrived.initialize(to: 0)
        defer { arrived.deallocate() }
        finishes(within: 30, "a job that every worker joins") {
            pool.run(parts: 2 * threads) { _ in
                _ = rlhf_atomic_fetch_add(arrived, 1)
                while rlhf_atomic_load(arrived) < threads { sched_yield() }
            }
        }
        XCTAssertEqual(rlhf_atomic_load(arrived), 2 * threads)
        // Polling lasts spinNanoseconds (50 µs); allow a loaded machine two seconds.
        let deadline = Date().addingTimeInterval(2)
        while pool.sleepingWorkers < pool.workerCount && Date() < deadline { usleep(1000) }
        XCTAssertEqual(pool.sleepingWorkers, pool.workerCount, "workers still polling two seconds after their last job")
    }
}
