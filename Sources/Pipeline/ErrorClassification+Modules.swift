import ShipperCore
import ShipperElasticsearch
import ShipperMimecast

extension MimecastError: ClassifiedError {}

extension ElasticsearchError: ClassifiedError {
    /// Credentials, privileges and an unsupported cluster need a human; the rest may pass.
    public var isConfigurationProblem: Bool {
        switch self {
        case .authentication, .openSearchUnsupported: true
        default: false
        }
    }
}

extension ReplayError: ClassifiedError {}

/// An unsafe or unreadable state directory needs a human; a full disk may pass.
extension StateFileError: ClassifiedError {}
