/// A list that keeps the first spelling of each text added, compared ignoring case
/// (`AccountText.equalIgnoringCase`), and drops empty texts: what `related.*`, the addresses of
/// `email.*` and `source.ip` hold.
///
/// It lives in stack memory for the one field it fills (`collect`): lists are a handful of
/// borrowed texts, so none costs an allocation or a reference count.
struct DistinctTexts {
    private let storage: UnsafeMutableBufferPointer<AccountText.Bytes>
    private(set) var count = 0
    /// The lower-cased texts kept, for lists too long to compare pairwise.
    private var seen: Set<String>?

    private init(storage: UnsafeMutableBufferPointer<AccountText.Bytes>) {
        self.storage = storage
        seen = storage.count > 16 ? [] : nil
    }

    /// Calls `fill` to add at most `capacity` texts, then `body` with the ones kept.
    static func collect<R>(capacity: Int, _ fill: (inout DistinctTexts) -> Void,
                           _ body: (UnsafeBufferPointer<AccountText.Bytes>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: AccountText.Bytes.self, capacity: max(capacity, 1)) { storage in
            var list = DistinctTexts(storage: UnsafeMutableBufferPointer(rebasing: storage[..<capacity]))
            fill(&list)
            return body(list.texts)
        }
    }

    var texts: UnsafeBufferPointer<AccountText.Bytes> {
        UnsafeBufferPointer(rebasing: storage[..<count])
    }

    var first: AccountText.Bytes? { count > 0 ? storage[0] : nil }

    mutating func add(_ text: AccountText.Bytes) {
        guard !text.isEmpty else { return }
        precondition(count < storage.count, "more texts than the list was made for")
        if seen != nil {
            guard seen!.insert(String(decoding: text, as: UTF8.self).lowercased()).inserted else { return }
        } else {
            for index in 0..<count where AccountText.equalIgnoringCase(storage[index], text) { return }
        }
        (storage.baseAddress! + count).initialize(to: text)
        count += 1
    }
}
