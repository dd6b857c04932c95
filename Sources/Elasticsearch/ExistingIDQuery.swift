import ShipperCore

/// The request and answer of the existence check: which of some `_id`s a data stream already
/// holds, in any of its backing indices.
///
/// `create` with a fixed `_id` is refused only inside one backing index; after a rollover the same
/// `_id` is accepted again into the new write index. So before writing documents that may already
/// be stored, the indexer asks the data stream (`POST /<data stream>/_search`, an `ids` query,
/// `_source: false`) and skips those it holds. Pure, so the shapes are tested without a server.
enum ExistingIDQuery {
    /// Elasticsearch's default `index.max_result_window`: `size` may not exceed it.
    static let maxResultWindow = 10_000

    struct Malformed: Error, Equatable {
        let detail: String
    }

    /// What a search answered: the ids found, and how many hits there were in all (more than the
    /// ids found when some `_id` is stored more than once).
    struct Answer: Equatable {
        var found: Set<String>
        var totalHits: Int
        var returnedHits: Int
    }

    static func path(dataStream: String) -> String {
        "/\(dataStream)/_search?filter_path=hits.total.value,hits.hits._id"
    }

    /// `{"_source":false,"query":{"ids":{"values":[…]}},"size":N,"track_total_hits":true}`.
    static func body(ids: [String], size: Int) -> [UInt8] {
        body(count: ids.count, size: size) { writer in
            for id in ids { writer.string(id) }
        }
    }

    /// The same for the ids of `documents[indices]`, read where each document holds its id: a
    /// string per id cost an allocation, and every document is looked up when a run starts
    /// without a checkpoint.
    static func body(idsOf documents: [MappedDocument], indices: ArraySlice<Int>, size: Int) -> [UInt8] {
        body(count: indices.count, size: size) { writer in
            documents.withUnsafeBufferPointer { documents in
                for index in indices { documents[index].withIDBytes { writer.string(utf8: $0) } }
            }
        }
    }

    private static func body(count: Int, size: Int, values: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 96 + count * 48)
        writer.beginObject()
        writer.key("_source")
        writer.bool(false)
        writer.key("query")
        writer.beginObject()
        writer.key("ids")
        writer.beginObject()
        writer.key("values")
        writer.beginArray()
        values(&writer)
        writer.endArray()
        writer.endObject()
        writer.endObject()
        writer.key("size")
        writer.number(min(size, maxResultWindow))
        writer.key("track_total_hits")
        writer.bool(true)
        writer.endObject()
        return writer.bytes
    }

    /// Reads `{"hits":{"total":{"value":N},"hits":[{"_id":…},…]}}`; `filter_path` leaves out
    /// `hits.hits` when nothing matched.
    static func parse(_ body: [UInt8]) throws(Malformed) -> Answer {
        let root: JSONValue
        do {
            root = try JSONValue.parse(body)
        } catch {
            throw Malformed(detail: "\(error)")
        }
        guard root.objectValue != nil else { throw Malformed(detail: "not a JSON object") }
        let hits = root["hits"]?["hits"]?.arrayValue ?? []
        var found = Set<String>()
        for hit in hits {
            guard let id = hit["_id"]?.stringValue else { throw Malformed(detail: "a hit has no _id") }
            found.insert(id)
        }
        let total = root["hits"]?["total"]?["value"]?.intValue ?? hits.count
        return Answer(found: found, totalHits: total, returnedHits: hits.count)
    }
}
