import ShipperCore
import ShipperElasticsearch
import ShipperMimecast

extension MimecastError: ClassifiedError {}

extension ElasticsearchError: ClassifiedError {
    /// Credentials, privileges and an unsupported cluster need a human; the rest may pass.
    public var isConfigurationProblem: Bool {
        switch self {
        case .authentication, .openSearchUnsupported, .unsupportedCluster: true
        case .itemsRefused(let status, _, let detail, _):
            // Privileges and a missing data stream need a human to change configuration; a write
            // block or an unknown status is an operational failure (exit 1).
            status == 404 || (status == 403 && !detail.contains("cluster_block_exception"))
        default: false
        }
    }
}

extension ReplayError: ClassifiedError {}

/// An unsafe or unreadable state directory needs a human; a full disk may pass.
extension StateFileError: ClassifiedError {}
