import Dispatch
import Logging
import ShipperCore
import Synchronization

/// The one HTTP client of the product, used for Mimecast and Elasticsearch alike, over libcurl.
///
/// Each client owns one curl easy handle and a serial dispatch queue: transfers run one at a time
/// on that queue (never on Swift's cooperative pool, which a blocking transfer would starve) and
/// reuse the handle's kept-alive connection. Callers that need parallel transfers create several
/// clients.
public final class CurlHTTPClient: HTTPTransport, @unchecked Sendable {
    private let queue: DispatchQueue
    // Touched only on `queue`.
    private let handle: CurlEasyHandle
    private let logger: Logger
    public let configuration: HTTPClientConfiguration

    public init(configuration: HTTPClientConfiguration = .init(), logger: Logger = Logger(label: "mimecast-shipper.http")) throws {
        self.configuration = configuration
        self.logger = logger
        self.handle = try CurlEasyHandle(configuration: configuration)
        self.queue = DispatchQueue(label: "mimecast-shipper.http.curl")
        if configuration.insecure {
            logger.warning("TLS certificate verification is OFF (insecure option): the server's identity is not checked")
        }
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let cancelled = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                queue.async { [handle, logger] in
                    if cancelled.isSet {
                        continuation.resume(throwing: HTTPClientError.cancelled)
                        return
                    }
                    do {
                        let response = try handle.perform(request) { cancelled.isSet }
                        logger.trace("\(request.method.rawValue) \(Self.loggable(request.url)) -> \(response.status)")
                        continuation.resume(returning: response)
                    } catch {
                        logger.debug("\(request.method.rawValue) \(Self.loggable(request.url)) failed: \(error)")
                        continuation.resume(throwing: error)
                    }
                }
            }
        } onCancel: {
            cancelled.set()
        }
    }

    /// The URL without query string or user-info, for logs.
    private static func loggable(_ url: String) -> String {
        let withoutQuery = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        return Redaction.stripURLCredentials(withoutQuery)
    }
}

/// Set once by a task's cancellation handler, read by curl's progress callback on another thread.
private final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

