import ShipperCore
@testable import ShipperElasticsearch
import ShipperTestSupport
import Testing

/// The byte reader of clean bulk answers against Foundation's JSONSerialization: whatever it
/// accepts, it reads as JSON does, and anything but the clean shape goes to the full parser.
@Suite struct CleanBulkResponseTests {
    /// The statuses JSONSerialization finds: each item's only member's `status`; nil when an item
    /// has anything else (then the reader must have declined).
    static func oracle(_ body: [UInt8]) -> [Int]? {
        guard let root = try? FoundationJSON.parseObject(body), let items = root["items"]?.arrayValue else { return nil }
        var statuses: [Int] = []
        for item in items {
            guard let members = item.objectValue, members.count == 1, let action = members.first?.value.objectValue,
                  let status = action["status"]?.intValue else { return nil }
            statuses.append(status)
        }
        return statuses
    }

    static func clean(_ statuses: [Int], action: (Int) -> String = { _ in "create" }) -> [UInt8] {
        let items = statuses.enumerated().map { #"{"\#(action($0.offset))":{"status":\#($0.element)}}"# }
        return Array(#"{"errors":false,"items":[\#(items.joined(separator: ","))]}"#.utf8)
    }

    @Test func aCleanAnswerIsReadAsJSONReadsIt() throws {
        for statuses in [[], [201], Array(repeating: 201, count: 1000), [201, 200, 201, 0, 999]] {
            let body = Self.clean(statuses, action: { $0 % 2 == 0 ? "create" : "index" })
            #expect(CleanBulkResponse.statuses(body) == statuses)
            #expect(Self.oracle(body) == statuses)
            #expect(try BulkResponseParser.items(body, expected: statuses.count).map(\.status) == statuses)
        }
    }

    @Test(arguments: [
        #"{"errors":true,"items":[{"create":{"status":201}}]}"#,
        #"{"errors":false,"items":[{"create":{"status":409,"error":{"type":"version_conflict_engine_exception"}}}]}"#,
        #"{"errors":false, "items":[{"create":{"status":201}}]}"#,
        #"{"items":[{"create":{"status":201}}],"errors":false}"#,
        #"{"errors":false,"items":[{"create":{"status":201}}]} "#,
        #"{"errors":false,"items":[{"create":{"status":201}}]}x"#,
        #"{"errors":false,"items":[{"create":{"status":2010}}]}"#,
        #"{"errors":false,"items":[{"create":{"status":020}}]}"#,
        #"{"errors":false,"items":[{"create":{"status":-1}}]}"#,
        #"{"errors":false,"items":[{"create":{"status":201.0}}]}"#,
        #"{"errors":false,"items":[{"Create":{"status":201}}]}"#,
        #"{"errors":false,"items":[{"cr\u0065ate":{"status":201}}]}"#,
        #"{"errors":false,"items":[{"create":{"status":201},"index":{"status":201}}]}"#,
        #"{"errors":false,"items":[{"create":{"status":201}},]}"#,
        #"{"errors":false,"items":[{"create":{"status":201}}"#,
        #"{"errors":false,"items":[{"":{"status":201}}]}"#,
    ])
    func anythingButTheCleanShapeGoesToTheFullParser(_ body: String) {
        #expect(CleanBulkResponse.statuses(Array(body.utf8)) == nil)
    }

    @Test func randomEditsNeverMakeItDisagreeWithJSON() {
        var rng = SplitMix64(seed: 0xB01C_0018)
        let alphabet = Array(#"{}[]",:0123456789 creatindexsu"#.utf8)
        var accepted = 0
        for _ in 0..<20_000 {
            let statuses = (0..<Int.random(in: 0...4, using: &rng)).map { _ in [0, 7, 42, 200, 201, 409, 429, 503].randomElement(using: &rng)! }
            var body = Self.clean(statuses)
            for _ in 0..<Int.random(in: 0...2, using: &rng) where !body.isEmpty {
                let position = Int.random(in: 0..<body.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: body.remove(at: position)
                case 1: body.insert(alphabet.randomElement(using: &rng)!, at: position)
                default: body[position] = alphabet.randomElement(using: &rng)!
                }
            }
            guard let read = CleanBulkResponse.statuses(body) else { continue }
            accepted += 1
            #expect(read == Self.oracle(body), "\(String(decoding: body, as: UTF8.self))")
        }
        // The edits leave many bodies clean (an unedited one, a status digit changed): the
        // agreement above was checked on thousands of them.
        #expect(accepted > 2000)
    }
}
