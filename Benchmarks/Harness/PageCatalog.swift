import Foundation
import Hummingbird

/// Every `get-audit-events` answer for one benchmark window, rendered before the clock starts.
///
/// The fake Mimecast then answers each call by index (`page-<n>` tokens) with no work but a
/// buffer copy, so the measured tools, not the fake, set the pace.
struct PageCatalog: Sendable {
    /// The UTC day three days before the harness started: well inside the 60 days of history
    /// Mimecast keeps (the shipper moves an older `--since` forward to them) and long finished.
    static let day: String = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(-3 * 86_400))
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }()
    static let nextDay: String = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(-2 * 86_400))
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }()
    static let windowStart = "\(day)T00:00:00+0000"
    static let windowEnd = "\(nextDay)T00:00:00+0000"
    /// The same instants as the tools' command lines spell them.
    static let sinceArgument = "\(day)T00:00:00Z"
    static let untilArgument = "\(nextDay)T00:00:00Z"
    static let windowSeconds = 86_400

    let eventCount: Int
    let pageSize: Int
    let pages: [ByteBuffer]
    /// Sum of the page bodies' sizes.
    let bytes: Int

    /// `count` events spread evenly over the window, cycling through the templates; event `i` has
    /// id `eNqrBench<i>`, and user names and addresses that vary with `i / templates`.
    static func render(count: Int, pageSize: Int, templates: EventTemplates) -> PageCatalog {
        var pages: [ByteBuffer] = []
        var total = 0
        let pageCount = max(1, (count + pageSize - 1) / pageSize)
        pages.reserveCapacity(pageCount)
        var body: [UInt8] = []
        for pageIndex in 0..<pageCount {
            body.removeAll(keepingCapacity: true)
            let first = pageIndex * pageSize
            let last = min(count, first + pageSize)
            append("{\"meta\":{\"status\":200,\"pagination\":{\"pageSize\":\(pageSize),\"totalCount\":\(count)", to: &body)
            if last < count { append(",\"next\":\"page-\(pageIndex + 1)\"", to: &body) }
            append("}},\"data\":[", to: &body)
            for index in first..<last {
                if index > first { body.append(UInt8(ascii: ",")) }
                appendEvent(index, count: count, templates: templates, to: &body)
            }
            append("],\"fail\":[]}", to: &body)
            total += body.count
            pages.append(ByteBuffer(bytes: body))
        }
        return PageCatalog(eventCount: count, pageSize: pageSize, pages: pages, bytes: total)
    }

    private static func appendEvent(_ index: Int, count: Int, templates: EventTemplates, to body: inout [UInt8]) {
        let template = templates.templates[index % templates.templates.count]
        let variant = index / templates.templates.count
        for piece in template {
            switch piece {
            case .literal(let bytes):
                body.append(contentsOf: bytes)
            case .slot(.id):
                append("eNqrBench", to: &body)
                appendPadded(index, width: 8, to: &body)
            case .slot(.time):
                let second = Int((Int64(index) * Int64(windowSeconds)) / Int64(max(count, 1)))
                append(day + "T", to: &body)
                appendPadded(second / 3600, width: 2, to: &body)
                body.append(UInt8(ascii: ":"))
                appendPadded(second / 60 % 60, width: 2, to: &body)
                body.append(UInt8(ascii: ":"))
                appendPadded(second % 60, width: 2, to: &body)
                append("+0000", to: &body)
            case .slot(.userSuffix):
                append(".u\(variant % 97)", to: &body)
            case .slot(.ipv4Octet):
                append(String(100 + variant % 100), to: &body)
            case .slot(.ipv6Group):
                append(String(variant % 4096, radix: 16), to: &body)
            }
        }
    }

    private static func append(_ text: String, to body: inout [UInt8]) {
        body.append(contentsOf: text.utf8)
    }

    private static func appendPadded(_ value: Int, width: Int, to body: inout [UInt8]) {
        let digits = String(value)
        for _ in digits.utf8.count..<max(width, digits.utf8.count) { body.append(UInt8(ascii: "0")) }
        body.append(contentsOf: digits.utf8)
    }
}
