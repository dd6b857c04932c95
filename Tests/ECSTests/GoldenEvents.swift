import ShipperCore

/// One golden case: an event and what its document must say. `nil` expectations mean the field
/// must be absent; `user`/`target` list the complete `user.*`/`user.target.*` scalars.
struct GoldenCase: Sendable, CustomStringConvertible {
    var name: String
    var auditType: String
    var user: String
    var eventInfo: String
    var category: String
    var eventTime = "2024-05-02T09:14:07+0000"
    var action: String
    var sourceIP: String?
    var relatedIP: [String]?
    var actor: [String: String] = [:]
    var target: [String: String] = [:]
    var categories: [String]?
    var types: [String]?
    var outcome: String?
    var reason: String?
    var timestamp: String?
    var mimecast: [String: String] = [:]

    var description: String { name }

    var event: RawAuditEvent {
        ECSTestSupport.event(id: "golden-\(name)", auditType: auditType, user: user, eventTime: eventTime, eventInfo: eventInfo, category: category)
    }
}

func ana(fullName: String? = nil) -> [String: String] {
    var fields = ["email": "ana.lopez@example.org", "name": "ana.lopez", "domain": "example.org"]
    fields["full_name"] = fullName
    return fields
}

func account(_ local: String, _ domain: String, fullName: String? = nil) -> [String: String] {
    var fields = ["email": "\(local)@\(domain)", "name": local, "domain": domain]
    fields["full_name"] = fullName
    return fields
}

enum GoldenEvents {
    /// The families of the eventInfo reference (as in samples/), then cases of our own.
    static let all: [GoldenCase] = referenceFamilies + ownCases

    static let referenceFamilies: [GoldenCase] = [
        GoldenCase(name: "support-login", auditType: "Mimecast Support Login", user: "support.agent@mimecast.example",
                   eventInfo: "Action Performed - support.agent@mimecast.example logged into this account. by support.agent@mimecast.example<support.agent@mimecast.example> Date: 2024-05-02 Time: 10:14:07 +0100 IP: 203.0.113.9 Application: Administration Console",
                   category: "mimecast_access_logs", action: "mimecast-support-login", sourceIP: "203.0.113.9",
                   actor: account("support.agent", "mimecast.example"),
                   categories: ["authentication"], types: ["start"], outcome: "success", timestamp: "2024-05-02T09:14:07Z",
                   mimecast: ["application": "Administration Console", "category": "mimecast_access_logs"]),
        GoldenCase(name: "support-login-display-name", auditType: "Mimecast Support Login", user: "support.two@mimecast.example",
                   eventInfo: "Action Performed - support.two@mimecast.example logged into this account. by support.two@mimecast.example<Support Two> Date: 2024-05-02 Time: 21:02:00 +1000 IP: 203.0.113.44 Application: Administration Console",
                   category: "mimecast_access_logs", eventTime: "2024-05-02T11:02:00+0000", action: "mimecast-support-login", sourceIP: "203.0.113.44",
                   actor: account("support.two", "mimecast.example", fullName: "Support Two"),
                   categories: ["authentication"], types: ["start"], outcome: "success", timestamp: "2024-05-02T11:02:00Z"),
        GoldenCase(name: "support-action", auditType: "Mimecast Support Action", user: "support.agent@mimecast.example",
                   eventInfo: "Action Performed - Updated policy Anti-Spoofing by support.agent@mimecast.example<Support Agent> Date: 2024-05-02 Time: 10:21:40 +0100 IP: 203.0.113.9 Application: Administration Console",
                   category: "mimecast_access_logs", action: "mimecast-support-action", sourceIP: "203.0.113.9",
                   actor: account("support.agent", "mimecast.example", fullName: "Support Agent"),
                   categories: ["configuration"], types: ["change"], outcome: "success"),
        GoldenCase(name: "logon-2fa", auditType: "Logon Authentication", user: "ana.lopez@example.org",
                   eventInfo: "Successful authentication for ana.lopez@example.org <Ana Lopez>, Date: 2024-05-02, Time: 10:30:00 BST, IP: 198.51.100.23, Application: Administration Console, Method: Cloud, 2FA: TOTP",
                   category: "authentication_logs", action: "logon-authentication", sourceIP: "198.51.100.23", actor: ana(fullName: "Ana Lopez"),
                   categories: ["authentication"], types: ["start"], outcome: "success",
                   mimecast: ["application": "Administration Console", "method": "Cloud", "two_factor": "TOTP"]),
        GoldenCase(name: "logon-failed-comma-name", auditType: "Logon Authentication Failed", user: "ana.lopez@example.org",
                   eventInfo: "Failed authentication for ana.lopez@example.org <Lopez, Ana>, Date: 2024-05-02, Time: 09:31:12 GMT, IP: 198.51.100.23, Application: MPP, Method: SP-initiated SAML, Reason: Wrong Password",
                   category: "authentication_logs", action: "logon-authentication-failed", sourceIP: "198.51.100.23", actor: ana(fullName: "Lopez, Ana"),
                   categories: ["authentication"], types: ["start"], outcome: "failure", reason: "Wrong Password",
                   mimecast: ["application": "MPP", "method": "SP-initiated SAML"]),
        GoldenCase(name: "case-review-ipv6-glued-offset", auditType: "Case Review Viewed", user: "ben.okafor@example.org",
                   eventInfo: "Viewed Case - Case: Contract Review, Date: 2024-05-02, Time: 09:40:05+0000, IP: 2001:db8::7, Application: mimecast-case-review",
                   category: "case_review_logs", action: "case-review-viewed", sourceIP: "2001:db8::7", actor: account("ben.okafor", "example.org"),
                   categories: ["web"], types: ["access"], outcome: "success", mimecast: ["application": "mimecast-case-review"]),
        GoldenCase(name: "search-json-criteria-spaced-colon", auditType: "Search Executed", user: "ben.okafor@example.org",
                   eventInfo: #"Executed Search - Source: Search, Search Criteria: {"keywords":"invoice", "from":"billing@example.net"}, Date: 2024-05-02, Time: 05:42:51 GMT-04:00, IP : 198.51.100.40, Application: Archive Search"#,
                   category: "archive_service_logs", action: "search-executed", sourceIP: "198.51.100.40", actor: account("ben.okafor", "example.org"),
                   categories: ["web"], types: ["access"], outcome: "success", mimecast: ["application": "Archive Search"]),
        GoldenCase(name: "logged-on-doubled-separator", auditType: "User Logged On", user: "chen.wei@example.org",
                   eventInfo: "User logged on, Date : 2024-05-02, Time : 10:02:33 +0000, IP: : 192.0.2.77,, Application: Mimecast Personal Portal",
                   category: "account_logs", action: "user-logged-on", sourceIP: "192.0.2.77", relatedIP: ["192.0.2.77"], actor: account("chen.wei", "example.org"),
                   categories: ["authentication"], types: ["start"], outcome: "success", mimecast: ["application": "Mimecast Personal Portal"]),
        GoldenCase(name: "remote-ip-is", auditType: "Device Enrollment", user: "dave.smith@example.org",
                   eventInfo: "Succesfully enrolled user for user device enrollment, Remote IP is 198.51.100.61",
                   category: "authentication_logs", action: "device-enrollment", sourceIP: "198.51.100.61", actor: account("dave.smith", "example.org"),
                   categories: ["iam"], types: ["user", "change"], outcome: "success"),
        GoldenCase(name: "password-reset-null-ip-empty-user", auditType: "User Password Changed", user: "",
                   eventInfo: "Password reset for user: erin.jones@example.org User Password Changed, Remote IP is null",
                   category: "account_logs", action: "user-password-changed", sourceIP: nil, relatedIP: nil,
                   target: account("erin.jones", "example.org"), categories: ["iam"], types: ["user", "change"], outcome: "success"),
        GoldenCase(name: "archive-folder-deleted", auditType: "Archive Folder Deleted", user: "ana.lopez@example.org",
                   eventInfo: "Action Performed - Deleted Folder Archive 2019 by ana.lopez@example.org<Ana Lopez> Date: 2024-05-02 Time: 11:05:00 +0100 IP: 198.51.100.23 Application: Administration Console",
                   category: "archive_service_logs", action: "archive-folder-deleted", sourceIP: "198.51.100.23", actor: ana(fullName: "Ana Lopez"),
                   categories: ["file"], types: ["deletion"], outcome: "success"),
        GoldenCase(name: "failed-logon-serialised-object", auditType: "Logon Authentication Failed", user: "",
                   eventInfo: "Authentication failed: LogonRequest{emailAddress=mallory@example.net, method=PASSWORD, source=API}, remote IP : 2001:db8:85a3::8a2e:370:7334, application : Mimecast API",
                   category: "authentication_logs", action: "logon-authentication-failed", sourceIP: "2001:db8:85a3::8a2e:370:7334",
                   target: account("mallory", "example.net"), categories: ["authentication"], types: ["start"], outcome: "failure",
                   mimecast: ["application": "Mimecast API", "method": "PASSWORD"]),
        GoldenCase(name: "export-brackets", auditType: "Export Data", user: "ben.okafor@example.org",
                   eventInfo: "[Export :Message Tracking,Format :CSV,Rows :1250,IP Address :198.51.100.40,Application :Administration Console]",
                   category: "reporting_logs", action: "export-data", sourceIP: "198.51.100.40", actor: account("ben.okafor", "example.org"),
                   categories: ["file"], types: ["creation"], outcome: "success", mimecast: ["application": "Administration Console"]),
        GoldenCase(name: "connector-multiline", auditType: "Connector Updated", user: "ana.lopez@example.org",
                   eventInfo: "Connector updated: Microsoft 365 Journaling\nSettings changed: Sync interval 15 -> 30\nDate: 2024-05-02, Time: 11:31:00 BST, IP: 198.51.100.23, Application: Administration Console",
                   category: "integrations_and_apis", action: "connector-updated", sourceIP: "198.51.100.23", actor: ana(),
                   categories: ["configuration"], types: ["change"], outcome: "success"),
        GoldenCase(name: "no-ip-no-user", auditType: "Directory Sync", user: "", eventInfo: "No changes found.",
                   category: "integrations_and_apis", action: "directory-sync", sourceIP: nil, categories: ["iam"], types: ["info"], outcome: "success"),
        GoldenCase(name: "sso-no-ip", auditType: "SSO Logon", user: "frank.li@example.org",
                   eventInfo: "Successful SSO authentication for frank.li@example.org through identity provider Okta",
                   category: "authentication_logs", action: "sso-logon", sourceIP: nil, actor: account("frank.li", "example.org"),
                   categories: ["authentication"], types: ["start"], outcome: "success"),
        GoldenCase(name: "message-action", auditType: "Message Released", user: "ana.lopez@example.org",
                   eventInfo: "Released message from hold, From: billing@example.net, To: chen.wei@example.org, Subject: Invoice 4411, Processed: 2024-05-02 10:44:59, Date: 2024-05-02, Time: 11:45:30 BST, IP: 198.51.100.23, Application: Administration Console",
                   category: "secure_messaging_logs", action: "message-released", sourceIP: "198.51.100.23", actor: ana(),
                   categories: ["email"], types: ["info"], outcome: "success"),
        GoldenCase(name: "role-assigned-target", auditType: "Role Assigned", user: "ana.lopez@example.org",
                   eventInfo: "Assigned role Basic Administrator to chen.wei@example.org, Date: 2024-05-02, Time: 11:50:00 BST, IP: 198.51.100.23, Application: Administration Console",
                   category: "account_logs", action: "role-assigned", sourceIP: "198.51.100.23", actor: ana(), target: account("chen.wei", "example.org"),
                   categories: ["iam"], types: ["user", "change"], outcome: "success"),
        GoldenCase(name: "policy-changed", auditType: "Policy Changed", user: "ana.lopez@example.org",
                   eventInfo: "Policy updated - Attachment Protection (Default), Date: 2024-05-02, Time: 12:10:00 BST, IP: 198.51.100.23, Application: Administration Console",
                   category: "policy_logs", action: "policy-changed", sourceIP: "198.51.100.23", actor: ana(),
                   categories: ["configuration"], types: ["change"], outcome: "success"),
        GoldenCase(name: "ipv6-loopback", auditType: "Awareness Training Completed", user: "gina.ross@example.org",
                   eventInfo: "Module completed: Phishing Basics, Score: 90, Date: 2024-05-02, Time: 11:15:00 +0000, IP: ::1, Application: Awareness Training",
                   category: "awareness_training_logs", action: "awareness-training-completed", sourceIP: "::1", actor: account("gina.ross", "example.org"),
                   categories: ["web"], types: ["info"], outcome: "success"),
    ]

    static let ownCases: [GoldenCase] = [
        GoldenCase(name: "non-email-user-unknown-type-category-fallback", auditType: "Quarantine Policy Tweaked", user: "svc-sync",
                   eventInfo: "Policy tweaked, IP: 192.0.2.10", category: "policy_logs", action: "quarantine-policy-tweaked", sourceIP: "192.0.2.10",
                   actor: ["name": "svc-sync"], categories: ["configuration"], types: ["change"], outcome: nil),
        GoldenCase(name: "unknown-failed-type-in-known-category", auditType: "Weird Logon Failed", user: "ana.lopez@example.org",
                   eventInfo: "Something failed, IP: 192.0.2.11", category: "authentication_logs", action: "weird-logon-failed", sourceIP: "192.0.2.11",
                   actor: ana(), categories: ["authentication"], types: ["info"], outcome: "failure"),
        GoldenCase(name: "unknown-category-uncategorised", auditType: "  Something   Odd ", user: "ana.lopez@example.org",
                   eventInfo: "Odd thing", category: "brand_new_logs", action: "something-odd", sourceIP: nil, actor: ana(),
                   categories: nil, types: nil, outcome: nil),
        GoldenCase(name: "ip-null-pair", auditType: "User Logged On", user: "ana.lopez@example.org",
                   eventInfo: "User logged on, Date: 2024-05-02, Time: 10:00:00 +0000, IP: null, Application: Mimecast Personal Portal",
                   category: "account_logs", action: "user-logged-on", sourceIP: nil, relatedIP: nil, actor: ana(),
                   categories: ["authentication"], types: ["start"], outcome: "success"),
        GoldenCase(name: "ip-garbage", auditType: "User Logged On", user: "ana.lopez@example.org",
                   eventInfo: "User logged on, IP: 999.1.1.1, IP Address :01.2.3.4, remote IP : 2001:db8::1::2, Remote IP is unknown, Application: X",
                   category: "account_logs", action: "user-logged-on", sourceIP: nil, relatedIP: nil, actor: ana(),
                   categories: ["authentication"], types: ["start"], outcome: "success", mimecast: ["application": "X"]),
        GoldenCase(name: "password-reset-by-admin", auditType: "User Password Changed", user: "admin@example.org",
                   eventInfo: "Password reset for user: erin.jones@example.org User Password Changed, Remote IP is 198.51.100.9",
                   category: "account_logs", action: "user-password-changed", sourceIP: "198.51.100.9", actor: account("admin", "example.org"),
                   target: account("erin.jones", "example.org"), categories: ["iam"], types: ["user", "change"], outcome: "success"),
        GoldenCase(name: "restore-to-target", auditType: "Archive Restore", user: "ana.lopez@example.org",
                   eventInfo: "Restored 12 messages to restore.box@example.org, Date: 2024-05-02, Time: 10:14:07 BST, IP Address :198.51.100.5",
                   category: "archive_service_logs", action: "archive-restore", sourceIP: "198.51.100.5", actor: ana(),
                   target: account("restore.box", "example.org"), categories: ["web"], types: ["access"], outcome: nil),
        GoldenCase(name: "ipv6-full-with-bst", auditType: "Logon Authentication", user: "ana.lopez@example.org",
                   eventInfo: "Successful authentication for ana.lopez@example.org, Date: 2024-05-02, Time: 10:14:07 BST, IP: FE80:0:0:0:1ff:fe23:4567:890a, Application: MPP",
                   category: "authentication_logs", action: "logon-authentication", sourceIP: "FE80:0:0:0:1ff:fe23:4567:890a", actor: ana(),
                   categories: ["authentication"], types: ["start"], outcome: "success"),
        GoldenCase(name: "event-time-fraction-zulu", auditType: "Policy Changed", user: "ana.lopez@example.org",
                   eventInfo: "Policy updated, Date: 2024-05-02, Time: 05:14:07 GMT-04:00, IP: 198.51.100.23", category: "policy_logs",
                   eventTime: "2024-05-02T09:14:07.5Z", action: "policy-changed", sourceIP: "198.51.100.23", actor: ana(),
                   categories: ["configuration"], types: ["change"], outcome: "success", timestamp: "2024-05-02T09:14:07.500Z"),
        GoldenCase(name: "event-time-half-hour-offset", auditType: "Policy Changed", user: "ana.lopez@example.org",
                   eventInfo: "Policy updated, Date: 2024-05-02, Time: 14:44:07 +0530, IP: 198.51.100.23", category: "policy_logs",
                   eventTime: "2024-05-02T14:44:07+0530", action: "policy-changed", sourceIP: "198.51.100.23", actor: ana(),
                   categories: ["configuration"], types: ["change"], outcome: "success", timestamp: "2024-05-02T09:14:07Z"),
        GoldenCase(name: "failed-logon-attempted-address", auditType: "Logon Authentication Failed", user: "",
                   eventInfo: "Failed authentication for eve@example.net <Eve Example>, Date: 2024-05-02, Time: 09:14:07 GMT, IP: 203.0.113.77, Application: MPP, Reason: Unknown user",
                   category: "authentication_logs", action: "logon-authentication-failed", sourceIP: "203.0.113.77",
                   target: account("eve", "example.net", fullName: "Eve Example"), categories: ["authentication"], types: ["start"],
                   outcome: "failure", reason: "Unknown user"),
        GoldenCase(name: "remote-ip-is-ipv6", auditType: "Device Enrollment", user: "dave.smith@example.org",
                   eventInfo: "Succesfully enrolled user for user device enrollment, Remote IP is 2001:db8::42",
                   category: "authentication_logs", action: "device-enrollment", sourceIP: "2001:db8::42", actor: account("dave.smith", "example.org"),
                   categories: ["iam"], types: ["user", "change"], outcome: "success"),
        GoldenCase(name: "two-ips-deduplicated", auditType: "Logon Authentication", user: "ana.lopez@example.org",
                   eventInfo: "Proxy logon, remote IP : 192.0.2.1, IP: 192.0.2.2, IP Address :192.0.2.1, Application: MPP",
                   category: "authentication_logs", action: "logon-authentication", sourceIP: "192.0.2.1", relatedIP: ["192.0.2.1", "192.0.2.2"],
                   actor: ana(), categories: ["authentication"], types: ["start"], outcome: "success"),
        GoldenCase(name: "name-only-actor-matches-address-in-text", auditType: "Logon Authentication", user: "ana.lopez",
                   eventInfo: "Successful authentication for ana.lopez@example.org <Ana Lopez>, Date: 2024-05-02, Time: 10:14:07 BST, IP: 198.51.100.23",
                   category: "authentication_logs", action: "logon-authentication", sourceIP: "198.51.100.23",
                   actor: ["name": "ana.lopez", "full_name": "Ana Lopez"], categories: ["authentication"], types: ["start"], outcome: "success"),
        GoldenCase(name: "actor-mixed-case-matches-text", auditType: "Logon Authentication", user: "Ana.Lopez@Example.org",
                   eventInfo: "Successful authentication for ana.lopez@example.org <Ana Lopez>, IP: 198.51.100.23",
                   category: "authentication_logs", action: "logon-authentication", sourceIP: "198.51.100.23",
                   actor: ["email": "Ana.Lopez@Example.org", "name": "Ana.Lopez", "domain": "Example.org", "full_name": "Ana Lopez"],
                   categories: ["authentication"], types: ["start"], outcome: "success"),
    ]
}
