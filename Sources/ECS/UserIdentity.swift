/// An account as ECS `user.*`/`user.target.*` fields: an address is split into `email`,
/// `name` (local part) and `domain`; anything else is only a `name`.
///
/// Its texts are borrowed (see `AccountText`): an event's accounts are resolved and written
/// while the buffers they lie in are held.
struct UserIdentity {
    /// The account, trimmed: the whole address when it is one, the name otherwise.
    let identity: AccountText.Bytes
    /// Where the `@` is when `identity` is exactly one address.
    let at: Int?
    var fullName: AccountText.Bytes?

    /// Nil for empty or blank input: no identity is better than an empty one.
    init?(_ raw: AccountText.Bytes, fullName: AccountText.Bytes? = nil) {
        let value = AccountText.trimmed(raw)
        guard !value.isEmpty else { return nil }
        identity = value
        // An address is ASCII with exactly one `@`, so its bytes split it.
        at = EmailAddresses.atOfWholeAddress(value)
        self.fullName = fullName
    }

    var email: AccountText.Bytes? { at == nil ? nil : identity }
    var name: AccountText.Bytes { at.map { AccountText.Bytes(rebasing: identity[..<$0]) } ?? identity }
    var domain: AccountText.Bytes? { at.map { AccountText.Bytes(rebasing: identity[($0 + 1)...]) } }

    /// Whether `other` names this account: the same identity, or, for an account known only by
    /// name, an address whose local part is that name (`ana.lopez` and `ana.lopez@example.org`).
    func isSameAccount(as other: AccountText.Bytes) -> Bool {
        let other = AccountText.trimmed(other)
        if AccountText.sameLengthEqualIgnoringCase(identity, other) { return true }
        guard at == nil, let otherAt = AccountText.lastAt(in: other) else { return false }
        return AccountText.sameLengthEqualIgnoringCase(identity, AccountText.Bytes(rebasing: other[..<otherAt]))
    }
}
