#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One stretch of a support account's activity: from a support login (or, for a session that
/// began before the period, its first action) until the account is quiet for longer than the
/// session gap.
public struct AccessSession: Sendable, Equatable {
    public let account: String
    public private(set) var start: Date
    public private(set) var end: Date
    /// False when the period holds no login for it: it began before the period, or the login was
    /// not recorded.
    public let beganWithLogin: Bool
    /// Every address the session's events came from, in order of first use.
    public private(set) var sources: [SourceAddress] = []
    public private(set) var applications: [String] = []
    public private(set) var events = 0
    /// Events that created, changed or deleted something.
    public private(set) var changes = 0
    private var actionCounts: [String: Int] = [:]
    private var targetSet: Set<String> = []

    init(first event: ReportEvent) {
        account = event.account
        start = event.timestamp
        end = event.timestamp
        beganWithLogin = event.isSupportLogin
        add(event)
    }

    mutating func add(_ event: ReportEvent) {
        start = min(start, event.timestamp)
        end = max(end, event.timestamp)
        events += 1
        if event.isChange { changes += 1 }
        actionCounts[event.auditType, default: 0] += 1
        for target in event.targets where !target.isEmpty && target.lowercased() != account.lowercased() {
            targetSet.insert(target)
        }
        if let application = event.application, !application.isEmpty, !applications.contains(application) {
            applications.append(application)
        }
        if let source = event.source {
            if let index = sources.firstIndex(where: { $0.ip == source.ip }) {
                // Keep the richest description seen for the address.
                sources[index].country = sources[index].country ?? source.country
                sources[index].autonomousSystem = sources[index].autonomousSystem ?? source.autonomousSystem
            } else {
                sources.append(source)
            }
        }
    }

    public var sourceIPs: [String] { sources.map(\.ip) }

    /// Audit types with their counts, most frequent first (ties by name).
    public var actions: [ActionCount] {
        actionCounts.map { ActionCount(auditType: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.auditType < $1.auditType }
    }

    /// Accounts the session's events affected, sorted.
    public var targets: [String] { targetSet.sorted() }

    public var hasChanges: Bool { changes > 0 }

    public var duration: TimeInterval { end.timeIntervalSince(start) }
}

public struct ActionCount: Sendable, Equatable {
    public let auditType: String
    public let count: Int

    public init(auditType: String, count: Int) {
        self.auditType = auditType
        self.count = count
    }
}

/// A support login Mimecast refused.
public struct FailedLogin: Sendable, Equatable {
    public let time: Date
    public let account: String
    public let source: SourceAddress?
    public let application: String?
    public let reason: String?

    init(_ event: ReportEvent) {
        time = event.timestamp
        account = event.account
        source = event.source
        application = event.application
        reason = event.reason
    }
}
