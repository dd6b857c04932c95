import Foundation
import ShipperCore
@testable import ShipperPipeline
import Synchronization
import Testing

/// A failed pass leaves nothing behind: the page producer is a child of the pass, so it has
/// ended (and released the source's stream) by the time the pass has thrown.
@Suite struct StructuredProducerTests {
    /// Lives as long as the stream that captures it; its end is the producer's end.
    final class Lifetime: Sendable {
        let ended: Atomic<Bool>
        init() { ended = Atomic(false) }
    }

    final class Witness: Sendable {
        let lifetime: Lifetime
        init(_ lifetime: Lifetime) { self.lifetime = lifetime }
        deinit { lifetime.ended.store(true, ordering: .sequentiallyConsistent) }
    }

    /// Endless one-event pages, always ready: the producer fills the buffer and then waits in it.
    struct EndlessSource: AuditEventSource {
        let lifetime: Lifetime

        func pages(in window: TimeWindow, categories: [String]) -> AsyncThrowingStream<AuditEventPage, any Error> {
            let witness = Witness(lifetime)
            let counter = Atomic<Int>(0)
            return AsyncThrowingStream { [witness] in
                withExtendedLifetime(witness) {}
                let number = counter.add(1, ordering: .relaxed).newValue
                return AuditEventPage(events: [RawAuditEvent("endless-\(number)")], slice: window, endsSlice: false)
            }
        }
    }

    struct FailingSink: DocumentSink {
        func ship(_ documents: [MappedDocument]) async throws -> ShipReport {
            try await Task.sleep(for: .milliseconds(100))
            throw TestFailure("elasticsearch refused")
        }
    }

    @Test func afterAFailedPassTheProducerHasEnded() async throws {
        let lifetime = Lifetime()
        var options = ShipperJob.Options()
        options.batchDocuments = 1
        let job = ShipperJob(source: EndlessSource(lifetime: lifetime), mapping: { passThroughMap }, sink: FailingSink(), checkpoint: nil,
                             planner: WindowPlanner(), options: options)
        await #expect(throws: PassFailure.self) { try await job.runPass() }
        // Structured: ended before runPass returned. Allow the runtime a moment to free the task.
        let deadline = ContinuousClock.now + .seconds(5)
        while !lifetime.ended.load(ordering: .sequentiallyConsistent) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let ended = lifetime.ended.load(ordering: .sequentiallyConsistent)
        #expect(ended, "the producer is still parked after the pass failed")
    }

    @Test func aBufferWaitEndsWhenItsTaskIsCancelled() async throws {
        let buffer = BoundedBuffer<Int>(capacity: 1)
        #expect(try await buffer.put(1))
        let producer = Task { try await buffer.put(2) }
        let consumer = Task { () -> Int? in
            let empty = BoundedBuffer<Int>(capacity: 1)
            return try await empty.take()
        }
        try await Task.sleep(for: .milliseconds(100))
        producer.cancel()
        consumer.cancel()
        await #expect(throws: CancellationError.self) { try await producer.value }
        await #expect(throws: CancellationError.self) { try await consumer.value }
    }
}
