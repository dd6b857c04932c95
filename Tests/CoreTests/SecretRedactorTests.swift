import Foundation
import Logging
import ShipperCore
import Synchronization
import Testing

/// Secrets are found in the forms servers echo them in, computed here with Foundation's own
/// encoders as the reference.
@Suite struct SecretRedactorTests {
    static let secret = "s3cr/t+Val=ue x"

    @Test(arguments: [
        secret,
        Data(secret.utf8).base64EncodedString(),
        secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))!,
        secret.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!,
        secret.replacingOccurrences(of: "/", with: "\\/"),
    ])
    func everyFormIsScrubbed(_ form: String) {
        let redactor = SecretRedactor()
        redactor.register(Self.secret)
        let scrubbed = redactor.scrub("before \(form) after")
        #expect(scrubbed == "before [REDACTED] after", "\(form)")
        #expect(redactor.scrub(Array("x\(form)y".utf8)) == Array("x[REDACTED]y".utf8))
    }

    @Test func bytesAreScrubbedAtTheEdgesAndAPartialMatchIsLeftAlone() {
        let redactor = SecretRedactor()
        redactor.register("abcdef")
        #expect(redactor.scrub(Array("abcdef".utf8)) == Array("[REDACTED]".utf8))
        #expect(redactor.scrub(Array("abcdefxabcdef".utf8)) == Array("[REDACTED]x[REDACTED]".utf8))
        #expect(redactor.scrub(Array("aabcdeabcde".utf8)) == Array("aabcdeabcde".utf8))
        #expect(redactor.scrub(Array("abc".utf8)) == Array("abc".utf8))
    }

    /// A combining mark after a secret merges with its last character; text is still scrubbed
    /// by bytes, so the secret goes and the mark stays.
    @Test func aSecretFollowedByACombiningMarkIsScrubbed() {
        let redactor = SecretRedactor()
        redactor.register("abcdef")
        #expect(redactor.scrub("key=abcdef\u{301} end") == "key=[REDACTED]\u{301} end")
        #expect(redactor.scrub("\u{301}abcdef") == "\u{301}[REDACTED]")
    }

    @Test func theFormBodyOfATokenRequestIsScrubbed() {
        let redactor = SecretRedactor()
        redactor.register(Self.secret)
        // What URLComponents sends for application/x-www-form-urlencoded, space as '+'.
        let body = "client_id=abc&client_secret=s3cr%2Ft%2BVal%3Due+x&grant_type=client_credentials"
        #expect(redactor.scrub(body) == "client_id=abc&client_secret=[REDACTED]&grant_type=client_credentials")
    }

    @Test func shortValuesAndEmptyRegistriesLeaveTextAlone() {
        let redactor = SecretRedactor()
        #expect(redactor.scrub("anything") == "anything")
        redactor.register("abc")
        #expect(redactor.scrub("abcabc") == "abcabc")
        #expect(redactor.isEmpty)
    }

    @Test func onlyTheLatestTransientTokensAreKept() {
        let redactor = SecretRedactor()
        for index in 0..<20 { redactor.registerTransient("token-number-\(index)") }
        #expect(redactor.scrub("token-number-19") == "[REDACTED]")
        #expect(redactor.scrub("token-number-0") == "token-number-0")
    }

    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test func theLogHandlerScrubsMessagesAndMetadata() {
        let redactor = SecretRedactor()
        redactor.register(Self.secret)
        let lines = Lines()
        var inner = JSONLogHandler(label: "test", write: { line in lines.lines.withLock { $0.append(line) } })
        inner.logLevel = .trace
        var logger = Logger(label: "test", factory: { _ in ScrubbingLogHandler(inner, redactor: redactor) })
        logger[metadataKey: "fixed"] = "\(Self.secret)"
        logger.error("server said \(Self.secret)", metadata: ["echo": "\(Data(Self.secret.utf8).base64EncodedString())"])
        let line = lines.lines.withLock { $0.joined() }
        #expect(!line.contains("s3cr"), "\(line)")
        #expect(!line.contains(Data(Self.secret.utf8).base64EncodedString()), "\(line)")
        #expect(line.contains("server said [REDACTED]"), "\(line)")
    }

    @Test func writingToAFullDeviceIsAnErrorNotACrash() throws {
        let descriptor = open("/dev/full", O_WRONLY)
        defer { close(descriptor) }
        let error = #expect(throws: OutputError.self) { try StandardStreams.write(Array("x".utf8), to: descriptor, naming: "/dev/full") }
        #expect(error?.code == ENOSPC)
    }

    @Test func aMalformedURLIsShownWithoutWhatCouldBeAPassword() {
        #expect(Redaction.redactedForMessage("http//user:pw@host:9200") == "***@host:9200")
        #expect(Redaction.redactedForMessage("https://user:pw@host:9200/x") == "https://***@host:9200/x")
        #expect(Redaction.redactedForMessage("https://host:9200") == "https://host:9200")
    }
}
