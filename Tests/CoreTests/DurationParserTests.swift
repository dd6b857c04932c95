import ShipperCore
import Testing

@Suite struct DurationParserTests {
    @Test(arguments: [
        ("90", 90.0), ("90s", 90), ("10m", 600), ("1h30m", 5400), ("30d", 2_592_000),
        ("500ms", 0.5), ("2w", 1_209_600), (" 5m ", 300), ("1.5h", 5400),
    ])
    func parsesHumanDurations(text: String, seconds: Double) {
        #expect(DurationParser.parse(text) == .secondsDouble(seconds))
    }

    @Test(arguments: ["", "m", "10x", "-5m", "5m-", "ten minutes", "1h 30m"])
    func rejectsGarbage(text: String) {
        #expect(DurationParser.parse(text) == nil)
    }
}
