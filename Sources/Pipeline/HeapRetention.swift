import CHeap

/// Keeps the memory a run frees for its next batch instead of handing it back to the kernel.
///
/// A run's heap climbs to a plateau within its first pages (pages being read, documents being
/// mapped, a bulk body in flight) and stays there. With glibc's defaults each bulk body above the
/// dynamic mmap threshold is a fresh mapping, and the top of a heap is trimmed whenever enough of
/// it is free, so the next batch faults the same pages in again, zeroed by the kernel: at 100,000
/// events 5,300–12,700 page faults a run (a constant 3,800 with this) and more than a quarter of
/// the system time. At 1M events the total did not move: about 60 ms of system time came back as
/// user time (median of three runs each), the memory used again being no faster to write than
/// pages the kernel had just zeroed.
///
/// The limits stay bounded: nothing above `trimThreshold` of free heap is kept, and the plateau
/// (under 40 MB at 1M events) is what the pipeline's bounded buffers allow, not what this keeps.
public enum HeapRetention {
    /// Blocks up to this size come from the heap, so a freed bulk body is reused, not unmapped.
    /// glibc's largest allowed value on 64-bit systems.
    public static let mmapThreshold = 32 << 20
    /// Free memory at the top of a heap is returned to the kernel only beyond this.
    public static let trimThreshold = 64 << 20
    /// Extra bytes taken whenever a heap grows, so it grows in few steps.
    public static let topPad = 16 << 20

    /// Applies the three settings; false when the C library is not glibc or refused one of them.
    @discardableResult
    public static func keepFreedMemory() -> Bool {
        cheap_keep_heap(mmapThreshold, trimThreshold, topPad) == 1
    }
}
