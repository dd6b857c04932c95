import ShipperCore

/// Connection settings shared by every request of one client.
public struct HTTPClientConfiguration: Sendable, Equatable {
    /// Time allowed to establish the connection (TCP and TLS).
    public var connectTimeout: Duration
    /// Time allowed for the whole transfer, connection included.
    public var totalTimeout: Duration
    /// A PEM file of CA certificates to trust instead of the system store.
    public var caBundlePath: String?
    /// Skip TLS verification. Never a default; the client logs a warning every time it is built with it.
    public var insecure: Bool
    /// Largest response body accepted, in bytes.
    public var maxResponseBytes: Int
    public var userAgent: String

    public static let defaultMaxResponseBytes = 256 * 1024 * 1024

    public init(
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(120),
        caBundlePath: String? = nil,
        insecure: Bool = false,
        maxResponseBytes: Int = HTTPClientConfiguration.defaultMaxResponseBytes,
        userAgent: String = ProductInfo.userAgent
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.caBundlePath = caBundlePath
        self.insecure = insecure
        self.maxResponseBytes = maxResponseBytes
        self.userAgent = userAgent
    }
}
