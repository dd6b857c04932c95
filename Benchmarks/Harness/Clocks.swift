#if canImport(Glibc)
import Glibc
#endif

/// Raw clocks. CLOCK_MONOTONIC is system-wide, so the harness's "first request seen" stamps
/// compare directly with the spawn stamps the C launcher writes; the thread CPU clock measures the
/// micro-benchmark on one core without counting the servers' threads.
enum Clocks {
    static func monotonicNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    static func threadCPUNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}

/// Keeps the harness and its servers on one CPU so the measured child has the other to itself.
///
/// Linux affinity is per thread and inherited by threads created later, so pinning the main thread
/// before any server starts pins every thread the harness will have.
enum CPUPinning {
    static var cpuCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// glibc declares `sched_setaffinity` only under _GNU_SOURCE, which Swift's Glibc module does not
    /// set, so it is looked up at run time.
    private typealias SetAffinity = @convention(c) (pid_t, Int, UnsafeRawPointer) -> Int32

    @discardableResult
    static func pinCurrentThread(to cpu: Int) -> Bool {
        guard let symbol = dlsym(nil, "sched_setaffinity") else { return false }
        let setAffinity = unsafeBitCast(symbol, to: SetAffinity.self)
        // A 1024-bit mask, the size of glibc's cpu_set_t.
        var mask = [UInt64](repeating: 0, count: 16)
        mask[cpu / 64] |= 1 << UInt64(cpu % 64)
        return mask.withUnsafeBytes { setAffinity(0, $0.count, $0.baseAddress!) } == 0
    }
}
