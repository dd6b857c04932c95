import Foundation
import ShipperCore
@testable import ShipperPipeline
import Testing

@Suite struct WindowPlannerTests {
    let now = date("2024-05-02T12:00:00Z")

    @Test func firstRunStartsADayBackAndStaysBehindNowByTheLag() throws {
        let window = try #require(WindowPlanner().window(checkpoint: nil, now: now))
        #expect(window.start == date("2024-05-01T12:00:00Z"))
        #expect(window.end == date("2024-05-02T11:59:00Z"))
    }

    @Test func laterRunsStartAtTheCheckpointMinusTheOverlap() throws {
        let window = try #require(WindowPlanner().window(checkpoint: date("2024-05-02T11:00:00Z"), now: now))
        #expect(window.start == date("2024-05-02T10:50:00Z"))
    }

    @Test func sinceAppliesToTheFirstRunOnly() throws {
        let since = date("2024-04-01T00:00:00Z")
        let planner = WindowPlanner(firstStart: .date(since))
        #expect(planner.window(checkpoint: nil, now: now)?.start == since)
        #expect(planner.window(checkpoint: date("2024-05-02T11:00:00Z"), now: now)?.start == date("2024-05-02T10:50:00Z"))
    }

    @Test func nothingToReadWhenTheEndIsNotAfterTheStart() {
        let planner = WindowPlanner(overlap: 0, lag: 60)
        #expect(planner.window(checkpoint: date("2024-05-02T11:59:30Z"), now: now) == nil)
        #expect(WindowPlanner(until: date("2024-05-01T00:00:00Z")).window(checkpoint: nil, now: now) == nil)
    }

    @Test func theCheckpointNeverMovesBackwards() {
        let later = date("2024-05-02T11:00:00Z")
        #expect(WindowPlanner.advance(later, to: date("2024-05-02T10:50:00Z")) == later)
        #expect(WindowPlanner.advance(nil, to: later) == later)
        #expect(WindowPlanner.advance(date("2024-05-01T00:00:00Z"), to: later) == later)
    }

    @Test func slicesCoverTheWindowExactly() {
        let window = TimeWindow(start: date("2024-05-01T06:00:00Z"), end: date("2024-05-03T00:00:00Z"))
        let slices = window.slices(of: 86_400)
        #expect(slices.count == 2)
        #expect(slices.first?.start == window.start)
        #expect(slices.last?.end == window.end)
        #expect(zip(slices, slices.dropFirst()).allSatisfy { $0.end == $1.start })
        #expect(Timestamp.iso8601(window.start) == "2024-05-01T06:00:00Z")
    }
}
