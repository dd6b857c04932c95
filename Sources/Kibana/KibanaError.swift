import ShipperCore

/// Failures talking to Kibana, each with what to do about it.
public enum KibanaError: Error, Equatable, CustomStringConvertible {
    /// 401: the credentials were refused.
    case authentication(url: String, hint: String)
    /// 403: authenticated, but a privilege is missing (named in `privilege`).
    case forbidden(request: String, privilege: String)
    case unexpectedStatus(status: Int, request: String, detail: String)
    case malformedResponse(request: String, detail: String)
    /// Kibana answered 200 but refused some objects.
    case importRejected(what: String, errors: [String])
    case versionTooOld(found: String, minimum: String)

    public var description: String {
        switch self {
        case .authentication(let url, let hint):
            return "Kibana \(url) refused the credentials (401); \(hint)"
        case .forbidden(let request, let privilege):
            return "Kibana refused \(request) (403): \(privilege)"
        case .unexpectedStatus(let status, let request, let detail):
            return "Kibana answered \(status) to \(request): \(detail)"
        case .malformedResponse(let request, let detail):
            return "Kibana's answer to \(request) is not what the shipper expects: \(detail)"
        case .importRejected(let what, let errors):
            let shown = errors.prefix(5).joined(separator: "; ")
            let more = errors.count > 5 ? " and \(errors.count - 5) more" : ""
            return "Kibana refused \(errors.count) \(what): \(shown)\(more)"
        case .versionTooOld(let found, let minimum):
            return "Kibana \(found) is older than \(minimum), the oldest version the rules and dashboard are made for; upgrade Kibana (the templates need Elasticsearch \(minimum) or later too)"
        }
    }
}
