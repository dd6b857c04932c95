import ShipperKibana

extension KibanaError: ClassifiedError {
    /// Credentials, privileges and a too-old Kibana need a human; the rest may pass on a retry.
    public var isConfigurationProblem: Bool {
        switch self {
        case .authentication, .forbidden, .versionTooOld, .importRejected: true
        case .unexpectedStatus, .malformedResponse: false
        }
    }
}
