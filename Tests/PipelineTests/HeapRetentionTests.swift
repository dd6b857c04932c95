#if canImport(Glibc)
import Glibc
import ShipperPipeline
import Testing

/// `HeapRetention` against glibc itself: the settings are accepted, and a freed block the size of
/// a bulk body is reused without its pages being faulted in again (with glibc's defaults the
/// second block is a fresh mapping or a re-grown heap, every page a fault).
@Suite struct HeapRetentionTests {
    /// Minor page faults of the calling thread so far (other tests' threads do not count).
    static func threadMinorFaults() -> Int {
        var usage = rusage()
        #expect(getrusage(__rusage_who_t(1) /* RUSAGE_THREAD */, &usage) == 0)
        return usage.ru_minflt
    }

    /// Faults taken while a fresh block of `size` bytes is written whole and freed.
    static func faultsWritingABlock(of size: Int) -> Int {
        let before = threadMinorFaults()
        guard let block = malloc(size) else { return Int.max }
        memset(block, 1, size)
        free(block)
        return threadMinorFaults() - before
    }

    @Test func aFreedBulkSizedBlockIsWrittenAgainWithoutFaultingItsPagesIn() {
        #expect(HeapRetention.keepFreedMemory(), "glibc refused a malloc setting")
        let size = 8 << 20
        let pages = size / Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = Self.faultsWritingABlock(of: size)
        let second = Self.faultsWritingABlock(of: size)
        let third = Self.faultsWritingABlock(of: size)
        // The first block may fault (the heap grows to hold it); the next ones reuse it.
        #expect(first <= pages + pages / 10)
        #expect(second < pages / 20, "the second block faulted \(second) of its \(pages) pages in again")
        #expect(third < pages / 20, "the third block faulted \(third) of its \(pages) pages in again")
    }
}
#endif
