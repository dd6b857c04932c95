/// Keeps credentials out of text that reaches logs and errors. A user may paste a URL with
/// `user:password@` into a setting; whatever echoes that URL must pass it through here first.
public enum Redaction {
    /// Replaces the user-info part of every `scheme://user:pass@host` in `text` with `***@`.
    public static func stripURLCredentials(_ text: String) -> String {
        guard text.contains("@"), text.contains("://") else { return text }
        var result = ""
        var remainder = Substring(text)
        while let schemeRange = remainder.firstRange(of: "://") {
            result += remainder[..<schemeRange.upperBound]
            remainder = remainder[schemeRange.upperBound...]
            // The authority ends at the first '/', '?', '#' or whitespace.
            let authorityEnd = remainder.firstIndex { "/?# \t\n\"'".contains($0) } ?? remainder.endIndex
            let authority = remainder[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                result += "***@"
                result += authority[authority.index(after: at)...]
            } else {
                result += authority
            }
            remainder = remainder[authorityEnd...]
        }
        result += remainder
        return result
    }

    /// A setting that should be a URL, for an error message: user-info stripped, and when the
    /// text is malformed (no `://`) everything up to its last `@` hidden as well, since that part
    /// may be a password the parser could not recognise as one.
    public static func redactedForMessage(_ text: String) -> String {
        let stripped = stripURLCredentials(text)
        guard stripped.replacingEvery("://***@", with: "://").contains("@"),
              let at = stripped.lastIndex(of: "@") else { return stripped }
        return "***@" + stripped[stripped.index(after: at)...]
    }
}
