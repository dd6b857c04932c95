/// Every field the mapper can write. A closed list, so the validity test can check each one
/// against ECS and the writer can lay the document out once instead of per event.
enum ECSField: Int, CaseIterable, Sendable {
    case timestamp, ecsVersion, message
    case eventKind, eventModule, eventDataset, eventID, eventAction, eventOriginal, eventCreated
    case eventCategory, eventType, eventOutcome, eventReason
    case errorMessage
    case userEmail, userName, userDomain, userFullName
    case userTargetEmail, userTargetName, userTargetDomain, userTargetFullName
    case sourceIP, sourceAddress, relatedIP, relatedUser
    case emailFromAddress, emailToAddress, emailSubject
    case mimecastCategory, mimecastAuditType, mimecastApplication, mimecastMethod, mimecastTwoFactor
    case dataStreamType, dataStreamDataset, dataStreamNamespace

    var path: String {
        switch self {
        case .timestamp: "@timestamp"
        case .ecsVersion: "ecs.version"
        case .message: "message"
        case .eventKind: "event.kind"
        case .eventModule: "event.module"
        case .eventDataset: "event.dataset"
        case .eventID: "event.id"
        case .eventAction: "event.action"
        case .eventOriginal: "event.original"
        case .eventCreated: "event.created"
        case .eventCategory: "event.category"
        case .eventType: "event.type"
        case .eventOutcome: "event.outcome"
        case .eventReason: "event.reason"
        case .errorMessage: "error.message"
        case .userEmail: "user.email"
        case .userName: "user.name"
        case .userDomain: "user.domain"
        case .userFullName: "user.full_name"
        case .userTargetEmail: "user.target.email"
        case .userTargetName: "user.target.name"
        case .userTargetDomain: "user.target.domain"
        case .userTargetFullName: "user.target.full_name"
        case .sourceIP: "source.ip"
        case .sourceAddress: "source.address"
        case .relatedIP: "related.ip"
        case .relatedUser: "related.user"
        case .emailFromAddress: "email.from.address"
        case .emailToAddress: "email.to.address"
        case .emailSubject: "email.subject"
        case .mimecastCategory: "mimecast.category"
        case .mimecastAuditType: "mimecast.audit_type"
        case .mimecastApplication: "mimecast.application"
        case .mimecastMethod: "mimecast.method"
        case .mimecastTwoFactor: "mimecast.two_factor"
        case .dataStreamType: "data_stream.type"
        case .dataStreamDataset: "data_stream.dataset"
        case .dataStreamNamespace: "data_stream.namespace"
        }
    }

    /// The fields in output order (sorted by path, so each object's members are contiguous),
    /// each with its path split into object names and the member name.
    static let layout: [(field: ECSField, objects: [String], member: String)] = allCases
        .sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        .map { field in
            var components = field.path.split(separator: ".").map(String.init)
            let member = components.removeLast()
            return (field, components, member)
        }
}
