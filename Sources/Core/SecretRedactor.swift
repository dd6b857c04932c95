#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The secrets this process holds, and the one place that removes them from text before it is
/// logged, printed or written to disk.
///
/// Servers echo requests: an OAuth endpoint may quote the form it was sent (with the client
/// secret), a proxy or a cluster may quote the `Authorization` header in an error reason. Such
/// text reaches logs, `check` output and the dead-letter file, so every output path passes it
/// through `scrub` rather than trusting each message to be clean. A secret is matched in the
/// forms it travels in: as is, base64 (standard and URL-safe, with and without padding, as in
/// `Authorization: Basic`), percent-encoded (form and URL user-info) and JSON-escaped.
public final class SecretRedactor: Sendable {
    /// The process-wide registry that the log handlers and the command-line outputs use.
    public static let shared = SecretRedactor()
    /// What a secret becomes in output.
    public static let placeholder = "[REDACTED]"
    /// Shorter values are not scrubbed: replacing every occurrence of a 1–3 character string
    /// would mangle ordinary text without protecting anything.
    public static let minimumLength = 4
    /// Short-lived credentials (OAuth access tokens) kept; older ones have expired anyway.
    static let transientLimit = 8

    private struct State {
        var configured: [String] = []
        var transient: [String] = []
        /// Every form of every secret, longest first so a longer match wins over its prefix.
        var patterns: [String] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Remembers a configured secret (a client secret, a password, an API key).
    public func register(_ secret: String) {
        guard secret.count >= Self.minimumLength else { return }
        state.withLock { state in
            guard !state.configured.contains(secret) else { return }
            state.configured.append(secret)
            Self.rebuild(&state)
        }
    }

    /// Remembers a short-lived credential such as an access token; only the latest few are kept.
    public func registerTransient(_ secret: String) {
        guard secret.count >= Self.minimumLength else { return }
        state.withLock { state in
            guard !state.transient.contains(secret) else { return }
            state.transient.append(secret)
            if state.transient.count > Self.transientLimit { state.transient.removeFirst() }
            Self.rebuild(&state)
        }
    }

    /// True when nothing is registered (scrubbing is then free).
    public var isEmpty: Bool { state.withLock { $0.patterns.isEmpty } }

    /// `text` with every form of every registered secret replaced by the placeholder. Compared as
    /// UTF-8 bytes: a secret's bytes are hidden even where a combining mark after it would merge
    /// its last character with the mark.
    public func scrub(_ text: String) -> String {
        let patterns = state.withLock { $0.patterns }
        guard !patterns.isEmpty else { return text }
        return String(decoding: Self.scrub(Array(text.utf8), patterns: patterns), as: UTF8.self)
    }

    /// The byte form of `scrub`, for output that is already encoded (documents, dead letters).
    public func scrub(_ bytes: [UInt8]) -> [UInt8] {
        let patterns = state.withLock { $0.patterns }
        guard !patterns.isEmpty else { return bytes }
        return Self.scrub(bytes, patterns: patterns)
    }

    private static func scrub(_ bytes: [UInt8], patterns: [String]) -> [UInt8] {
        var result = bytes
        let placeholder = Array(Self.placeholder.utf8)
        for pattern in patterns {
            let needle = Array(pattern.utf8)
            if contains(result, needle) {
                result.replace(needle, with: placeholder)
            }
        }
        return result
    }

    /// A `memchr` + `memcmp` scan anchored on the needle's rarest-looking byte: dry runs pass
    /// every document through here, so the common case (no secret in it) must be a fast scan.
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let anchor = needle.indices.min { commonness(needle[$0]) < commonness(needle[$1]) } ?? 0
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let base = hay.baseAddress, let pattern = pin.baseAddress else { return false }
                var offset = anchor
                let last = hay.count - pin.count + anchor
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(needle[anchor]), last - offset + 1) else { return false }
                    let position = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + position - anchor, pattern, pin.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }

    /// How often a byte shows up in JSON documents of English text, roughly.
    private static func commonness(_ byte: UInt8) -> Int {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: ","): 3
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"): 2
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): 1
        default: 0
        }
    }

    private static func rebuild(_ state: inout State) {
        var forms = Set<String>()
        for secret in state.configured + state.transient {
            forms.formUnion(Self.forms(of: secret))
        }
        state.patterns = forms.filter { $0.count >= minimumLength }.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// The spellings a secret may take on the wire or in a server's echo of it.
    public static func forms(of secret: String) -> Set<String> {
        var forms: Set<String> = [secret]
        let base64 = Data(secret.utf8).base64EncodedString()
        let unpadded = String(base64.reversed().drop { $0 == "=" }.reversed())
        let urlSafe = unpadded.replacingEvery("+", with: "-").replacingEvery("/", with: "_")
        forms.formUnion([base64, unpadded, urlSafe])
        let percentEncoded = PercentEncoding.unreserved(secret)
        forms.insert(percentEncoded)
        forms.insert(percentEncoded.replacingEvery("%20", with: "+"))
        forms.insert(percentEncoded.lowercasedPercentEscapes)
        forms.insert(PercentEncoding.query(secret))
        forms.insert(PercentEncoding.password(secret))
        for form in Array(forms) {
            forms.insert(jsonEscaped(form))
        }
        return forms
    }

    /// The text as it appears inside a JSON string written by a server that escapes `/`.
    static func jsonEscaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "/": result += "\\/"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

private extension String {
    /// `%2F` → `%2f`: some encoders use lower-case hex digits.
    var lowercasedPercentEscapes: String {
        var result = ""
        var remaining = 0
        for character in self {
            if character == "%" {
                remaining = 2
                result.append(character)
            } else if remaining > 0 {
                remaining -= 1
                result += character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}
