/// A single-producer, single-consumer queue with a fixed capacity: the producer waits while it
/// is full. It sits between the Mimecast reader and the mapper/sink so fetching the next page
/// overlaps indexing the current one, while a backfill of any size holds at most `capacity`
/// pages in memory.
actor BoundedBuffer<Element: Sendable> {
    private let capacity: Int
    private var items: [Element] = []
    private var finished = false
    private var failure: (any Error)?
    private var waitingConsumer: CheckedContinuation<Void, Never>?
    private var waitingProducer: CheckedContinuation<Void, Never>?

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Adds an element, waiting while the buffer is full. Returns false when the consumer has
    /// gone away (finished early), so the producer can stop.
    func put(_ element: Element) async -> Bool {
        while items.count >= capacity && !finished {
            await withCheckedContinuation { waitingProducer = $0 }
        }
        guard !finished else { return false }
        items.append(element)
        wakeConsumer()
        return true
    }

    /// No more elements; `error` makes the consumer throw after draining what is buffered.
    func finish(throwing error: (any Error)? = nil) {
        if failure == nil { failure = error }
        finished = true
        wakeConsumer()
        wakeProducer()
    }

    /// The next element, nil at the end; rethrows the producer's error after the buffered ones.
    func take() async throws -> Element? {
        while items.isEmpty && !finished {
            await withCheckedContinuation { waitingConsumer = $0 }
        }
        if !items.isEmpty {
            let element = items.removeFirst()
            wakeProducer()
            return element
        }
        if let failure { throw failure }
        return nil
    }

    /// Elements currently buffered (for tests and diagnostics).
    var count: Int { items.count }

    private func wakeConsumer() {
        waitingConsumer?.resume()
        waitingConsumer = nil
    }

    private func wakeProducer() {
        waitingProducer?.resume()
        waitingProducer = nil
    }
}
