import ShipperCore

/// Where a read stands: which slice of the window, and which page token to send next.
///
/// Pure state machine: every slice starts without a token; a page with a `next` token and at least
/// one event continues the slice; a page without `next`, or an empty page, ends it.
struct SlicePager: Sendable, Equatable {
    private let slices: [TimeWindow]
    private var index = 0
    private(set) var pageToken: String?

    init(window: TimeWindow, sliceLength: Double) {
        slices = window.slices(of: sliceLength)
    }

    /// The slice the next request reads, nil when the window is done.
    var currentSlice: TimeWindow? {
        index < slices.count ? slices[index] : nil
    }

    /// Records a received page and returns whether it was the last page of its slice.
    mutating func record(next: String?, eventCount: Int) -> Bool {
        if let next, !next.isEmpty, eventCount > 0 {
            pageToken = next
            return false
        }
        index += 1
        pageToken = nil
        return true
    }
}
