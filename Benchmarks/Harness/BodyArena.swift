import Synchronization

/// Where the fake Elasticsearch keeps the bodies of a run until `BulkIntake.drain()` judges them:
/// one block of memory whose pages were touched before the tool started, reused from run to run.
///
/// Kept as an array per body, a 1M-event run's 1.25 GB were fresh pages: the kernel zeroed each on
/// first touch (`clear_page_erms`, about 3 s of the harness's core, measured with `perf` during
/// a 9 s run), so the fake answered late, the tool waited idle half its wall time, and the zeroing
/// streamed through the cache the two cores share. A real cluster runs elsewhere; the arena moves
/// that cost out of the measured run, and a body is one `memcpy` into memory already mapped.
final class BodyArena: @unchecked Sendable {
    /// The block and how much of it is taken, guarded together: `reserve` hands out disjoint
    /// ranges, each written by its own caller outside the lock; `drain()` reads them after the tool
    /// has exited.
    private struct Block {
        var memory = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        var used = 0
    }

    private let block = Mutex(Block())

    deinit {
        block.withLock { $0.memory.deallocate() }
    }

    /// Makes room for `capacity` bytes, touching every page now (before the measured tool starts),
    /// and forgets what the last run stored.
    func prepare(capacity: Int) {
        block.withLock { block in
            block.used = 0
            guard capacity > block.memory.count else { return }
            block.memory.deallocate()
            block.memory = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
            block.memory.initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    /// Copies `bytes` into the block; nil when it is full (the caller keeps its own copy).
    func store(_ bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        let reserved: (UnsafeMutableRawBufferPointer, Range<Int>)? = block.withLock { block in
            guard block.memory.count - block.used >= bytes.count else { return nil }
            let range = block.used..<(block.used + bytes.count)
            block.used = range.upperBound
            return (block.memory, range)
        }
        guard let (memory, range) = reserved else { return nil }
        UnsafeMutableRawBufferPointer(rebasing: memory[range]).copyMemory(from: bytes)
        return range
    }

    /// Calls `body` with the bytes stored at `range`.
    func withBytes<Result>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let memory = block.withLock { $0.memory }
        return body(UnsafeRawBufferPointer(rebasing: memory[range]).assumingMemoryBound(to: UInt8.self))
    }
}
