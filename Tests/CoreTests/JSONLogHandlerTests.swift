import Foundation
import Logging
import ShipperCore
import Synchronization
import Testing

@Suite struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let value = Mutex<[String]>([])
    }

    @Test func writesOneJSONObjectPerLineWithMetadata() throws {
        let lines = Lines()
        var handler = JSONLogHandler(label: "test", now: { Date(timeIntervalSince1970: 1_714_641_247) }) { line in
            lines.value.withLock { $0.append(line) }
        }
        handler.metadata["run"] = "1"
        let logger = Logger(label: "test") { _ in handler }
        logger.info("pass finished", metadata: ["events": "42", "window": .array(["a", "b"])])
        logger.debug("hidden at info level")
        let written = lines.value.withLock { $0 }
        #expect(written.count == 1)
        #expect(!written[0].contains("\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "pass finished")
        #expect(object["log.level"] as? String == "info")
        #expect(object["events"] as? String == "42")
        #expect(object["run"] as? String == "1")
        #expect(object["window"] as? [String] == ["a", "b"])
        #expect(object["@timestamp"] as? String == "2024-05-02T09:14:07.000Z")
    }

    /// The handler writes its own JSON (the product leaves `JSONSerialization` out); the bytes
    /// are the ones `JSONSerialization` wrote before, sorted keys and unescaped slashes.
    @Test func writesTheBytesJSONSerializationWrites() throws {
        let lines = Lines()
        let handler = JSONLogHandler(label: "shipper/test", now: { Date(timeIntervalSince1970: 1_714_641_247.5) }) { line in
            lines.value.withLock { $0.append(line) }
        }
        let logger = Logger(label: "shipper/test") { _ in handler }
        let tricky = "quote \" backslash \\ slash / tab \t nl \n cr \r bell \u{7} nul \u{0} del \u{7F} é 😀 \u{2028}"
        logger.warning("\(tricky)", metadata: ["z": "\(tricky)", "a": .array(["1", .dictionary(["k": "v/w"])]), "message": "override"])
        let written = try #require(lines.value.withLock { $0.first })
        let expected: [String: Any] = [
            "@timestamp": "2024-05-02T09:14:07.500Z",
            "log.level": "warning",
            "log.logger": "shipper/test",
            "message": "override",
            "z": tricky,
            "a": ["1", ["k": "v/w"]] as [Any],
        ]
        let reference = try JSONSerialization.data(withJSONObject: expected, options: [.sortedKeys, .withoutEscapingSlashes])
        #expect(written == String(decoding: reference, as: UTF8.self))
    }
}
