/// Literal, byte-exact replacement of every occurrence, left to right without overlaps.
///
/// Compared as UTF-8 bytes rather than as `Character`s (as the secret redactor compares): a target
/// is found even when a combining mark follows it, and a valid UTF-8 needle can only match at
/// scalar boundaries, so the result stays valid.
extension String {
    public func replacingEvery(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        guard !needle.isEmpty else { return self }
        var bytes = Array(utf8)
        bytes.replace(needle, with: Array(replacement.utf8))
        return String(decoding: bytes, as: UTF8.self)
    }
}
