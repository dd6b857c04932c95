import Foundation
import ShipperCore
import ShipperMimecast
import ShipperTestSupport
import Testing

@Suite struct ReplayReaderTests {
    static let window = MimecastTestSupport.day

    /// `samples/mimecast-audit-sample.ndjson` of the main package, found through the (possibly
    /// symlinked) test directory.
    static var samplePath: String? {
        let path = RepositoryRoot.file("samples/mimecast-audit-sample.ndjson").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    @Test func savedResponseBodiesOnePerLine() async throws {
        let path = try #require(Self.samplePath)
        let reader = try ReplayReader(path: path)
        let pages = try await MimecastTestSupport.collect(reader.pages(in: Self.window, categories: []))
        let events = pages.flatMap(\.events)
        #expect(events.count == 20)
        #expect(pages.count == 1)
        #expect(pages.last?.endsSlice == true)
        #expect(pages.allSatisfy { $0.slice == Self.window })
        // Each event is exactly the element of "data" as written in the file.
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let firstID = try #require(MimecastTestSupport.id(of: events[0]))
        #expect(lines[0].contains(String(decoding: events[0].bytes, as: UTF8.self)))
        #expect(firstID.hasPrefix("eNq"))
        #expect(Set(events.compactMap(MimecastTestSupport.id(of:))).count == 20)
    }

    @Test func smallPagesSplitTheFile() async throws {
        let path = try #require(Self.samplePath)
        let reader = try ReplayReader(path: path, pageSize: 8)
        let pages = try await MimecastTestSupport.collect(reader.pages(in: Self.window, categories: ["ignored"]))
        #expect(pages.map(\.events.count) == [8, 8, 4])
        #expect(pages.map(\.endsSlice) == [false, false, true])
    }

    @Test func rawEventsOnePerLine() async throws {
        let lines = [
            #"{"id":"r1","auditType":"Logon Authentication","eventTime":"2021-01-01T00:00:00+0000","category":"authentication_logs"}"#,
            "",
            #"  {"id":"r2", "eventInfo": "x"}  "#,
            "{\"id\":\"r3\"}\r",
        ]
        let reader = ReplayReader(contents: Array(lines.joined(separator: "\n").utf8), name: "raw.ndjson")
        let events = try reader.events()
        #expect(events.map { String(decoding: $0.bytes, as: UTF8.self) } == [lines[0], #"{"id":"r2", "eventInfo": "x"}"#, #"{"id":"r3"}"#])
    }

    @Test func oneSavedResponseObjectAcrossLines() throws {
        let text = """
        {
          "meta": {"status": 200, "pagination": {"pageSize": 2}},
          "data": [
            {"id": "p1", "category": "account_logs"},
            {"id": "p2", "category": "policy_logs"}
          ],
          "fail": []
        }
        """
        let events = try ReplayReader(contents: Array(text.utf8), name: "response.json").events()
        #expect(events.map { String(decoding: $0.bytes, as: UTF8.self) } == [#"{"id": "p1", "category": "account_logs"}"#, #"{"id": "p2", "category": "policy_logs"}"#])
    }

    @Test func mixedShapesAreDetectedPerLine() throws {
        let text = #"{"meta":{},"data":[{"id":"a"},{"id":"b"}],"fail":[]}"# + "\n" + #"{"id":"c"}"#
        let events = try ReplayReader(contents: Array(text.utf8), name: "mixed").events()
        #expect(events.compactMap(MimecastTestSupport.id(of:)) == ["a", "b", "c"])
    }

    @Test func invalidLineNamesFileAndLine() async throws {
        let reader = ReplayReader(contents: Array("{\"id\":\"a\"}\nnot json\n".utf8), name: "broken.ndjson")
        #expect(throws: ReplayError.self) { try reader.events() }
        do {
            _ = try await MimecastTestSupport.collect(reader.pages(in: Self.window, categories: []))
            Issue.record("expected an error")
        } catch let error as ReplayError {
            #expect(error == .invalidLine(name: "broken.ndjson", line: 2, reason: error.reason))
            #expect(error.description.contains("broken.ndjson"))
            #expect(error.description.contains("line 2"))
        }
    }

    /// Found by `fuzz-mimecast-response` (Fuzz/README.md, minimised by hand from its crash input):
    /// a saved response whose event holds raw NUL bytes in a string was accepted and produced an
    /// event that is not JSON. Such a line is now reported like any other invalid line.
    @Test func eventWithRawControlCharactersIsAnInvalidLine() {
        let line = Array(#"{"data":[{"id":"e","eventInfo":"Date: 2024-0"#.utf8) + [0x00, 0x00] + Array(#"02"}]}"#.utf8)
        let reader = ReplayReader(contents: Array(#"{"id":"ok"}"#.utf8) + [0x0A] + line + [0x0A], name: "fuzzed.ndjson")
        let error = #expect(throws: ReplayError.self) { try reader.events() }
        #expect(error == .invalidLine(name: "fuzzed.ndjson", line: 2, reason: error?.reason ?? ""))
        #expect(error?.reason.contains("control character") == true)
    }

    @Test func eventWithUnknownEscapeIsAnInvalidLine() {
        let reader = ReplayReader(contents: Array(#"{"id":"e","eventInfo":"a\qb"}"#.utf8), name: "escape.ndjson")
        let error = #expect(throws: ReplayError.self) { try reader.events() }
        #expect(error == .invalidLine(name: "escape.ndjson", line: 1, reason: "invalid JSON at byte 25: invalid escape"))
    }

    @Test func emptyFileGivesOneEmptyFinalPage() async throws {
        let pages = try await MimecastTestSupport.collect(ReplayReader(contents: Array("\n\n".utf8), name: "empty").pages(in: Self.window, categories: []))
        #expect(pages.count == 1)
        #expect(pages.first?.events.isEmpty == true)
        #expect(pages.first?.endsSlice == true)
    }

    @Test func missingFileIsReported() {
        #expect(throws: ReplayError.unreadable(path: "/nonexistent/replay.ndjson")) {
            try ReplayReader(path: "/nonexistent/replay.ndjson")
        }
    }
}

private extension ReplayError {
    var reason: String {
        if case .invalidLine(_, _, let reason) = self { return reason }
        return ""
    }
}
