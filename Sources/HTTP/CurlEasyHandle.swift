import CCurl
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ShipperCore

/// One libcurl easy handle and the blocking transfer on it.
///
/// A handle keeps its connection cache between transfers (`curl_easy_reset` clears options but not
/// live connections, the DNS cache or TLS session ids), which is what gives keep-alive reuse.
/// Not thread-safe: the owning client only touches it from its own serial queue, which is why the
/// `Sendable` conformance is unchecked.
final class CurlEasyHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let configuration: HTTPClientConfiguration

    init(configuration: HTTPClientConfiguration) throws {
        _ = CurlGlobal.initialized
        guard let handle = curl_easy_init() else {
            throw HTTPClientError.transfer(code: -1, message: "curl_easy_init failed")
        }
        self.handle = handle
        self.configuration = configuration
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Performs `request` to completion on the calling thread. `isCancelled` is polled by curl's
    /// progress callback so a cancelled task stops the transfer promptly.
    func perform(_ request: HTTPRequest, isCancelled: @escaping () -> Bool) throws -> HTTPResponse {
        var headers = request.headers
        let body = request.body
        for field in headers where field.value.contains(where: \.isNewline) || field.name.contains(where: \.isNewline) {
            throw HTTPClientError.invalidRequest("header \(field.name) contains a line break")
        }
        // An empty Expect stops curl from waiting for `100 Continue` before large bodies.
        if !headers.contains("Expect") {
            headers.add("Expect", "")
        }

        curl_easy_reset(handle)
        let context = TransferContext(maxBodyBytes: configuration.maxResponseBytes, isCancelled: isCancelled)
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for field in headers {
            // "Name;" is curl's way to send a header with an empty value.
            let line = field.value.isEmpty && field.name.lowercased() != "expect"
                ? "\(field.name);" : "\(field.name): \(field.value)"
            headerList = curl_slist_append(headerList, line)
        }

        let code: CURLcode = try withExtendedLifetime(context) {
            try errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
                try (body ?? []).withUnsafeBufferPointer { bodyPointer in
                    try configure(request: request, body: body == nil ? nil : bodyPointer, headerList: headerList)
                    let contextPointer = Unmanaged.passUnretained(context).toOpaque()
                    try check(ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress), "error buffer")
                    try check(ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody), "write callback")
                    try check(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, contextPointer), "write data")
                    try check(ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader), "header callback")
                    try check(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, contextPointer), "header data")
                    try check(ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0), "progress")
                    try check(ccurl_setopt_xferinfo_callback(handle, curlProgress), "progress callback")
                    try check(ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, contextPointer), "progress data")
                    return curl_easy_perform(handle)
                }
            }
        }

        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            var message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            // curl's "Couldn't connect to server" hides whether the port was closed or the network
            // unreachable; the system's errno says which.
            var systemError = 0
            if code == CURLE_COULDNT_CONNECT, ccurl_getinfo_long(handle, CURLINFO_OS_ERRNO, &systemError) == CURLE_OK, systemError != 0 {
                message += " (\(String(cString: strerror(Int32(systemError)))))"
            }
            throw CurlErrorMapping.error(
                code: code.rawValue,
                message: message,
                bodyLimitExceeded: context.accumulator.exceededLimit,
                maxBodyBytes: configuration.maxResponseBytes
            )
        }
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var version = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_HTTP_VERSION, &version)
        return HTTPResponse(
            status: status,
            headers: context.accumulator.headers,
            body: context.accumulator.body,
            httpVersion: Self.versionName(version, fallback: context.accumulator.statusLineVersion)
        )
    }

    private func configure(
        request: HTTPRequest,
        body: UnsafeBufferPointer<UInt8>?,
        headerList: UnsafeMutablePointer<curl_slist>?
    ) throws {
        try check(ccurl_setopt_string(handle, CURLOPT_URL, request.url), "URL")
        try check(ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        try check(ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "nosignal")
        try check(ccurl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1), "keepalive")
        try check(ccurl_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)), "HTTP version")
        try check(ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.connectTimeout)), "connect timeout")
        try check(ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(configuration.totalTimeout)), "timeout")
        try check(ccurl_setopt_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxResponseBytes)), "size cap")
        try check(ccurl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent), "user agent")
        // Accept every encoding curl can decode; responses arrive decompressed.
        try check(ccurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""), "accept encoding")
        // A larger receive buffer is a hint, not a requirement: curl 7.88 refuses a new size
        // (CURLE_BAD_FUNCTION_ARGUMENT) on a handle whose last transfer failed to resolve its host,
        // and the transfer runs as well with the buffer it has, so a refusal must not fail it.
        _ = ccurl_setopt_long(handle, CURLOPT_BUFFERSIZE, 1 << 18)
        if let caBundlePath = configuration.caBundlePath {
            try check(ccurl_setopt_string(handle, CURLOPT_CAINFO, caBundlePath), "CA bundle")
        }
        if configuration.insecure {
            try check(ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0), "verify peer")
            try check(ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0), "verify host")
        }
        switch request.method {
        case .get:
            try check(ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1), "GET")
        case .head:
            try check(ccurl_setopt_long(handle, CURLOPT_NOBODY, 1), "HEAD")
        case .post, .put, .delete:
            if request.method != .post {
                try check(ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue), "method")
            }
            if let body {
                try check(ccurl_setopt_long(handle, CURLOPT_POST, 1), "POST")
                try check(ccurl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "body size")
                try check(ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: body.baseAddress)), "body")
                if body.count > 65_536 {
                    try check(ccurl_setopt_long(handle, CURLOPT_UPLOAD_BUFFERSIZE, 1 << 19), "upload buffer")
                }
            } else if request.method == .post {
                try check(ccurl_setopt_long(handle, CURLOPT_POST, 1), "POST")
                try check(ccurl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, 0), "body size")
                try check(ccurl_setopt_string(handle, CURLOPT_POSTFIELDS, ""), "body")
            }
        }
        try check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "headers")
    }

    private func check(_ code: CURLcode, _ what: String) throws {
        guard code == CURLE_OK else {
            let message = String(cString: curl_easy_strerror(code))
            if code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT {
                throw HTTPClientError.invalidURL(message)
            }
            throw HTTPClientError.transfer(code: Int(code.rawValue), message: "setting \(what): \(message)")
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int((duration.secondsDouble * 1000).rounded(.up)))
    }

    private static func versionName(_ curlVersion: Int, fallback: String?) -> String {
        switch curlVersion {
        case Int(CURL_HTTP_VERSION_1_0): "1.0"
        case Int(CURL_HTTP_VERSION_1_1): "1.1"
        case Int(CURL_HTTP_VERSION_2_0): "2"
        case Int(CURL_HTTP_VERSION_3): "3"
        default: fallback ?? "1.1"
        }
    }
}

/// What the C callbacks reach through their user-data pointer.
private final class TransferContext {
    var accumulator: ResponseAccumulator
    let isCancelled: () -> Bool

    init(maxBodyBytes: Int, isCancelled: @escaping () -> Bool) {
        self.accumulator = ResponseAccumulator(maxBodyBytes: maxBodyBytes)
        self.isCancelled = isCancelled
    }
}

private let curlWriteBody: ccurl_data_callback = { data, size, count, userdata in
    guard let data, let userdata else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    let accepted = context.accumulator.receiveBody(UnsafeRawBufferPointer(start: data, count: length))
    return accepted ? length : 0
}

private let curlWriteHeader: ccurl_data_callback = { data, size, count, userdata in
    guard let data, let userdata else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    context.accumulator.receiveHeaderLine(line)
    return length
}

private let curlProgress: ccurl_xferinfo_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    return context.isCancelled() ? 1 : 0
}

/// `curl_global_init` must run once before any handle exists; a lazy global runs it exactly once.
enum CurlGlobal {
    static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
    }()
}
