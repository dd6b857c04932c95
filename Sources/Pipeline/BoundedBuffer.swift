import Synchronization

/// A single-producer, single-consumer queue with a fixed capacity: the producer waits while it
/// is full. It sits between the Mimecast reader and the mapper/sink so fetching the next page
/// overlaps indexing the current one, while a backfill of any size holds at most `capacity`
/// pages in memory.
///
/// Both waits honour task cancellation (they throw `CancellationError`), so a pass that fails
/// or is stopped never leaves its producer parked here.
final class BoundedBuffer<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var finished = false
        var failure: (any Error)?
        var waitingConsumer: CheckedContinuation<Void, any Error>?
        var waitingProducer: CheckedContinuation<Void, any Error>?
    }

    private enum Role {
        case producer
        case consumer
    }

    private enum PutOutcome {
        case added(CheckedContinuation<Void, any Error>?)
        case gone
        case full
    }

    private enum TakeOutcome {
        case element(Element, CheckedContinuation<Void, any Error>?)
        case end((any Error)?)
        case empty
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Adds an element, waiting while the buffer is full. Returns false when the consumer has
    /// gone away (finished early), so the producer can stop.
    func put(_ element: Element) async throws -> Bool {
        while true {
            try Task.checkCancellation()
            let outcome = state.withLock { state -> PutOutcome in
                if state.finished { return .gone }
                guard state.items.count < capacity else { return .full }
                state.items.append(element)
                defer { state.waitingConsumer = nil }
                return .added(state.waitingConsumer)
            }
            switch outcome {
            case .gone: return false
            case .added(let consumer):
                consumer?.resume()
                return true
            case .full:
                try await wait(as: .producer)
            }
        }
    }

    /// No more elements; `error` makes the consumer throw after draining what is buffered.
    func finish(throwing error: (any Error)? = nil) {
        let waiters = state.withLock { state in
            if state.failure == nil { state.failure = error }
            state.finished = true
            defer {
                state.waitingConsumer = nil
                state.waitingProducer = nil
            }
            return [state.waitingConsumer, state.waitingProducer]
        }
        for waiter in waiters { waiter?.resume() }
    }

    /// The next element, nil at the end; rethrows the producer's error after the buffered ones.
    func take() async throws -> Element? {
        while true {
            try Task.checkCancellation()
            let outcome = state.withLock { state -> TakeOutcome in
                if !state.items.isEmpty {
                    let element = state.items.removeFirst()
                    defer { state.waitingProducer = nil }
                    return .element(element, state.waitingProducer)
                }
                return state.finished ? .end(state.failure) : .empty
            }
            switch outcome {
            case .element(let element, let producer):
                producer?.resume()
                return element
            case .end(let failure):
                if let failure { throw failure }
                return nil
            case .empty:
                try await wait(as: .consumer)
            }
        }
    }

    /// Elements currently buffered (for tests and diagnostics).
    var count: Int { state.withLock { $0.items.count } }

    /// Parks the caller until the other side makes progress, the buffer finishes or the task is
    /// cancelled. Returns at once when the condition it would wait for already changed.
    private func wait(as role: Role) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    if Task.isCancelled || state.finished { return true }
                    switch role {
                    case .producer:
                        if state.items.count < capacity { return true }
                        state.waitingProducer = continuation
                    case .consumer:
                        if !state.items.isEmpty { return true }
                        state.waitingConsumer = continuation
                    }
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                switch role {
                case .producer:
                    defer { state.waitingProducer = nil }
                    return state.waitingProducer
                case .consumer:
                    defer { state.waitingConsumer = nil }
                    return state.waitingConsumer
                }
            }
            waiter?.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}
