/// Removal of stored documents, for harnesses that must prove their own loss detection works
/// (the fault suite's `--sabotage`).
extension FakeElasticsearch {
    /// Forgets the document `id` in `dataStream`; true when there was one.
    @discardableResult
    public func removeDocument(id: String, in dataStream: String) -> Bool {
        withState { state in
            var removed = state.documents[dataStream]?.removeValue(forKey: id) != nil
            for position in state.backingIndices[dataStream]?.indices ?? (0..<0) {
                removed = state.backingIndices[dataStream]?[position].documents.removeValue(forKey: id) != nil || removed
            }
            return removed
        }
    }
}
