import ShipperCore

/// Which exit status an error means. Configuration problems (exit 2) need a human; everything
/// else is a failed pass (exit 1) that a rerun may fix, and never moved the checkpoint past
/// unsettled events.
public enum ErrorClassification {
    /// Errors from other modules that mean "fix the configuration" register here (the job's
    /// assembly adds the Mimecast and Elasticsearch ones), keeping this file free of their types.
    public static func exitStatus(for error: any Error) -> ExitStatus {
        let error = (error as? PassFailure)?.underlying ?? error
        if error is ConfigurationError || error is CorruptCheckpointError { return .configuration }
        if let classified = error as? any ClassifiedError, classified.isConfigurationProblem { return .configuration }
        return .failure
    }
}

/// An error that knows whether a human must change configuration to fix it (bad credentials,
/// missing privileges) as opposed to a transient failure.
public protocol ClassifiedError: Error {
    var isConfigurationProblem: Bool { get }
}
