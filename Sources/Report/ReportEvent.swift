#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// The few fields of one ECS document that a provider-access review needs.
///
/// Every source (Elasticsearch, the Mimecast API through the mapper, an NDJSON file) reduces its
/// documents to this, so the report cannot differ by where the data came from, and memory holds
/// only these small values rather than whole documents.
public struct ReportEvent: Sendable, Equatable {
    public var timestamp: Date
    /// The acting account: `user.email`, else `user.name`; empty when the event names none.
    public var account: String
    /// `event.action`, e.g. `mimecast-support-login`.
    public var action: String
    /// `mimecast.audit_type` as Mimecast spells it, e.g. `Mimecast Support Login`.
    public var auditType: String
    /// `mimecast.category`, e.g. `mimecast_access_logs`.
    public var category: String?
    /// `event.outcome`: `success`, `failure` or `unknown`.
    public var outcome: String?
    /// `event.category` and `event.type`, which decide whether an event changed something.
    public var eventCategories: [String]
    public var eventTypes: [String]
    public var source: SourceAddress?
    /// `mimecast.application`, e.g. `Administration Console`.
    public var application: String?
    /// Accounts affected: `user.target.email`, else `user.target.name`.
    public var targets: [String]
    /// `event.reason` (why a login failed, when Mimecast says).
    public var reason: String?

    public init(
        timestamp: Date,
        account: String,
        action: String,
        auditType: String? = nil,
        category: String? = nil,
        outcome: String? = nil,
        eventCategories: [String] = [],
        eventTypes: [String] = [],
        source: SourceAddress? = nil,
        application: String? = nil,
        targets: [String] = [],
        reason: String? = nil
    ) {
        self.timestamp = timestamp
        self.account = account
        self.action = action
        self.auditType = auditType ?? action
        self.category = category
        self.outcome = outcome
        self.eventCategories = eventCategories
        self.eventTypes = eventTypes
        self.source = source
        self.application = application
        self.targets = targets
        self.reason = reason
    }
}

/// Where an event came from: the address and, when the documents carry them (e.g. after a GeoIP
/// ingest pipeline), its country and autonomous system.
public struct SourceAddress: Sendable, Hashable {
    public var ip: String
    /// `source.geo.country_iso_code`, else `source.geo.country_name`.
    public var country: String?
    /// `source.as.number` and `source.as.organization.name`, e.g. `AS64500 Example Networks`.
    public var autonomousSystem: String?

    public init(ip: String, country: String? = nil, autonomousSystem: String? = nil) {
        self.ip = ip
        self.country = country
        self.autonomousSystem = autonomousSystem
    }
}

/// How an event counts for the review.
extension ReportEvent {
    static let supportLoginAction = "mimecast-support-login"
    static let failedSupportLoginAction = "mimecast-support-login-failed"
    static let supportCategory = "mimecast_access_logs"

    /// A successful Mimecast support login: it starts a session.
    public var isSupportLogin: Bool {
        action == Self.supportLoginAction && outcome != "failure"
    }

    /// A support login Mimecast refused.
    public var isFailedSupportLogin: Bool {
        action == Self.failedSupportLoginAction || (action == Self.supportLoginAction && outcome == "failure")
    }

    /// Logged by Mimecast as provider access (`mimecast_access_logs` or a `Mimecast Support …`
    /// audit type), so its account is a support account even without a login in the period.
    public var isProviderAccess: Bool {
        category == Self.supportCategory || action.hasPrefix("mimecast-support-")
    }

    /// Whether the event changed something (created, changed or deleted), as opposed to reading.
    /// A file created by an export is a read of data, not a change to the account.
    public var isChange: Bool {
        guard outcome != "failure" else { return false }
        let changing = eventTypes.contains { $0 == "change" || $0 == "creation" || $0 == "deletion" }
        guard changing else { return false }
        let isExport = eventCategories == ["file"] && eventTypes == ["creation"]
        return !isExport
    }
}
