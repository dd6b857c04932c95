import Foundation

/// The fake's strict reading of a `multipart/form-data` body (RFC 7578 / RFC 2046): CRLF line
/// breaks, a delimiter line per part, part headers, and the closing `--boundary--`. Anything else is
/// refused with the reason, as Kibana's HTTP layer refuses a malformed upload.
struct FakeMultipart {
    struct Part {
        var name: String?
        var fileName: String?
        var contentType: String?
        var body: [UInt8]
    }

    enum Failure: Error, CustomStringConvertible {
        case notMultipart(String)
        case malformed(String)

        var description: String {
            switch self {
            case .notMultipart(let detail), .malformed(let detail): detail
            }
        }
    }

    static func parse(contentType: String?, body: [UInt8]) throws(Failure) -> [Part] {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            throw .notMultipart("Content-Type [\(contentType ?? "")] is not multipart/form-data")
        }
        guard let boundaryParameter = contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.lowercased().hasPrefix("boundary=") }) else {
            throw .notMultipart("multipart/form-data without a boundary parameter")
        }
        var boundary = String(boundaryParameter.dropFirst("boundary=".count))
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 { boundary = String(boundary.dropFirst().dropLast()) }
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        guard body.starts(with: delimiter + crlf) else {
            throw .malformed("the body does not start with the boundary delimiter line")
        }
        var parts: [Part] = []
        var position = delimiter.count + 2
        while true {
            // Headers end at an empty line.
            guard let headerEnd = find(crlf + crlf, in: body, from: position) else {
                throw .malformed("a part has no blank line after its headers")
            }
            let headerText = String(decoding: body[position..<headerEnd], as: UTF8.self)
            var part = Part(body: [])
            for line in headerText.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { throw .malformed("part header line without ':' [\(line)]") }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name == "content-disposition" {
                    guard value.lowercased().hasPrefix("form-data") else { throw .malformed("Content-Disposition is not form-data") }
                    part.name = parameter("name", in: value)
                    part.fileName = parameter("filename", in: value)
                } else if name == "content-type" {
                    part.contentType = value
                }
            }
            let contentStart = headerEnd + 4
            guard let next = find(crlf + delimiter, in: body, from: contentStart) else {
                throw .malformed("a part is not followed by a boundary delimiter")
            }
            part.body = Array(body[contentStart..<next])
            parts.append(part)
            position = next + 2 + delimiter.count
            if body[position...].starts(with: [45, 45]) {
                let rest = body[(position + 2)...]
                guard rest.isEmpty || rest.elementsEqual(crlf) else {
                    throw .malformed("bytes after the closing delimiter")
                }
                return parts
            }
            guard body[position...].starts(with: crlf) else {
                throw .malformed("a delimiter line does not end with CRLF")
            }
            position += 2
        }
    }

    private static func parameter(_ name: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix("\(name)=") else { continue }
            var text = String(trimmed.dropFirst(name.count + 1))
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            return text
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
        }
        return nil
    }
}
