import Foundation
import Hummingbird
import HTTPTypes
import ShipperHTTP
import ShipperTestSupport
import Testing

/// The libcurl client against real loopback servers: every behaviour the Mimecast and
/// Elasticsearch sides rely on.
@Suite struct CurlHTTPClientTests {
    /// Routes shared by the tests; `connections` records the connection of every request.
    static func makeRouter(connections: RequestLog<String>) -> Router<LoopbackRequestContext> {
        let router = Router(context: LoopbackRequestContext.self)
        router.get("echo-headers") { request, context -> Response in
            connections.append(context.connectionID)
            var seen: [String: String] = [:]
            for field in request.headers {
                seen[field.name.canonicalName] = field.value
            }
            let json = try JSONSerialization.data(withJSONObject: seen, options: [.sortedKeys])
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Reply-Header")!] = "from-server"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
        }
        router.post("echo-body") { request, context -> Response in
            connections.append(context.connectionID)
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            var bytes = Array(buffer.readableBytesView)
            var headers = HTTPFields()
            if request.headers[.contentEncoding] == "gzip" {
                bytes = try Gzip.decompress(bytes)
                headers[HTTPField.Name("X-Was-Gzip")!] = "true"
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.put("method") { request, _ in request.method.rawValue }
        router.delete("method") { request, _ in request.method.rawValue }
        router.get("missing") { _, _ -> Response in
            Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no such thing")))
        }
        router.get("slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(3))
            return "late"
        }
        router.get("big-known-length") { _, _ -> Response in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)))
        }
        router.get("big-streamed") { _, _ -> Response in
            let chunk = ByteBuffer(repeating: UInt8(ascii: "y"), count: 8 * 1024)
            return Response(status: .ok, body: .init(contentsOf: Array(repeating: chunk, count: 8)))
        }
        return router
    }

    static func withServer(
        tls: Bool = false,
        _ body: (LoopbackServer, RequestLog<String>) async throws -> Void
    ) async throws {
        let connections = RequestLog<String>()
        let server = try await LoopbackServer.start(router: makeRouter(connections: connections), tls: tls)
        do {
            try await body(server, connections)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func getRoundTripSendsAndReceivesHeaders() async throws {
        try await Self.withServer { server, _ in
            let client = try CurlHTTPClient()
            let response = try await client.send(ShipperHTTP.HTTPRequest(
                method: .get,
                url: server.baseURL + "/echo-headers",
                headers: ["X-Custom-Header": "custom value", "Accept": "application/json"]
            ))
            #expect(response.status == 200)
            #expect(response.headers["x-reply-header"] == "from-server")
            #expect(response.headers["X-REPLY-HEADER"] == "from-server")
            let seen = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])
            #expect(seen["X-Custom-Header"] == "custom value" || seen["x-custom-header"] == "custom value")
            let userAgent = seen.first { $0.key.lowercased() == "user-agent" }?.value
            #expect(userAgent?.hasPrefix("mimecast-shipper/") == true)
        }
    }

    @Test func postRoundTripReturnsTheBody() async throws {
        try await Self.withServer { server, _ in
            let client = try CurlHTTPClient()
            let payload = Array(#"{"data":[{"startDateTime":"2024-05-02T09:00:00+0000"}]}"#.utf8)
            let response = try await client.send(ShipperHTTP.HTTPRequest(
                method: .post,
                url: server.baseURL + "/echo-body",
                headers: ["Content-Type": "application/json"],
                body: payload
            ))
            #expect(response.status == 200)
            #expect(response.body == payload)
            #expect(response.headers["x-was-gzip"] == nil)
        }
    }

    /// Bodies on either side of the size that switches on the larger upload buffer, and large
    /// responses through the larger receive buffer, back to back on one handle and connection,
    /// arrive whole and in order (the buffers' sizes are set again after each reset).
    @Test func bodiesAroundTheUploadBufferSizeArriveWhole() async throws {
        try await Self.withServer { server, connections in
            let client = try CurlHTTPClient()
            var rng = SplitMix64(seed: 0x0B0F_0018)
            for size in [65_536, 65_537, 3_000_001, 10, 524_288, 524_289, 1_048_577, 0, 200_000] {
                let payload = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let response = try await client.send(ShipperHTTP.HTTPRequest(
                    method: .post, url: server.baseURL + "/echo-body", headers: ["Content-Type": "application/octet-stream"], body: payload))
                #expect(response.status == 200)
                #expect(response.body == payload, "body of \(size) bytes")
            }
            #expect(Set(connections.all).count == 1)
        }
    }

    /// A failed transfer (a host that does not resolve, a port nothing listens on) leaves the
    /// handle fit for the next request: after a failed lookup curl 7.88 refuses a new size for
    /// the receive buffer.
    @Test func aRequestAfterAFailedOneOnTheSameClientSucceeds() async throws {
        try await Self.withServer { server, _ in
            let client = try CurlHTTPClient()
            for failing in ["http://mimecast.invalid/token", "http://127.0.0.1:1/refused", "http://mimecast.invalid/token"] {
                await #expect(throws: HTTPClientError.self) {
                    _ = try await client.send(ShipperHTTP.HTTPRequest(method: .get, url: failing))
                }
                let payload = Array(repeating: UInt8(ascii: "z"), count: 300_000)
                let response = try await client.send(ShipperHTTP.HTTPRequest(
                    method: .post, url: server.baseURL + "/echo-body", headers: ["Content-Type": "text/plain"], body: payload))
                #expect(response.status == 200)
                #expect(response.body == payload)
            }
        }
    }

    @Test func putAndDeleteUseTheirMethods() async throws {
        try await Self.withServer { server, _ in
            let client = try CurlHTTPClient()
            let put = try await client.send(ShipperHTTP.HTTPRequest(method: .put, url: server.baseURL + "/method", body: Array("{}".utf8)))
            #expect(put.bodyText == "PUT")
            let delete = try await client.send(ShipperHTTP.HTTPRequest(method: .delete, url: server.baseURL + "/method"))
            #expect(delete.bodyText == "DELETE")
        }
    }

    @Test func httpErrorStatusesAreResponsesNotErrors() async throws {
        try await Self.withServer { server, _ in
            let client = try CurlHTTPClient()
            let response = try await client.send(ShipperHTTP.HTTPRequest(method: .get, url: server.baseURL + "/missing"))
            #expect(response.status == 404)
            #expect(response.bodyText == "no such thing")
            #expect(!response.isSuccess)
        }
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        try await Self.withServer { server, connections in
            let client = try CurlHTTPClient()
            for index in 0..<10 {
                let request = index.isMultiple(of: 2)
                    ? ShipperHTTP.HTTPRequest(method: .get, url: server.baseURL + "/echo-headers")
                    : ShipperHTTP.HTTPRequest(method: .post, url: server.baseURL + "/echo-body", body: Array("n\(index)".utf8))
                let response = try await client.send(request)
                #expect(response.status == 200)
            }
            #expect(connections.count == 10)
            #expect(Set(connections.all).count == 1)
        }
    }

    @Test func totalTimeoutFires() async throws {
        try await Self.withServer { server, _ in
            let client = try CurlHTTPClient(configuration: .init(totalTimeout: .milliseconds(300)))
            await #expect {
                _ = try await client.send(ShipperHTTP.HTTPRequest(method: .get, url: server.baseURL + "/slow"))
            } throws: { error in
                guard case .timeout = error as? HTTPClientError else { return false }
                return true
            }
        }
    }

    @Test(arguments: ["/big-known-length", "/big-streamed"])
    func responseSizeCapFires(path: String) async throws {
        try await Self.withServer { server, _ in
            let client = try CurlHTTPClient(configuration: .init(maxResponseBytes: 10_000))
            await #expect(throws: HTTPClientError.responseTooLarge(limit: 10_000)) {
                _ = try await client.send(ShipperHTTP.HTTPRequest(method: .get, url: server.baseURL + path))
            }
            // Under the cap the same body arrives whole.
            let roomy = try CurlHTTPClient(configuration: .init(maxResponseBytes: 64 * 1024))
            let response = try await roomy.send(ShipperHTTP.HTTPRequest(method: .get, url: server.baseURL + path))
            #expect(response.body.count == 64 * 1024)
        }
    }

    @Test func connectionRefusedIsATypedConnectError() async throws {
        // A port that was just free: start a server, note its port, stop it.
        let server = try await LoopbackServer.start(router: Router(context: LoopbackRequestContext.self))
        let url = server.baseURL + "/"
        await server.stop()
        let client = try CurlHTTPClient()
        await #expect {
            _ = try await client.send(ShipperHTTP.HTTPRequest(method: .get, url: url))
        } throws: { error in
            guard case .connect(let message) = error as? HTTPClientError else { return false }
            return !message.isEmpty
        }
    }

    @Test func cancellingTheTaskStopsTheTransfer() async throws {
        try await Self.withServer { server, _ in
            let client = try CurlHTTPClient()
            let task = Task {
                try await client.send(ShipperHTTP.HTTPRequest(method: .get, url: server.baseURL + "/slow"))
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            await #expect(throws: HTTPClientError.cancelled) {
                _ = try await task.value
            }
        }
    }

    @Test func tlsWithASelfSignedCertificateFailsByDefault() async throws {
        try await Self.withServer(tls: true) { server, _ in
            let client = try CurlHTTPClient()
            await #expect {
                _ = try await client.send(ShipperHTTP.HTTPRequest(method: .get, url: server.baseURL + "/echo-headers"))
            } throws: { error in
                guard case .tls = error as? HTTPClientError else { return false }
                return true
            }
        }
    }

    @Test func tlsSucceedsWithTheCAConfigured() async throws {
        try await Self.withServer(tls: true) { server, _ in
            let client = try CurlHTTPClient(configuration: .init(caBundlePath: TestCertificates.serverCertificatePath))
            let response = try await client.send(ShipperHTTP.HTTPRequest(method: .get, url: server.baseURL + "/echo-headers"))
            #expect(response.status == 200)
            #expect(response.headers["X-Reply-Header"] == "from-server")
        }
    }

    @Test func headerValuesWithLineBreaksAreRefused() async throws {
        let client = try CurlHTTPClient()
        await #expect(throws: HTTPClientError.invalidRequest("header X-Bad contains a line break")) {
            _ = try await client.send(ShipperHTTP.HTTPRequest(method: .get, url: "http://127.0.0.1:9/", headers: ["X-Bad": "a\r\nInjected: 1"]))
        }
    }
}

/// HTTP/2 is used where the server offers it (ALPN over TLS), and keeps one connection too.
@Suite struct CurlHTTP2Tests {
    @Test func negotiatesHTTP2WhenOffered() async throws {
        let connections = RequestLog<String>()
        let server = try await LoopbackServer.start(
            router: CurlHTTPClientTests.makeRouter(connections: connections),
            http2: true
        )
        try await withTeardown({ await server.stop() }) {
            let client = try CurlHTTPClient(configuration: .init(caBundlePath: TestCertificates.serverCertificatePath))
            for _ in 0..<3 {
                let response = try await client.send(ShipperHTTP.HTTPRequest(method: .get, url: server.baseURL + "/echo-headers"))
                #expect(response.status == 200)
                #expect(response.httpVersion == "2")
                #expect(response.headers["x-reply-header"] == "from-server")
            }
            let posted = try await client.send(ShipperHTTP.HTTPRequest(
                method: .post, url: server.baseURL + "/echo-body", body: Array("h2 body".utf8)))
            #expect(posted.bodyText == "h2 body")
            #expect(Set(connections.all).count == 1)
        }
    }
}
