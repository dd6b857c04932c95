import Foundation
import ShipperCore
@testable import ShipperPipeline
import Testing

@Suite struct ConcurrencyPrimitivesTests {
    @Test func boundedBufferDeliversInOrderAndNeverHoldsMoreThanItsCapacity() async throws {
        let buffer = BoundedBuffer<Int>(capacity: 2)
        let producer = Task {
            for value in 0..<50 { _ = try await buffer.put(value) }
            buffer.finish()
        }
        var received: [Int] = []
        while let value = try await buffer.take() {
            received.append(value)
            #expect(buffer.count <= 2)
        }
        try await producer.value
        #expect(received == Array(0..<50))
    }

    @Test func boundedBufferRethrowsTheProducersErrorAfterTheBufferedItems() async throws {
        let buffer = BoundedBuffer<Int>(capacity: 4)
        _ = try await buffer.put(1)
        buffer.finish(throwing: TestFailure("boom"))
        #expect(try await buffer.take() == 1)
        await #expect(throws: TestFailure.self) { try await buffer.take() }
    }

    @Test func stopWakesASleepingLoopEarly() async {
        let stop = StopSignal()
        let sleeper = Sleeper { _ in try await Task.sleep(for: .seconds(3600)) }
        Task { try? await Task.sleep(for: .milliseconds(20)); stop.request() }
        let stopped = await stop.sleep(for: .seconds(3600), sleeper: sleeper)
        #expect(stopped)
    }

    @Test func sleepReturnsFalseWhenItRanItsCourse() async {
        let stop = StopSignal()
        let stopped = await stop.sleep(for: .seconds(300), sleeper: Sleeper { _ in })
        #expect(!stopped)
        #expect(!stop.isRequested)
    }
}
