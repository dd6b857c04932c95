#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// Where a read stands: which slice of the window, and which page token to send next.
///
/// Pure state machine. Slices are planned one at a time (a 30-day window in 1-minute slices never
/// exists as a list). Within a slice, `next` is followed while `meta.pagination.totalCount` says
/// events are still to come; without a total, through at most `maxConsecutiveEmptyPages` empty
/// pages in a row (Mimecast does not document whether a last, empty page may carry `next`). A
/// token seen before in the slice, or more pages than the slice can need, is a malformed response.
struct SlicePager: Sendable, Equatable {
    static let maxConsecutiveEmptyPages = 3
    /// Pages one slice may take when Mimecast gives no total (500 000 events at 50 per page).
    static let defaultMaxPagesPerSlice = 10_000

    private let window: TimeWindow
    private let sliceLength: TimeInterval
    private let pageSize: Int
    private let maxPagesPerSlice: Int
    /// The slice being read, nil when the window is done.
    private(set) var currentSlice: TimeWindow?
    private(set) var pageToken: String?
    private var tokensSeen: Set<String> = []
    private var pagesInSlice = 0
    private var eventsInSlice = 0
    private var emptyInARow = 0
    /// Set when the last slice ended on empty pages that still carried `next`, for a log line.
    private(set) var endedOnEmptyPages = false

    init(window: TimeWindow, sliceLength: Double, pageSize: Int = 500, maxPagesPerSlice: Int = SlicePager.defaultMaxPagesPerSlice) {
        self.window = window
        self.sliceLength = sliceLength
        self.pageSize = max(1, pageSize)
        self.maxPagesPerSlice = max(1, maxPagesPerSlice)
        currentSlice = window.isEmpty ? nil : Self.slice(from: window.start, in: window, length: sliceLength)
    }

    private static func slice(from start: Date, in window: TimeWindow, length: TimeInterval) -> TimeWindow {
        guard length > 0 else { return window }
        return TimeWindow(start: start, end: min(start.addingTimeInterval(length), window.end))
    }

    /// Records a received page and returns whether it was the last page of its slice; throws when
    /// the paging cannot be trusted (the checkpoint must not move past this slice).
    mutating func record(next: String?, eventCount: Int, totalCount: Int?) throws(MimecastError) -> Bool {
        pagesInSlice += 1
        eventsInSlice += eventCount
        emptyInARow = eventCount == 0 ? emptyInARow + 1 : 0
        endedOnEmptyPages = false
        let bound = totalCount.map { max(1, ($0 + pageSize - 1) / pageSize) * 2 + Self.maxConsecutiveEmptyPages } ?? maxPagesPerSlice
        guard let next, !next.isEmpty else {
            endSlice()
            return true
        }
        if let totalCount, eventsInSlice >= totalCount {
            endSlice()
            return true
        }
        if totalCount == nil, emptyInARow >= Self.maxConsecutiveEmptyPages {
            endSlice()
            endedOnEmptyPages = true
            return true
        }
        guard tokensSeen.insert(next).inserted else {
            throw .malformedResponse(path: AuditRequestBody.path, detail: "the next-page token repeats one already followed in this slice (a paging cycle)")
        }
        guard pagesInSlice < bound else {
            let why = totalCount.map { "totalCount \($0) at \(pageSize) per page" } ?? "the cap"
            throw .malformedResponse(
                path: AuditRequestBody.path,
                detail: "paging did not end after \(pagesInSlice) pages (\(eventsInSlice) events) in one slice, more than \(why) allows (\(bound) pages)")
        }
        pageToken = next
        return false
    }

    private mutating func endSlice() {
        if let slice = currentSlice, slice.end < window.end {
            currentSlice = Self.slice(from: slice.end, in: window, length: sliceLength)
        } else {
            currentSlice = nil
        }
        pageToken = nil
        tokensSeen.removeAll(keepingCapacity: true)
        pagesInSlice = 0
        eventsInSlice = 0
        emptyInARow = 0
    }
}
