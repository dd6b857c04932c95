import CCurl
import ShipperCore

/// Turns a curl result code into the typed error callers act on: whether to retry, and which layer
/// (DNS, connect, TLS, time, size) to tell the user about. Kept apart from the transfer so every
/// mapping is unit-tested.
enum CurlErrorMapping {
    static func error(code: UInt32, message: String, bodyLimitExceeded: Bool, maxBodyBytes: Int) -> HTTPClientError {
        let message = Redaction.stripURLCredentials(message)
        switch CURLcode(rawValue: code) {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .invalidURL(message)
        case CURLE_COULDNT_RESOLVE_HOST:
            return .dnsResolution(message)
        case CURLE_COULDNT_RESOLVE_PROXY:
            return .proxy(message)
        case CURLE_COULDNT_CONNECT:
            return .connect(message)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_USE_SSL_FAILED:
            return .tls(message)
        case CURLE_FILESIZE_EXCEEDED:
            return .responseTooLarge(limit: maxBodyBytes)
        case CURLE_WRITE_ERROR where bodyLimitExceeded:
            return .responseTooLarge(limit: maxBodyBytes)
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE,
            CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionLost(message)
        default:
            return .transfer(code: Int(code), message: message)
        }
    }
}
