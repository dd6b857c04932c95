import ShipperCore

/// An account as ECS `user.*`/`user.target.*` fields: an address is split into `email`,
/// `name` (local part) and `domain`; anything else is only a `name`.
struct UserIdentity: Equatable, Sendable {
    var email: String?
    var name: String
    var domain: String?
    var fullName: String?

    /// Nil for empty or blank input: no identity is better than an empty one.
    init?(_ raw: String, fullName: String? = nil) {
        let value = raw.trimmingCharacterWhitespace()
        guard !value.isEmpty else { return nil }
        // An address is ASCII with exactly one `@`, so its bytes split it.
        if let parts = EmailAddresses.split(value) {
            email = value
            name = parts.local
            domain = parts.domain
        } else {
            email = nil
            name = value
            domain = nil
        }
        self.fullName = fullName
    }

    /// The identity as one string for `related.user` and for comparing accounts.
    var identity: String { email ?? name }

    /// Whether `other` names this account: the same identity, or, for an account known only by
    /// name, an address whose local part is that name (`ana.lopez` and `ana.lopez@example.org`).
    func isSameAccount(as other: String) -> Bool {
        let other = other.trimmingCharacterWhitespace()
        if identity.caseInsensitiveEquals(other) { return true }
        guard email == nil else { return false }
        // In ASCII text the last `@` byte is the last `@` character; otherwise ask the Characters
        // (a combining mark after an `@` makes it part of another character).
        let at = other.utf8.allSatisfy { $0 < 0x80 } ? other.utf8.lastIndex(of: UInt8(ascii: "@")) : other.lastIndex(of: "@")
        guard let at else { return false }
        return name.caseInsensitiveEquals(String(other[..<at]))
    }
}

extension String {
    /// Without leading and trailing `Character`s that are whitespace (`Character.isWhitespace`,
    /// line breaks included). Core's `trimmingWhitespace()` trims Foundation's set of spaces and
    /// tabs by scalar instead; accounts have always been trimmed this way, so the two keep
    /// different names.
    func trimmingCharacterWhitespace() -> String {
        // Fast path: printable ASCII at both ends cannot be (part of) a whitespace Character.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return self
        }
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }

    func caseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        if let equal = Self.asciiCaseInsensitiveEquals(self, other) { return equal }
        return lowercased() == other.lowercased()
    }

    /// Whether `a` and `b` are equal once lower-cased, decided byte by byte when both are ASCII
    /// (where `lowercased()` only maps A-Z); nil when either is not ASCII.
    static func asciiCaseInsensitiveEquals(_ a: String, _ b: String) -> Bool? {
        a.withContiguousUTF8 { a in
            b.withContiguousUTF8 { b in
                guard TextScanning.isASCII(a), TextScanning.isASCII(b) else { return nil }
                guard a.count == b.count else { return false }
                for index in 0..<a.count where EventInfoPairs.lowered(a[index]) != EventInfoPairs.lowered(b[index]) { return false }
                return true
            }
        }
    }
}
