/// Per-deployment choices for the mapping.
public struct ECSMappingOptions: Sendable {
    /// `data_stream.namespace`: lets one cluster hold several tenants' or environments' streams.
    public var namespace: String = "default"
    /// Whether to keep the raw event in `event.original`. On by default so nothing Mimecast sent
    /// is lost; switch off to halve storage when the mapped fields are enough. Pipeline-error
    /// documents always keep it, since it is all they have.
    public var includeOriginal: Bool = true

    public init(namespace: String = "default", includeOriginal: Bool = true) {
        self.namespace = namespace
        self.includeOriginal = includeOriginal
    }
}
