/// Removal of stored documents, for harnesses that must prove their own loss detection works
/// (the fault suite's `--sabotage`).
extension FakeElasticsearch {
    /// Forgets the document `id` in `dataStream`; true when there was one.
    @discardableResult
    public func removeDocument(id: String, in dataStream: String) -> Bool {
        withState { $0.documents[dataStream]?.removeValue(forKey: id) != nil }
    }
}
