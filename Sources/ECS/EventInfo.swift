/// What the mapper could read out of one free-text `eventInfo`. Every member is optional: a field
/// is set only when the text clearly holds it, never guessed.
struct EventInfo: Equatable, Sendable {
    /// Valid IP addresses in the order they appear (`IP:`, `remote IP :`, `IP Address :`, `Remote IP is`).
    var ips: [String] = []
    var application: String?
    var method: String?
    var twoFactor: String?
    var reason: String?
    var emailFrom: [String] = []
    var emailTo: [String] = []
    var emailSubject: String?
    /// The text before the first recognised `Key:` pair (where the accounts are named), trimmed,
    /// as bytes of the `eventInfo`: only tests read it as text, so it is never copied per event.
    var narrativeBytes: ArraySlice<UInt8> = []
    var narrative: Substring { Substring(decoding: narrativeBytes, as: UTF8.self) }
    /// Accounts named in the narrative, with the display name written next to them.
    var namedAccounts: [NamedAccount] = []
    /// The account after `by` in `Action Performed - … by X<Y>`.
    var performedBy: NamedAccount?

    /// An address or account name seen in the text, and what introduced it.
    struct NamedAccount: Equatable, Sendable {
        var identity: String
        var displayName: String?
    }
}
