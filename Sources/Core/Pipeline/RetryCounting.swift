/// A source or sink that repeats requests on its own (after 5xx, 429 or network errors) and can
/// say how many it has repeated so far, so a pass's summary counts every retry it logged, also
/// when the pass failed.
public protocol RetryCounting: Sendable {
    /// Requests or documents sent again, over the object's lifetime.
    var retriesSoFar: Int { get }
}
