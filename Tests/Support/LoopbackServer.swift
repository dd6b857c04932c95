import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// A request context that remembers which TCP connection a request came on, so tests can count
/// connections (keep-alive) and fakes can tell clients apart.
public struct LoopbackRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's address; its port identifies the connection.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Large enough for the biggest bulk bodies the tests send.
    public var maxUploadSize: Int { 512 * 1024 * 1024 }

    /// `host:port` of the client connection, a stable id for the connection.
    public var connectionID: String {
        guard let remoteAddress else { return "unknown" }
        return "\(remoteAddress.ipAddress ?? "?"):\(remoteAddress.port ?? 0)"
    }
}

/// A real HTTP server (Hummingbird) on 127.0.0.1 and a free port, for tests. Start it, point the
/// client at `baseURL`, and `stop()` it when done.
public final class LoopbackServer: Sendable {
    public let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup
    public let isTLS: Bool

    public var baseURL: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }

    private init(port: Int, task: Task<Void, any Error>, group: ServiceGroup, isTLS: Bool) {
        self.port = port
        self.task = task
        self.group = group
        self.isTLS = isTLS
    }

    /// Starts `router` on 127.0.0.1 with a port the kernel picks. With `tls`, serves HTTPS with
    /// the committed test-only certificate (see `TestCertificates`); `http2` also offers HTTP/2
    /// through ALPN (and implies `tls`).
    public static func start(
        router: Router<LoopbackRequestContext>,
        tls: Bool = false,
        http2: Bool = false
    ) async throws -> LoopbackServer {
        let tls = tls || http2
        var logger = Logger(label: "loopback-server")
        logger.logLevel = .critical
        let server: HTTPServerBuilder
        if tls {
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(TestCertificates.serverCertificatePath)
                    .map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: TestCertificates.serverKeyPath, format: .pem))
            )
            server = http2
                ? try .http2Upgrade(tlsConfiguration: configuration)
                : try .tls(.http1(), tlsConfiguration: configuration)
        } else {
            server = .http1()
        }
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "loopback"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        // Run under a service group so `stop` can shut down gracefully: cancelling the serving task
        // instead can trap in NIO when a connection was accepted but not yet handed to the server
        // (swift-nio issue 2637).
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        let task = Task {
            try await group.run()
        }
        var port = 0
        for await value in portStream {
            port = value
        }
        guard port > 0 else {
            task.cancel()
            throw LoopbackServerError.didNotStart
        }
        return LoopbackServer(port: port, task: task, group: group, isTLS: tls)
    }

    /// Stops the server gracefully and waits until it has closed its socket; a handler still busy
    /// after five seconds (a test's deliberately slow endpoint) is cancelled.
    public func stop() async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let watchdog = Task {
            try await Task.sleep(for: .seconds(5))
            task.cancel()
        }
        _ = try? await task.value
        watchdog.cancel()
    }
}

public enum LoopbackServerError: Error {
    case didNotStart
}

/// Paths of the committed test-only TLS material.
public enum TestCertificates {
    public static var serverCertificatePath: String {
        Bundle.module.path(forResource: "test-server", ofType: "crt", inDirectory: "Fixtures")!
    }

    public static var serverKeyPath: String {
        Bundle.module.path(forResource: "test-server", ofType: "key", inDirectory: "Fixtures")!
    }
}
