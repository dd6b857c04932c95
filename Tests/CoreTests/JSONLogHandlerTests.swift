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
}
