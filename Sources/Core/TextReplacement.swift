/// Literal, byte-exact replacement of every occurrence, left to right without overlaps.
///
/// Compared as UTF-8 bytes rather than as `Character`s: the secret redactor must hide a secret's
/// bytes even when a combining mark follows it (which would merge its last character with the
/// mark), and a valid UTF-8 needle can only match at scalar boundaries, so the result stays valid.
extension String {
    public func replacingEvery(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        guard !needle.isEmpty else { return self }
        let haystack = Array(utf8)
        guard haystack.count >= needle.count else { return self }
        var result: [UInt8] = []
        result.reserveCapacity(haystack.count)
        var position = 0
        var copiedUpTo = 0
        let last = haystack.count - needle.count
        while position <= last {
            if haystack[position] == needle[0], haystack[position..<position + needle.count].elementsEqual(needle) {
                result.append(contentsOf: haystack[copiedUpTo..<position])
                result.append(contentsOf: replacement.utf8)
                position += needle.count
                copiedUpTo = position
            } else {
                position += 1
            }
        }
        guard copiedUpTo > 0 else { return self }
        result.append(contentsOf: haystack[copiedUpTo...])
        return String(decoding: result, as: UTF8.self)
    }
}
