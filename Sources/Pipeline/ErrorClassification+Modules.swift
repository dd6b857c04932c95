import ShipperElasticsearch
import ShipperMimecast

extension MimecastError: ClassifiedError {}

extension ElasticsearchError: ClassifiedError {
    /// Credentials, privileges and an unsupported cluster need a human; the rest may pass.
    public var isConfigurationProblem: Bool {
        switch self {
        case .authentication, .openSearchUnsupported, .unsupportedCluster: true
        default: false
        }
    }
}

extension ReplayError: ClassifiedError {}
