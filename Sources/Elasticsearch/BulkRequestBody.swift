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
        actionLength(quotedIDLength: JSONWriter.quotedLength(of: id))
    }

    /// The same when the id's quoted length is already counted.
    private static func actionLength(quotedIDLength: Int) -> Int {
        actionPrefix.count + quotedIDLength + actionSuffix.count
    }

    /// Bytes each document adds to a body, the documents read through a pointer: a document
    /// taken out of the array was a retain and a release of its id and of its bytes.
    static func sizes(of documents: [MappedDocument]) -> [Int] {
        documents.withUnsafeBufferPointer { documents in
            documents.indices.map { index in
                size(sourceCount: documents[index].sourceCount, quotedIDLength: quotedIDLength(of: documents[index]))
            }
        }
    }

    /// The length of a document's id as a JSON string: counted only when it may need escapes.
    private static func quotedIDLength(of document: MappedDocument) -> Int {
        document.withIDBytes { id in document.idIsPlain ? id.count + 2 : JSONWriter.quotedLength(utf8: id) }
    }

    /// Bytes one document adds to a body, from its length and its id's quoted length: its action
    /// line, its bytes and their newline.
    private static func size(sourceCount: Int, quotedIDLength: Int) -> Int {
        actionLength(quotedIDLength: quotedIDLength) + sourceCount + 1
    }

    /// The body for `documents[indices]`, in that order, written through a pointer into one
    /// allocation of the counted size: appending each piece to an array checked its capacity and
    /// uniqueness and went through a generic copy, three times per document. The documents are
    /// read through a pointer too: each one taken out of the array (or its id or bytes) was a
    /// retain and a release of what it holds, five of each per document.
    static func encode(_ documents: [MappedDocument], indices: [Int]) -> [UInt8] {
        documents.withUnsafeBufferPointer { documents in
            // Each id's quoted length counted once, for the size and again for the write's check.
            let quotedIDLengths = indices.map { quotedIDLength(of: documents[$0]) }
            var capacity = 0
            for (index, quotedIDLength) in zip(indices, quotedIDLengths) {
                capacity += size(sourceCount: documents[index].sourceCount, quotedIDLength: quotedIDLength)
            }
            return [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
                guard let start = out.baseAddress else { return }
                var cursor = start
                /// The counted size is what is written; a disagreement stops here, never past the end.
                func reserve(_ bytes: Int) {
                    precondition(bytes <= capacity - (cursor - start), "a bulk body overran its counted size")
                }
                func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                    reserve(bytes.count)
                    if let base = bytes.baseAddress { cursor.update(from: base, count: bytes.count) }
                    cursor += bytes.count
                }
                for (index, quotedIDLength) in zip(indices, quotedIDLengths) {
                    actionPrefix.withUnsafeBufferPointer(put)
                    reserve(quotedIDLength)
                    cursor.pointee = UInt8(ascii: "\"")
                    cursor += 1 &+ documents[index].withIDBytes { id in
                        guard documents[index].idIsPlain else { return JSONWriter.writeEscapedExactly(id, to: cursor + 1) }
                        if let base = id.baseAddress { ShortCopy.copy(base, to: cursor + 1, count: id.count) }
                        return id.count
                    }
                    cursor.pointee = UInt8(ascii: "\"")
                    cursor += 1
                    actionSuffix.withUnsafeBufferPointer(put)
                    // Not through `put`: a nested function captured by this closure made
                    // `cursor` a boxed variable with a dynamic exclusivity check per use.
                    let sourceCount = documents[index].sourceCount
                    reserve(sourceCount)
                    documents[index].withSource { source in
                        if let base = source.baseAddress { cursor.update(from: base, count: source.count) }
                    }
                    cursor += sourceCount
                    reserve(1)
                    cursor.pointee = UInt8(ascii: "\n")
                    cursor += 1
                }
                count = cursor - start
            }
        }
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
