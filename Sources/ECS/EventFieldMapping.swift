/// The event-specific ECS fields: categorisation, actor and target accounts, addresses and the
/// vendor fields under `mimecast.*`.
enum EventFieldMapping {
    /// `classification` is what `record.auditType` and `record.category` decide, already rendered.
    static func write(_ record: AuditEventRecord, info: EventInfo, classification: ClassificationFields,
                      to document: inout ECSDocument) {
        document.set(.message, utf8: record.eventInfo, plain: record.eventInfoIsPlain)

        document.set(.eventCategory, json: classification.categories)
        document.set(.eventType, json: classification.types)
        document.set(.eventOutcome, json: classification.outcome)
        document.set(.mimecastCategory, json: classification.category)
        document.set(.mimecastAuditType, json: classification.auditType)

        // Every text below is a piece of `eventInfo` or `user`: as they are when both are plain.
        let plain = record.textsArePlain
        info.text.withUnsafeBufferPointer { buffer in
            let text = InfoText(buffer: buffer, origin: info.text.startIndex)
            document.set(.eventReason, utf8: text[ifAny: info.reason], plain: plain)
            document.set(.emailSubject, utf8: text[ifAny: info.emailSubject], plain: plain)
            document.set(.mimecastApplication, utf8: text[ifAny: info.application], plain: plain)
            document.set(.mimecastMethod, utf8: text[ifAny: info.method], plain: plain)
            document.set(.mimecastTwoFactor, utf8: text[ifAny: info.twoFactor], plain: plain)

            DistinctTexts.collect(capacity: info.ips.count) { ips in
                // By index: iterating a copy of the list retained its array.
                for index in info.ips.indices { ips.add(text[info.ips[index]]) }
            } _: { ips in
                document.set(.sourceIP, utf8: ips.first, plain: plain)
                document.set(.sourceAddress, utf8: ips.first, plain: plain)
                document.set(.relatedIP, texts: ips, plain: plain)
            }
            write(distinct: info.emailFrom, in: text, to: .emailFromAddress, plain: plain, of: &document)
            write(distinct: info.emailTo, in: text, to: .emailToAddress, plain: plain, of: &document)

            record.withUser { user in
                let accounts = AccountResolution.resolve(user: user, info: info, text: text)
                write(accounts.actor, fields: (.userEmail, .userName, .userDomain, .userFullName), plain: plain, to: &document)
                write(accounts.target, fields: (.userTargetEmail, .userTargetName, .userTargetDomain, .userTargetFullName), plain: plain,
                      to: &document)
                let capacity = 3 + info.namedAccounts.count + info.emailFrom.count + info.emailTo.count
                DistinctTexts.collect(capacity: capacity) { users in
                    if let actor = accounts.actor { users.add(actor.identity) }
                    if let target = accounts.target { users.add(target.identity) }
                    if let by = info.performedBy { users.add(text[by.identity]) }
                    for account in info.namedAccounts { users.add(text[account.identity]) }
                    for index in info.emailFrom.indices { users.add(text[info.emailFrom[index]]) }
                    for index in info.emailTo.indices { users.add(text[info.emailTo[index]]) }
                } _: { users in
                    document.set(.relatedUser, texts: users, plain: plain)
                }
            }
        }
    }

    private static func write(distinct ranges: RangeList, in text: InfoText, to field: ECSField, plain: Bool,
                              of document: inout ECSDocument) {
        guard !ranges.isEmpty else { return }
        DistinctTexts.collect(capacity: ranges.count) { list in
            for index in ranges.indices { list.add(text[ranges[index]]) }
        } _: { list in
            document.set(field, texts: list, plain: plain)
        }
    }

    private static func write(_ identity: UserIdentity?, fields: (email: ECSField, name: ECSField, domain: ECSField, fullName: ECSField),
                              plain: Bool, to document: inout ECSDocument) {
        guard let identity else { return }
        document.set(fields.email, utf8: identity.email, plain: plain)
        document.set(fields.name, utf8: identity.name, plain: plain)
        document.set(fields.domain, utf8: identity.domain, plain: plain)
        document.set(fields.fullName, utf8: identity.fullName, plain: plain)
    }

    /// `Mimecast Support Login` → `mimecast-support-login`: lower case, each run of whitespace one hyphen.
    static func action(_ auditType: String) -> String {
        ASCIIFolding.fold(auditType, separator: UInt8(ascii: "-")) { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
}

/// An `EventInfo`'s text held by a pointer, giving each of its ranges as borrowed bytes.
struct InfoText {
    let buffer: UnsafeBufferPointer<UInt8>
    /// The index of the text's first byte in the buffer its ranges index.
    let origin: Int

    subscript(range: Range<Int>) -> AccountText.Bytes {
        AccountText.Bytes(rebasing: buffer[(range.lowerBound &- origin)..<(range.upperBound &- origin)])
    }

    subscript(ifAny range: Range<Int>?) -> AccountText.Bytes? {
        range.map { self[$0] }
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

    /// The accounts of one event; `user` is the API's `user` member, `text` the event's `eventInfo`.
    static func resolve(user: AccountText.Bytes?, info: EventInfo, text: InfoText) -> AccountResolution {
        var actor = user.flatMap { UserIdentity($0) }
        if let actorIdentity = actor, let fullName = displayName(of: actorIdentity, in: info, text: text) {
            actor?.fullName = fullName
        }
        var target: UserIdentity?
        for account in info.namedAccounts where !(actor?.isSameAccount(as: text[account.identity]) ?? false) {
            target = UserIdentity(text[account.identity], fullName: text[ifAny: account.displayName])
            break
        }
        return AccountResolution(actor: actor, target: target)
    }

    /// The display name written next to the actor: the named accounts', then the `by` account's,
    /// the first that names the actor and has one.
    private static func displayName(of actor: UserIdentity, in info: EventInfo, text: InfoText) -> AccountText.Bytes? {
        for account in info.namedAccounts {
            if let name = account.displayName, actor.isSameAccount(as: text[account.identity]) { return text[name] }
        }
        if let by = info.performedBy, let name = by.displayName, actor.isSameAccount(as: text[by.identity]) { return text[name] }
        return nil
    }
}
