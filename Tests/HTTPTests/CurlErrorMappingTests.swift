import CCurl
@testable import ShipperHTTP
import Testing

@Suite struct CurlErrorMappingTests {
    func map(_ code: CURLcode, limitExceeded: Bool = false) -> HTTPClientError {
        CurlErrorMapping.error(code: code.rawValue, message: "m", bodyLimitExceeded: limitExceeded, maxBodyBytes: 5)
    }

    @Test func mapsEachLayer() {
        #expect(map(CURLE_COULDNT_RESOLVE_HOST) == .dnsResolution("m"))
        #expect(map(CURLE_COULDNT_CONNECT) == .connect("m"))
        #expect(map(CURLE_OPERATION_TIMEDOUT) == .timeout("m"))
        #expect(map(CURLE_PEER_FAILED_VERIFICATION) == .tls("m"))
        #expect(map(CURLE_SSL_CONNECT_ERROR) == .tls("m"))
        #expect(map(CURLE_FILESIZE_EXCEEDED) == .responseTooLarge(limit: 5))
        #expect(map(CURLE_WRITE_ERROR, limitExceeded: true) == .responseTooLarge(limit: 5))
        #expect(map(CURLE_RECV_ERROR) == .connectionLost("m"))
        #expect(map(CURLE_ABORTED_BY_CALLBACK) == .cancelled)
        #expect(map(CURLE_COULDNT_RESOLVE_PROXY) == .proxy("m"))
        #expect(map(CURLE_URL_MALFORMAT) == .invalidURL("m"))
    }

    @Test func transientErrorsAreRetryable() {
        #expect(map(CURLE_COULDNT_CONNECT).isTransient)
        #expect(map(CURLE_OPERATION_TIMEDOUT).isTransient)
        #expect(map(CURLE_RECV_ERROR).isTransient)
        #expect(!map(CURLE_PEER_FAILED_VERIFICATION).isTransient)
        #expect(!map(CURLE_FILESIZE_EXCEEDED).isTransient)
    }

    @Test func credentialsInMessagesAreRedacted() {
        let error = CurlErrorMapping.error(
            code: CURLE_COULDNT_CONNECT.rawValue,
            message: "Failed to connect to https://elastic:hunter2@es.example:9200/_bulk",
            bodyLimitExceeded: false,
            maxBodyBytes: 1
        )
        #expect(!error.description.contains("hunter2"))
        #expect(error.description.contains("***@es.example:9200"))
    }
}
