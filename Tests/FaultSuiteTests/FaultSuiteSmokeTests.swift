import Foundation
import ShipperTestSupport
import Testing

/// The short CI version of the crash-and-fault suite: the `shipper-fault-suite` binary in smoke
/// mode (a few hundred events, a few kills, every fault kind at a light rate, a data stream that
/// rolls over every few dozen documents), and a sabotaged run
/// proving its counting sees a lost and a duplicated document.
@Suite(.serialized) struct FaultSuiteSmokeTests {
    struct Outcome {
        let status: Int32
        let output: String
    }

    static var suiteBinary: String { BuiltExecutable.path(named: "shipper-fault-suite") }

    static func runSuite(_ arguments: [String]) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: suiteBinary)
        let work = NSTemporaryDirectory() + "fault-suite-smoke-" + UUID().uuidString
        process.arguments = arguments + ["--work-dir", work]
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("fault-suite-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        while process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        try handle.close()
        let text = try String(contentsOf: output, encoding: .utf8)
        try? FileManager.default.removeItem(at: output)
        if process.terminationStatus == 0 { try? FileManager.default.removeItem(atPath: work) }
        return Outcome(status: process.terminationStatus, output: text)
    }

    @Test func killsAndFaultsLoseAndDuplicateNothing() async throws {
        let outcome = try await Self.runSuite(["--smoke", "--seed", "7"])
        #expect(outcome.status == 0, "\(outcome.output)")
        let last = outcome.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("faults survived: "), "\(outcome.output)")
        #expect(last.hasSuffix(", lost: 0, duplicated: 0"), "\(outcome.output)")
        // Every kill moment and fault kind was exercised, not merely configured.
        #expect(outcome.output.contains("crash: PASS"), "\(outcome.output)")
        #expect(outcome.output.contains("faults: PASS"), "\(outcome.output)")
        #expect(outcome.output.contains("rollover: PASS"), "\(outcome.output)")
        #expect(!outcome.output.contains("kills (SIGKILL): 0 "), "\(outcome.output)")
        let survived = Int(last.dropFirst("faults survived: ".count).prefix { $0.isNumber }) ?? 0
        #expect(survived >= 8, "\(outcome.output)")
        // The faults scenario's own figures (the rollover scenario after it injects none).
        let faultsBlock = outcome.output.components(separatedBy: "== faults:").dropFirst().first ?? ""
        let faultsLine = faultsBlock.split(separator: "\n").first { $0.hasPrefix("faults injected:") }.map(String.init) ?? ""
        for kind in Self.faultKinds {
            #expect(Self.count(of: kind, in: faultsLine) ?? 0 > 0, "no \(kind) in: \(faultsLine)")
        }
    }

    static let faultKinds = [
        "bulk items answered 429", "bulk requests answered 503", "bulk requests reset mid-body", "bulk answers reset mid-body",
        "page answers reset mid-body", "Mimecast 429", "Mimecast 5xx", "token expiries",
    ]

    /// The number after `label: ` in a figures line.
    static func count(of label: String, in line: String) -> Int? {
        guard let range = line.range(of: label + ": ") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func aSabotagedStoreIsReportedAsOneLostAndOneDuplicated() async throws {
        let outcome = try await Self.runSuite(["--smoke", "--scenario", "crash", "--kills", "0", "--sabotage"])
        #expect(outcome.status == 1, "\(outcome.output)")
        #expect(outcome.output.contains("lost: 1, duplicated: 1"), "\(outcome.output)")
        #expect(outcome.output.contains("crash: FAIL"), "\(outcome.output)")
    }
}
