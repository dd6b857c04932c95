/// The answer to almost every bulk request, read without building a JSON tree of it.
///
/// With `filter_path=errors,items.*.status,items.*.error` a bulk request where nothing went wrong
/// is answered `{"errors":false,"items":[{"create":{"status":201}},…]}`: one small object per
/// document. Parsing that into values cost more per document than mapping a field of it, so this
/// reader takes exactly that shape, byte by byte, and gives nil for anything else (an error, a
/// space, another member, another order), which the full parser then reads. For every body it
/// accepts, the statuses are those the full parser finds.
enum CleanBulkResponse {
    private static let opening = Array(#"{"errors":false,"items":["#.utf8)
    private static let statusKey = Array(#"":{"status":"#.utf8)

    /// Each item's status, in order; nil unless the body has exactly the clean shape.
    static func statuses(_ body: [UInt8]) -> [Int]? {
        body.withUnsafeBufferPointer { bytes -> [Int]? in
            var cursor = 0
            func expect(_ literal: [UInt8]) -> Bool {
                guard bytes.count - cursor >= literal.count else { return false }
                for byte in literal {
                    guard bytes[cursor] == byte else { return false }
                    cursor += 1
                }
                return true
            }
            func expect(_ byte: UInt8) -> Bool {
                guard cursor < bytes.count, bytes[cursor] == byte else { return false }
                cursor += 1
                return true
            }
            guard expect(opening) else { return nil }
            var statuses: [Int] = []
            if expect(UInt8(ascii: "]")) {
                return expect(UInt8(ascii: "}")) && cursor == bytes.count ? statuses : nil
            }
            while true {
                // {"<action>":{"status":<status>}}
                guard expect(UInt8(ascii: "{")), expect(UInt8(ascii: "\"")) else { return nil }
                let nameStart = cursor
                while cursor < bytes.count, bytes[cursor] >= UInt8(ascii: "a"), bytes[cursor] <= UInt8(ascii: "z") { cursor += 1 }
                guard cursor > nameStart, expect(statusKey) else { return nil }
                // 1 to 3 digits, no leading zero: an HTTP status.
                let digitsStart = cursor
                var status = 0
                while cursor < bytes.count, cursor - digitsStart < 3, bytes[cursor] >= UInt8(ascii: "0"), bytes[cursor] <= UInt8(ascii: "9") {
                    status = status * 10 + Int(bytes[cursor] - UInt8(ascii: "0"))
                    cursor += 1
                }
                guard cursor > digitsStart, bytes[digitsStart] != UInt8(ascii: "0") || cursor - digitsStart == 1 else { return nil }
                guard expect(UInt8(ascii: "}")), expect(UInt8(ascii: "}")) else { return nil }
                statuses.append(status)
                if expect(UInt8(ascii: ",")) { continue }
                guard expect(UInt8(ascii: "]")), expect(UInt8(ascii: "}")), cursor == bytes.count else { return nil }
                return statuses
            }
        }
    }
}
