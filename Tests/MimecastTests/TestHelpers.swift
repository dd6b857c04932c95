import FakeMimecast
import Foundation
import Logging
import ShipperCore
import ShipperHTTP
import ShipperMimecast
import Synchronization

/// A sleeper that returns at once and remembers every wait it was asked for.
final class RecordingSleeper: Sendable {
    private let waits = Mutex<[Duration]>([])

    var recorded: [Duration] { waits.withLock { $0 } }

    var sleeper: Sleeper {
        Sleeper { [self] duration in waits.withLock { $0.append(duration) } }
    }
}

enum MimecastTestSupport {
    /// 2024-05-02T00:00:00Z, a fixed day the generated data sets live in.
    static let dayStart = Date(timeIntervalSince1970: 1_714_608_000)
    static let day = TimeWindow(start: dayStart, end: dayStart.addingTimeInterval(86400))

    static func oauthCredentials(_ options: FakeMimecastOptions) -> MimecastCredentials {
        .oauth(clientID: options.clientID, clientSecret: options.clientSecret)
    }

    static func hmacCredentials(_ options: FakeMimecastOptions) -> MimecastCredentials {
        .hmac(appID: options.appID, appKey: options.appKey, accessKey: options.accessKey, secretKey: options.secretKeyBase64)
    }

    static func reader(
        for fake: FakeMimecast,
        credentials: MimecastCredentials,
        pageSize: Int = 500,
        sliceLength: TimeInterval = 86400,
        maxRetries: Int = 3,
        sleeper: RecordingSleeper = RecordingSleeper(),
        now: @escaping @Sendable () -> Date = Date.init,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) throws -> MimecastAuditReader {
        let configuration = MimecastConfiguration(
            baseURL: fake.baseURL, credentials: credentials, pageSize: pageSize, sliceLength: sliceLength, maxRetries: maxRetries
        )
        return MimecastAuditReader(configuration: configuration, transport: try CurlHTTPClient(), sleeper: sleeper.sleeper, now: now, jitter: jitter, logger: quietLogger)
    }

    /// Retry and rate-limit logs are expected in these tests; keep them out of the output.
    static var quietLogger: Logger {
        var logger = Logger(label: "mimecast-tests")
        logger.logLevel = .critical
        return logger
    }

    static func collect(_ stream: AsyncThrowingStream<AuditEventPage, any Error>) async throws -> [AuditEventPage] {
        var pages: [AuditEventPage] = []
        for try await page in stream {
            pages.append(page)
        }
        return pages
    }

    /// The `id` of a raw event, read with the Core parser.
    static func id(of event: RawAuditEvent) -> String? {
        (try? JSONValue.parse(event.bytes))?["id"]?.stringValue
    }
}

extension MimecastTestSupport {
    /// The `MimecastError` `body` throws; nil (so `#require` fails the test) when it throws nothing
    /// or something else.
    static func mimecastError(_ body: () async throws -> Void) async -> MimecastError? {
        do {
            try await body()
            return nil
        } catch let error as MimecastError {
            return error
        } catch {
            return nil
        }
    }
}

/// A transport that fails every request with one error, counting the attempts.
final class FailingTransport: HTTPTransport {
    private let error: HTTPClientError
    private let attempts = Mutex(0)

    init(_ error: HTTPClientError) {
        self.error = error
    }

    var attemptCount: Int { attempts.withLock { $0 } }

    func send(_ request: ShipperHTTP.HTTPRequest) async throws -> ShipperHTTP.HTTPResponse {
        attempts.withLock { $0 += 1 }
        throw error
    }
}
