import FakeElasticsearch
import ShipperCore

/// The comparison of what Elasticsearch holds with what Mimecast served. Pure.
///
/// The fake refuses a second `create` for one `_id` only within one backing index, as
/// Elasticsearch does, so duplicates are looked for two ways: stored copies (over all backing
/// indices) whose `event.id` (the Mimecast id) is shared with another stored copy (a rollover or
/// a changed `_id` derivation shows here), and bulk items answered 201 for an `_id` that had
/// already been answered 201.
struct Tally: Sendable {
    var sourceEvents = 0
    var stored = 0
    var lost = 0
    var documentsSharingEventID = 0
    var repeatedCreates = 0
    /// Stored documents with no or an unknown `event.id`.
    var unexpected = 0

    /// Extra copies: both measures usually see the same one (a rollover shows in both), so the
    /// larger of the two, not their sum.
    var duplicated: Int { max(documentsSharingEventID, repeatedCreates) }

    static func count(sourceIDs: [String], stored documents: [[UInt8]], bulkRecords: [FakeBulkRecord]) -> Tally {
        var tally = Tally(sourceEvents: sourceIDs.count, stored: documents.count)
        let source = Set(sourceIDs)
        var storedPerEventID: [String: Int] = [:]
        for bytes in documents {
            guard let document = try? JSONValue.parse(bytes), let eventID = Self.eventID(in: document), source.contains(eventID) else {
                tally.unexpected += 1
                continue
            }
            storedPerEventID[eventID, default: 0] += 1
        }
        tally.lost = source.filter { storedPerEventID[$0] == nil }.count
        tally.documentsSharingEventID = storedPerEventID.values.reduce(0) { $0 + max(0, $1 - 1) }
        var createdPerID: [String: Int] = [:]
        for record in bulkRecords {
            // Heartbeats carry no _id (Elasticsearch generates one per pass): not events.
            for (id, status) in zip(record.ids, record.itemStatuses) where status == 201 && !id.isEmpty {
                createdPerID[id, default: 0] += 1
            }
        }
        tally.repeatedCreates = createdPerID.values.reduce(0) { $0 + max(0, $1 - 1) }
        return tally
    }

    /// `event.id`, nested (`{"event":{"id":…}}`) or dotted.
    static func eventID(in document: JSONValue) -> String? {
        document["event"]?["id"]?.stringValue ?? document["event.id"]?.stringValue
    }
}

/// Faults the fakes answered, read from their request logs after the run.
struct ObservedFaults: Sendable {
    var bulkItems429 = 0
    var bulkRequests503 = 0
    var mimecast429 = 0
    var mimecast5xx = 0
    var mimecast401 = 0

    static func read(bulkRecords: [FakeBulkRecord], mimecastStatuses: [Int]) -> ObservedFaults {
        var observed = ObservedFaults()
        for record in bulkRecords {
            if record.status == 503 { observed.bulkRequests503 += 1 }
            observed.bulkItems429 += record.itemStatuses.filter { $0 == 429 }.count
        }
        for status in mimecastStatuses {
            switch status {
            case 429: observed.mimecast429 += 1
            case 500..<600: observed.mimecast5xx += 1
            case 401: observed.mimecast401 += 1
            default: break
            }
        }
        return observed
    }
}
