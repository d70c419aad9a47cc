// The one C header the course needs: OpenBLAS's CBLAS interface, plus its thread control,
// four atomic operations and a spin-wait hint for the core's worker pool, and the CPU's
// identity and vector features (to pick OpenBLAS's kernel).
#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <cblas.h>
#include <stdbool.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
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

// What the CPU can run, as the kernels need it: each AVX flag is set only when the CPU has
// the instructions and the operating system saves their registers (XGETBV), which is the
// test OpenBLAS itself makes. All zero on a CPU that is not x86.
typedef struct {
    char vendor[13];          // "GenuineIntel", "AuthenticAMD", ... (empty if not x86)
    unsigned family, model;   // display family and model, extended parts included
    bool avx, fma, avx2;
    bool avx512f, avx512dq, avx512cd, avx512bw, avx512vl, avx512bf16;
} rlhf_cpu_features;

static inline rlhf_cpu_features rlhf_read_cpu_features(void) {
    rlhf_cpu_features f;
    memset(&f, 0, sizeof f);
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return f;
    unsigned highest = a;
    memcpy(f.vendor, &b, 4); memcpy(f.vendor + 4, &d, 4); memcpy(f.vendor + 8, &c, 4);
    __get_cpuid(1, &a, &b, &c, &d);
    unsigned baseFamily = (a >> 8) & 0xF, baseModel = (a >> 4) & 0xF;
    f.family = baseFamily == 0xF ? baseFamily + ((a >> 20) & 0xFF) : baseFamily;
    f.model = (baseFamily == 0x6 || baseFamily == 0xF) ? baseModel | (((a >> 16) & 0xF) << 4) : baseModel;
    bool osxsave = (c >> 27) & 1;
    unsigned long long xcr0 = 0;
    if (osxsave) {
        unsigned lo, hi;
        __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = ((unsigned long long)hi << 32) | lo;
    }
    bool osAVX = (xcr0 & 0x6) == 0x6;        // XMM and YMM state
    bool osAVX512 = (xcr0 & 0xE6) == 0xE6;   // and opmask, ZMM0-15 upper halves, ZMM16-31
    f.avx = osAVX && ((c >> 28) & 1);
    f.fma = osAVX && ((c >> 12) & 1);
    if (highest >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        f.avx2 = osAVX && ((b >> 5) & 1);
        f.avx512f = osAVX512 && ((b >> 16) & 1);
        f.avx512dq = osAVX512 && ((b >> 17) & 1);
        f.avx512cd = osAVX512 && ((b >> 28) & 1);
        f.avx512bw = osAVX512 && ((b >> 30) & 1);
        f.avx512vl = osAVX512 && ((b >> 31) & 1);
        __cpuid_count(7, 1, a, b, c, d);
        f.avx512bf16 = osAVX512 && ((a >> 5) & 1);
    }
#endif
    return f;
}

#endif
