import Hummingbird
import HTTPTypes
import NIOCore

/// Small bridges so fakes can speak in plain strings and bytes instead of HTTPTypes values.
extension Request {
    /// The first value of header `name`, ignoring case.
    public func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }

    /// The whole request body, up to the context's upload limit.
    public func bodyBytes(limit: Int = 512 * 1024 * 1024) async throws -> [UInt8] {
        let buffer = try await body.collect(upTo: limit)
        return Array(buffer.readableBytesView)
    }
}

extension Response {
    /// A response from a numeric status, string headers and raw bytes.
    public static func bytes(_ body: [UInt8], status: Int = 200, headers: [String: String] = [:]) -> Response {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let fieldName = HTTPField.Name(name) {
                fields[fieldName] = value
            }
        }
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// A JSON (or any text) response.
    public static func text(
        _ text: String,
        status: Int = 200,
        contentType: String = "application/json",
        headers: [String: String] = [:]
    ) -> Response {
        var all = headers
        all["Content-Type"] = contentType
        return bytes(Array(text.utf8), status: status, headers: all)
    }
}
