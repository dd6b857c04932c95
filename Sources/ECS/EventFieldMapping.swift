/// The event-specific ECS fields: categorisation, actor and target accounts, addresses and the
/// vendor fields under `mimecast.*`.
enum EventFieldMapping {
    /// `classification` is what `record.auditType` and `record.category` decide, already rendered.
    static func write(_ record: AuditEventRecord, info: EventInfo, classification: ClassificationFields,
                      to document: inout ECSDocument) {
        document.set(.message, utf8: record.eventInfo)

        document.set(.eventCategory, json: classification.categories)
        document.set(.eventType, json: classification.types)
        document.set(.eventOutcome, json: classification.outcome)
        document.set(.eventReason, info.reason)

        let accounts = AccountResolution.resolve(user: record.user, info: info)
        write(accounts.actor, fields: (.userEmail, .userName, .userDomain, .userFullName), to: &document)
        write(accounts.target, fields: (.userTargetEmail, .userTargetName, .userTargetDomain, .userTargetFullName), to: &document)

        let ips = deduplicated(info.ips)
        document.set(.sourceIP, ips.first)
        document.set(.sourceAddress, ips.first)
        document.set(.relatedIP, ips)
        document.set(.relatedUser, deduplicated(accounts.allIdentities, info.emailFrom, info.emailTo))

        document.set(.emailFromAddress, deduplicated(info.emailFrom))
        document.set(.emailToAddress, deduplicated(info.emailTo))
        document.set(.emailSubject, info.emailSubject)

        document.set(.mimecastCategory, json: classification.category)
        document.set(.mimecastAuditType, json: classification.auditType)
        document.set(.mimecastApplication, info.application)
        document.set(.mimecastMethod, info.method)
        document.set(.mimecastTwoFactor, info.twoFactor)
    }

    private static func write(_ identity: UserIdentity?, fields: (email: ECSField, name: ECSField, domain: ECSField, fullName: ECSField),
                              to document: inout ECSDocument) {
        guard let identity else { return }
        document.set(fields.email, identity.email)
        document.set(fields.name, identity.name)
        document.set(fields.domain, identity.domain)
        document.set(fields.fullName, identity.fullName)
    }

    /// `Mimecast Support Login` → `mimecast-support-login`: lower case, each run of whitespace one hyphen.
    static func action(_ auditType: String) -> String {
        ASCIIFolding.fold(auditType, separator: UInt8(ascii: "-")) { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// First spelling of each value of the lists, in order, compared case-insensitively; empty
    /// values dropped. Several lists are read as one, without joining them first.
    static func deduplicated(_ values: [String], _ more: [String] = [], _ evenMore: [String] = []) -> [String] {
        // Most lists hold one value (an event's IP, its one sender): nothing to compare or copy.
        if more.isEmpty, evenMore.isEmpty, values.count <= 1 { return values.first?.isEmpty == false ? values : [] }
        let total = values.count + more.count + evenMore.count
        var result: [String] = []
        result.reserveCapacity(total)
        // The usual handful is compared pairwise without building lower-cased copies; longer
        // lists by a set of lower-cased values.
        var seen = Set<String>()
        func add(_ value: String) {
            guard !value.isEmpty else { return }
            let repeated = total <= 16
                ? result.contains { kept in
                    String.asciiCaseInsensitiveEquals(kept, value) ?? (kept.lowercased() == value.lowercased())
                }
                : !seen.insert(value.lowercased()).inserted
            if !repeated { result.append(value) }
        }
        for value in values { add(value) }
        for value in more { add(value) }
        for value in evenMore { add(value) }
        return result
    }
}

/// Who acted and who was acted on.
///
/// The actor is the API's `user` (nothing when it is empty); `eventInfo` only adds its display
/// name. The target is the first account the narrative introduces (`for X`, `to X`,
/// `emailAddress=X`, `for user: X`) that is not the actor.
struct AccountResolution {
    var actor: UserIdentity?
    var target: UserIdentity?
    var allIdentities: [String] = []

    /// The accounts of one event. A function rather than an initialiser, built from locals with
    /// loops and in-place updates: an initialiser takes `info` owned and filled `self` in a copy,
    /// and `first(where:)`, `flatMap` and `if var` copied identities and accounts, each copy a
    /// retain and a release per string.
    static func resolve(user: String?, info: EventInfo) -> AccountResolution {
        var actor = user.flatMap { UserIdentity($0) }
        if let fullName = displayName(of: actor, in: info) { actor?.fullName = fullName }
        var target: UserIdentity?
        for account in info.namedAccounts where !(actor?.isSameAccount(as: account.identity) ?? false) {
            target = UserIdentity(account.identity, fullName: account.displayName)
            break
        }

        var identities: [String] = []
        identities.reserveCapacity(3 + info.namedAccounts.count)
        if let identity = actor?.identity { identities.append(identity) }
        if let identity = target?.identity { identities.append(identity) }
        if let identity = info.performedBy?.identity { identities.append(identity) }
        for account in info.namedAccounts { identities.append(account.identity) }
        return AccountResolution(actor: actor, target: target, allIdentities: identities)
    }

    /// The display name written next to the actor: the named accounts', then the `by` account's,
    /// the first that names the actor and has one.
    private static func displayName(of actor: UserIdentity?, in info: EventInfo) -> String? {
        guard let actor else { return nil }
        for account in info.namedAccounts where account.displayName != nil && actor.isSameAccount(as: account.identity) {
            return account.displayName
        }
        if let by = info.performedBy, by.displayName != nil, actor.isSameAccount(as: by.identity) { return by.displayName }
        return nil
    }
}
