import Foundation
import ShipperCore
@testable import ShipperECS
import ShipperTestSupport
import Testing

/// Random, truncated and hostile `eventInfo` texts never crash the mapper, never make it fail
/// the event, and never put an invalid address into `source.ip`/`related.ip`.
@Suite struct PropertyTests {
    typealias S = ECSTestSupport

    static let fragments = [
        "IP", "IP:", "IP :", "IP: :", "remote IP :", "Remote IP is ", "IP Address :", ",", ", ", ",,", " ", ":", "::", ":::",
        "null", "1", "25", "255", "256", "0", "00", ".", "2001", "db8", "ffff", "fe80", "%eth0", "[", "]", "<", ">", "@", " by ",
        "for ", " to ", "example.org", "Date: ", "Time: ", "\n", "é", "😀", "\u{0}", "\"", "\\", "{", "}", "=", "emailAddress=",
        "a", "Z", "-", "+0100", "BST", "Reason:", "2FA:", "From:", "To:", "Subject:", "Application :", "1.2.3.4", "::1",
        "192.0.2.", "2001:db8::", "ana@example.org", "<Lopez, Ana>", "\t", "Action Performed - ",
    ]

    static func randomText(_ rng: inout SplitMix64) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...30, using: &rng) {
            if Int.random(in: 0..<8, using: &rng) == 0 {
                text.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0...127, using: &rng)))
            } else {
                text += fragments.randomElement(using: &rng)!
            }
        }
        return text
    }

    /// Problems with one mapped text: crash-free is implied by getting here.
    static func problems(forEventInfo text: String) -> [String] {
        let (mapped, document) = S.map(S.event(eventInfo: text))
        var problems: [String] = []
        if mapped.isPipelineError { problems.append("pipeline error for \(text.debugDescription)") }
        let ips = (S.string(document, "source.ip").map { [$0] } ?? []) + (S.strings(document, "related.ip") ?? [])
        for ip in ips where !ECSDefinitions.isIPAddress(ip) {
            problems.append("invalid address \(ip.debugDescription) from \(text.debugDescription)")
        }
        problems += ECSDefinitions.shared.violations(in: document).map { "\($0) for \(text.debugDescription)" }
        return problems
    }

    @Test func thousandsOfRandomTextsMapSafely() {
        var rng = SplitMix64(seed: 0x5EED_0004)
        var problems: [String] = []
        for _ in 0..<4000 { problems += Self.problems(forEventInfo: Self.randomText(&rng)) }
        #expect(problems == [])
    }

    @Test func everyPrefixOfEveryGoldenTextMapsSafely() {
        var problems: [String] = []
        for golden in GoldenEvents.all {
            let characters = Array(golden.eventInfo)
            for length in 0...characters.count { problems += Self.problems(forEventInfo: String(characters[0..<length])) }
        }
        #expect(problems == [])
    }

    @Test func everyByteTruncationOfARawEventIsMappedOrReported() throws {
        let events = try S.sampleEvents()
        var problems: [String] = []
        for event in events.prefix(7) {
            for length in 0...event.bytes.count {
                let raw = RawAuditEvent(bytes: Array(event.bytes[0..<length]))
                let (_, document) = S.map(raw)
                problems += ECSDefinitions.shared.violations(in: document)
            }
        }
        #expect(problems == [])
    }

    @Test func validatorAgreesWithThePlatformParser() {
        var rng = SplitMix64(seed: 0xADD2E55)
        let alphabet = Array("0123456789abcdefABCDEF:.:.::1")
        var disagreements: [String] = []
        for _ in 0..<20000 {
            let text = String((0..<Int.random(in: 1...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            if IPAddress.isValid(text) != ECSDefinitions.isIPAddress(text) { disagreements.append(text) }
        }
        for text in ["::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::ffff:192.0.2.1", "1:2:3:4:5:6:192.0.2.1",
                     "0.0.0.0", "255.255.255.255", "1.2.3.04", "1.2.3", "1:2:3:4:5:6:7:8:9", "12345::", "1:::2", ":1", "1:"]
        where IPAddress.isValid(text) != ECSDefinitions.isIPAddress(text) {
            disagreements.append(text)
        }
        #expect(disagreements == [])
    }
}
