// The one C header the course needs: OpenBLAS's CBLAS interface, plus its thread control,
// and four atomic operations and a spin-wait hint for the core's worker pool.
#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <cblas.h>
#include <stdbool.h>
// openblas_set_num_threads and openblas_get_num_threads are declared in <cblas.h> by
// OpenBLAS itself.

// Sequentially consistent atomic operations on a `long` (Swift's Int) that stays at one
// address (heap memory the pool allocates once). Swift 5 mode has no atomics in its
// standard library on every platform the package supports (the Synchronization module
// needs macOS 15), and C11's builtins compile to single instructions on x86-64 and arm64.
static inline long rlhf_atomic_load(long *address) {
    return __atomic_load_n(address, __ATOMIC_SEQ_CST);
}
static inline void rlhf_atomic_store(long *address, long value) {
    __atomic_store_n(address, value, __ATOMIC_SEQ_CST);
}
static inline long rlhf_atomic_fetch_add(long *address, long value) {
    return __atomic_fetch_add(address, value, __ATOMIC_SEQ_CST);
}
// Replaces *address by `desired` if it still holds `expected`; true if it did.
static inline bool rlhf_atomic_compare_exchange(long *address, long expected, long desired) {
    return __atomic_compare_exchange_n(address, &expected, desired, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
// Tells the core that this thread is busy-waiting, so it yields pipeline resources to
// a sibling hyperthread and saves power: PAUSE on x86, YIELD on arm.
static inline void rlhf_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}
#endif
