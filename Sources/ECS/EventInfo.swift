/// What the mapper could read out of one free-text `eventInfo`. Every member is optional: a field
/// is set only when the text clearly holds it, never guessed.
///
/// Each value is where it lies in `text` (a range of its indices, which are those of the buffer it
/// is part of): every value the reader finds is a piece of the text as written, so reading an
/// event makes no `String` and a copy of the result retains one buffer, not one per value.
struct EventInfo: Sendable {
    /// The `eventInfo` text the ranges index.
    var text: ArraySlice<UInt8> = []
    /// Valid IP addresses in the order they appear (`IP:`, `remote IP :`, `IP Address :`, `Remote IP is`).
    var ips = RangeList()
    var application: Range<Int>?
    var method: Range<Int>?
    var twoFactor: Range<Int>?
    var reason: Range<Int>?
    var emailFrom = RangeList()
    var emailTo = RangeList()
    var emailSubject: Range<Int>?
    /// The text before the first recognised `Key:` pair (where the accounts are named), trimmed.
    var narrative: Range<Int> = 0..<0
    /// Accounts named in the narrative, with the display name written next to them.
    var namedAccounts: [NamedAccount] = []
    /// The account after `by` in `Action Performed - … by X<Y>`.
    var performedBy: NamedAccount?

    /// An address or account name seen in the text, and what introduced it.
    struct NamedAccount: Equatable, Sendable {
        var identity: Range<Int>
        var displayName: Range<Int>?
    }
}

extension EventInfo: Equatable {
    /// Two readings are equal when they found the same texts, wherever each text lies.
    static func == (lhs: EventInfo, rhs: EventInfo) -> Bool {
        lhs.texts == rhs.texts
    }

    /// The values as text: what tests compare and what `==` compares.
    var texts: Texts {
        Texts(ips: ips.map(string), application: application.map(string), method: method.map(string),
              twoFactor: twoFactor.map(string), reason: reason.map(string), emailFrom: emailFrom.map(string),
              emailTo: emailTo.map(string), emailSubject: emailSubject.map(string), narrative: string(narrative),
              namedAccounts: namedAccounts.map(account), performedBy: performedBy.map(account))
    }

    struct Texts: Equatable {
        var ips: [String] = []
        var application: String?
        var method: String?
        var twoFactor: String?
        var reason: String?
        var emailFrom: [String] = []
        var emailTo: [String] = []
        var emailSubject: String?
        var narrative = ""
        var namedAccounts: [Account] = []
        var performedBy: Account?
    }

    struct Account: Equatable {
        var identity: String
        var displayName: String?
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: text[range], as: UTF8.self)
    }

    private func account(_ account: NamedAccount) -> Account {
        Account(identity: string(account.identity), displayName: account.displayName.map(string))
    }
}
