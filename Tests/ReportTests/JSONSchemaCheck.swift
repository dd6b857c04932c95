import Foundation

/// The documented JSON shape, checked on what JSONSerialization parsed: every member present
/// with its type, times RFC 3339 UTC, counts non-negative integers.
enum JSONSchemaCheck {
    struct Violation: Error, CustomStringConvertible {
        let description: String
    }

    static func report(_ object: [String: Any]) throws {
        let period = try member(object, "period", as: [String: Any].self, at: "$")
        try time(period, "start", at: "$.period")
        try time(period, "end", at: "$.period")
        _ = try count(object, "session_gap_seconds", at: "$")
        _ = try member(object, "source", as: String.self, at: "$")
        for key in ["sessions", "sessions_without_login"] {
            for (index, session) in try member(object, key, as: [[String: Any]].self, at: "$").enumerated() {
                try self.session(session, at: "$.\(key)[\(index)]")
            }
        }
        for (index, failure) in try member(object, "failed_logins", as: [[String: Any]].self, at: "$").enumerated() {
            let path = "$.failed_logins[\(index)]"
            try time(failure, "time", at: path)
            _ = try member(failure, "account", as: String.self, at: path)
            for key in ["source_ip", "country", "as", "application", "reason"] { try stringOrNull(failure, key, at: path) }
        }
        if !(object["new_source_ips"] is NSNull) {
            _ = try member(object, "new_source_ips", as: [String].self, at: "$")
        }
        let totals = try member(object, "totals", as: [String: Any].self, at: "$")
        for key in ["sessions", "sessions_without_login", "support_accounts", "source_ips", "sessions_with_changes",
                    "read_only_sessions", "failed_logins", "events"] {
            _ = try count(totals, key, at: "$.totals")
        }
        if !(totals["new_source_ips"] is NSNull) { _ = try count(totals, "new_source_ips", at: "$.totals") }
    }

    static func session(_ session: [String: Any], at path: String) throws {
        _ = try member(session, "account", as: String.self, at: path)
        try time(session, "start", at: path)
        try time(session, "end", at: path)
        _ = try member(session, "login", as: Bool.self, at: path)
        _ = try member(session, "source_ips", as: [String].self, at: path)
        for (index, source) in try member(session, "sources", as: [[String: Any]].self, at: path).enumerated() {
            _ = try member(source, "ip", as: String.self, at: "\(path).sources[\(index)]")
            try stringOrNull(source, "country", at: "\(path).sources[\(index)]")
            try stringOrNull(source, "as", at: "\(path).sources[\(index)]")
        }
        _ = try member(session, "applications", as: [String].self, at: path)
        let events = try count(session, "events", at: path)
        _ = try count(session, "changes", at: path)
        var total = 0
        for (index, action) in try member(session, "actions", as: [[String: Any]].self, at: path).enumerated() {
            _ = try member(action, "audit_type", as: String.self, at: "\(path).actions[\(index)]")
            total += try count(action, "count", at: "\(path).actions[\(index)]")
        }
        guard total == events else { throw Violation(description: "\(path): action counts sum to \(total), events is \(events)") }
        _ = try member(session, "targets", as: [String].self, at: path)
    }

    static func member<T>(_ object: [String: Any], _ key: String, as type: T.Type, at path: String) throws -> T {
        guard let value = object[key] else { throw Violation(description: "\(path).\(key) is missing") }
        guard let typed = value as? T else { throw Violation(description: "\(path).\(key) is not \(T.self): \(value)") }
        return typed
    }

    static func time(_ object: [String: Any], _ key: String, at path: String) throws {
        let text = try member(object, key, as: String.self, at: path)
        guard text.wholeMatch(of: ReportFormatTests.rfc3339UTC) != nil, (try? Date(text, strategy: .iso8601)) != nil else {
            throw Violation(description: "\(path).\(key) '\(text)' is not an RFC 3339 UTC time")
        }
    }

    static func count(_ object: [String: Any], _ key: String, at path: String) throws -> Int {
        guard let number = try member(object, key, as: Any.self, at: path) as? Int, number >= 0 else {
            throw Violation(description: "\(path).\(key) is not a non-negative integer")
        }
        return number
    }

    static func stringOrNull(_ object: [String: Any], _ key: String, at path: String) throws {
        guard let value = object[key] else { throw Violation(description: "\(path).\(key) is missing") }
        guard value is String || value is NSNull else { throw Violation(description: "\(path).\(key) is neither a string nor null") }
    }
}
