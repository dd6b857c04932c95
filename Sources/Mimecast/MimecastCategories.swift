/// The audit categories Mimecast documents. The set is open (real logs show others, such as
/// `profile_group_logs`), so an unknown name is sent as given, with a warning that catches typos.
public enum MimecastCategories {
    public static let documented = [
        "awareness_training_logs", "mimecast_access_logs", "reporting_logs", "account_logs",
        "policy_logs", "secure_messaging_logs", "journaling_logs", "integrations_and_apis",
        "archive_service_logs", "case_review_logs", "safe_cloud_threat_protection_logs",
        "continuity_services_logs", "branding_logs", "authentication_logs",
    ]
}
