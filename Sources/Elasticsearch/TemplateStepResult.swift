import ShipperCore

/// What `install-template` did (or, in a dry run, would do) with one resource.
public enum TemplateStepStatus: String, Sendable, Equatable {
    case created
    case updated
    case unchanged
    /// Dry run: the resource is missing or differs, and a real run would PUT it.
    case wouldWrite
}

public struct TemplateStepResult: Sendable, Equatable {
    public let name: String
    public let kind: TemplateKind
    public let status: TemplateStepStatus
    /// `PUT /_index_template/<name>` and so on.
    public let method: String
    public let path: String
    /// The body that was (or would be) sent, indented JSON with sorted keys.
    public let requestBody: String
    /// True when the resource existed before this run.
    public let existed: Bool
    /// Dotted paths of the sent fields the installed version lacked or held differently.
    public let differences: [String]

    /// One line for the command's output, e.g. `index template logs-mimecast.audit: unchanged`.
    public var summaryLine: String {
        let subject = "\(kind.label) \(name)"
        switch status {
        case .created:
            return "\(subject): created"
        case .updated:
            return "\(subject): updated (\(differenceList))"
        case .unchanged:
            return "\(subject): unchanged"
        case .wouldWrite:
            return existed
                ? "\(subject): would update (\(differenceList))"
                : "\(subject): would create (not installed yet)"
        }
    }

    /// The request a dry run prints: the request line, then the body.
    public var dryRunText: String {
        "\(method) \(path)\n\(requestBody)"
    }

    /// Whether the cluster was (or would be) written.
    public var writes: Bool { status != .unchanged }

    private var differenceList: String {
        let shown = differences.prefix(5).joined(separator: ", ")
        let more = differences.count > 5 ? " and \(differences.count - 5) more" : ""
        return "differed in \(shown)\(more)"
    }
}
