/// The categorisation table: which ECS category, type and outcome each Mimecast audit type gets.
///
/// To support a new audit type, add one row to `byAuditType` (keys are written as Mimecast
/// spells them; lookup ignores case and folds spaces, hyphens and underscores). Every row must be
/// a category/type pair ECS allows; `ECSValidityTests` checks that against the ECS definitions.
enum AuditTypeCategorisation {
    static let byAuditType: [String: EventCategorisation] = normalised([
        // Logons and support logins: a session starts.
        "Logon Authentication": .authentication(["start"], outcome: "success"),
        "Logon Authentication Failed": .authentication(["start"], outcome: "failure"),
        "Logon Failed": .authentication(["start"], outcome: "failure"),
        "Failed Logon": .authentication(["start"], outcome: "failure"),
        "User Logged On": .authentication(["start"], outcome: "success"),
        "User Logged Off": .authentication(["end"], outcome: "success"),
        "Logoff": .authentication(["end"], outcome: "success"),
        "SSO Logon": .authentication(["start"], outcome: "success"),
        "SSO Logon Failed": .authentication(["start"], outcome: "failure"),
        "Application Logon": .authentication(["start"], outcome: "success"),
        "API Application Logon": .authentication(["start"], outcome: "success"),
        "Mimecast Support Login": .authentication(["start"], outcome: "success"),
        "Mimecast Support Login Failed": .authentication(["start"], outcome: "failure"),

        // Passwords, roles, users and groups: identity and access management.
        "User Password Changed": .iam(["user", "change"]),
        "Password Changed": .iam(["user", "change"]),
        "Password Reset": .iam(["user", "change"]),
        "User Password Reset": .iam(["user", "change"]),
        "Two Factor Authentication Reset": .iam(["user", "change"]),
        "Device Enrollment": .iam(["user", "change"]),
        "Role Assigned": .iam(["user", "change"]),
        "Role Removed": .iam(["user", "change"]),
        "Role Created": .iam(["admin", "creation"]),
        "Role Updated": .iam(["admin", "change"]),
        "Role Deleted": .iam(["admin", "deletion"]),
        "User Created": .iam(["user", "creation"]),
        "User Added": .iam(["user", "creation"]),
        "User Updated": .iam(["user", "change"]),
        "User Changed": .iam(["user", "change"]),
        "User Deleted": .iam(["user", "deletion"]),
        "User Removed": .iam(["user", "deletion"]),
        "Group Created": .iam(["group", "creation"]),
        "Group Updated": .iam(["group", "change"]),
        "Group Deleted": .iam(["group", "deletion"]),
        "Group Member Added": .iam(["group", "change"]),
        "Group Member Removed": .iam(["group", "change"]),
        "Directory Sync": .iam(["info"]),

        // Policies, connectors and settings: configuration.
        "Policy Changed": .configuration(["change"]),
        "Policy Updated": .configuration(["change"]),
        "Policy Created": .configuration(["creation"]),
        "Policy Deleted": .configuration(["deletion"]),
        "Connector Created": .configuration(["creation"]),
        "Connector Updated": .configuration(["change"]),
        "Connector Deleted": .configuration(["deletion"]),
        "Account Settings Changed": .configuration(["change"]),
        "Account Updated": .configuration(["change"]),
        "Settings Changed": .configuration(["change"]),
        "Branding Updated": .configuration(["change"]),
        "API Application Created": .configuration(["creation"]),
        "API Application Updated": .configuration(["change"]),
        "API Application Deleted": .configuration(["deletion"]),
        "Mimecast Support Action": .configuration(["change"]),

        // Views, searches and exports: something was read, or a file was produced.
        "Case Review Viewed": .web(["access"]),
        "Report Viewed": .web(["access"]),
        "Search Executed": .web(["access"]),
        "Archive Search": .web(["access"]),
        "Message Viewed": .email(["info"]),
        "Message Released": .email(["info"]),
        "Message Rejected": .email(["info"]),
        "Message Held": .email(["info"]),
        "Export Data": .file(["creation"]),
        "Data Export": .file(["creation"]),
        "Archive Folder Deleted": .file(["deletion"]),
        "Awareness Training Completed": .web(["info"]),
    ])

    /// Fallbacks by Mimecast `category` for audit types the table above does not know. Their
    /// outcome is decided in `EventCategorisation.lookup`.
    static let byCategory: [String: EventCategorisation] = normalised([
        "authentication_logs": .init(["authentication"], ["info"]),
        "mimecast_access_logs": .init(["authentication"], ["info"]),
        "account_logs": .init(["iam"], ["info"]),
        "profile_group_logs": .init(["iam"], ["group", "info"]),
        "policy_logs": .init(["configuration"], ["change"]),
        "integrations_and_apis": .init(["configuration"], ["info"]),
        "journaling_logs": .init(["configuration"], ["info"]),
        "continuity_services_logs": .init(["configuration"], ["info"]),
        "branding_logs": .init(["configuration"], ["change"]),
        "safe_cloud_threat_protection_logs": .init(["configuration"], ["info"]),
        "secure_messaging_logs": .init(["email"], ["info"]),
        "archive_service_logs": .init(["web"], ["access"]),
        "case_review_logs": .init(["web"], ["access"]),
        "reporting_logs": .init(["web"], ["access"]),
        "awareness_training_logs": .init(["web"], ["info"]),
    ])

    /// Every row of both tables, for the validity test.
    static var allRows: [EventCategorisation] { Array(byAuditType.values) + Array(byCategory.values) }

    private static func normalised(_ rows: [String: EventCategorisation]) -> [String: EventCategorisation] {
        Dictionary(rows.map { (EventCategorisation.normalisedKey($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
