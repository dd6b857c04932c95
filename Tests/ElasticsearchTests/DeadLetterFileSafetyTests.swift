import Foundation
import ShipperCore
@testable import ShipperElasticsearch
import Testing

/// Dead letters hold customer data: 0600, never written through a planted link, and scrubbed of
/// credentials a server echoed into the reason.
@Suite struct DeadLetterFileSafetyTests {
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "shipper-dead-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func mode(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & 0o7777 : 0
    }

    let letter = DeadLetter(
        id: "doc-1", status: 400, errorType: "mapper_parsing_exception", reason: "failed to parse", dataStream: "logs-mimecast.audit-default",
        document: Array("{\"message\":\"hello\"}".utf8)
    )

    @Test func aDeadLetterFileBehindASymbolicLinkIsRefusedAndTheTargetLeftAlone() throws {
        let directory = try Self.scratch()
        let target = directory + "/world-readable.txt"
        try "precious\n".write(toFile: target, atomically: false, encoding: .utf8)
        #expect(chmod(target, 0o644) == 0)
        let path = directory + "/dead-letter-logs-mimecast.audit-default.ndjson"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        let error = #expect(throws: (any Error).self) { try DeadLetterWriter(path: path).append([letter]) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("symbolic link"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
    }

    @Test func aNewDeadLetterFileIsPrivateAndALooserOldOneIsTightened() throws {
        let directory = try Self.scratch()
        let fresh = directory + "/fresh.ndjson"
        try DeadLetterWriter(path: fresh).append([letter])
        #expect(Self.mode(fresh) == 0o600)
        let old = directory + "/old.ndjson"
        try "".write(toFile: old, atomically: false, encoding: .utf8)
        #expect(chmod(old, 0o644) == 0)
        try DeadLetterWriter(path: old).append([letter])
        #expect(Self.mode(old) == 0o600)
        #expect(try String(contentsOfFile: old, encoding: .utf8).split(separator: "\n").count == 1)
    }

    @Test func aDeadLetterFileOfAnotherUserIsRefused() throws {
        let directory = try Self.scratch()
        let path = directory + "/theirs.ndjson"
        try "".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(chown(path, 4242, 4242) == 0)
        let error = #expect(throws: (any Error).self) { try DeadLetterWriter(path: path).append([letter]) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("owned by uid 4242"))
    }

    @Test func echoedCredentialsAreScrubbedFromTheLetters() throws {
        let redactor = SecretRedactor()
        redactor.register("user:Pa55/word+x")
        let header = "Basic " + Data("user:Pa55/word+x".utf8).base64EncodedString()
        var echoed = letter
        echoed.reason = "failed to parse [Authorization: \(header)]"
        let path = try Self.scratch() + "/letters.ndjson"
        try DeadLetterWriter(path: path, redactor: redactor).append([echoed])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(Data("user:Pa55/word+x".utf8).base64EncodedString()))
        #expect(text.contains("[Authorization: Basic [REDACTED]]"))
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil)
    }
}
