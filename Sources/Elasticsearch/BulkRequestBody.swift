import ShipperCore

/// The NDJSON body of `_bulk`: for each document a `create` action line with its `_id`, then the
/// document's bytes exactly as the mapper wrote them (never re-encoded), each line ending in `\n`.
enum BulkRequestBody {
    private static let actionPrefix = Array(#"{"create":{"_id":"#.utf8)
    private static let actionSuffix = Array("}}\n".utf8)

    /// `{"create":{"_id":"…"}}` followed by a newline.
    static func actionLine(id: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(actionLength(id: id))
        appendActionLine(id: id, to: &bytes)
        return bytes
    }

    /// The action line written straight into a body: no array of its own per document.
    static func appendActionLine(id: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: actionPrefix)
        JSONWriter.appendQuoted(id, to: &bytes)
        bytes.append(contentsOf: actionSuffix)
    }

    /// The length of `actionLine(id:)`, counted without writing it.
    static func actionLength(id: String) -> Int {
        actionPrefix.count + JSONWriter.quotedLength(of: id) + actionSuffix.count
    }

    /// Bytes one document adds to a body.
    static func size(of document: MappedDocument) -> Int {
        actionLength(id: document.id) + document.source.count + 1
    }

    /// The body for `documents[indices]`, in that order.
    static func encode(_ documents: [MappedDocument], indices: [Int]) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(indices.reduce(0) { $0 + size(of: documents[$1]) })
        for index in indices {
            appendActionLine(id: documents[index].id, to: &body)
            body.append(contentsOf: documents[index].source)
            body.append(UInt8(ascii: "\n"))
        }
        return body
    }
}

/// Cuts a run of documents into bulk requests bounded by bytes and count.
enum BulkBatcher {
    /// Consecutive ranges covering `0..<sizes.count`; each holds at most `maxDocuments` items and
    /// at most `maxBytes` bytes, except that an item larger than `maxBytes` forms a batch alone.
    static func batches(sizes: [Int], maxBytes: Int, maxDocuments: Int) -> [Range<Int>] {
        var batches: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, size) in sizes.enumerated() {
            let count = index - start
            if count > 0, count >= maxDocuments || bytes + size > maxBytes {
                batches.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < sizes.count {
            batches.append(start..<sizes.count)
        }
        return batches
    }
}
