/// The two path manipulations the state directory needs, on plain `/`-separated strings (the
/// `NSString` methods they replace live in the full Foundation, which the binary leaves out).
public enum PathText {
    /// `directory` and `component` joined by exactly one `/`, as
    /// `NSString.appendingPathComponent` joins them.
    public static func joining(_ directory: String, _ component: String) -> String {
        let base = trimmingTrailingSlashes(directory)
        let tail = component.drop { $0 == "/" }
        if base.isEmpty { return directory.hasPrefix("/") ? "/" + tail : String(tail) }
        return tail.isEmpty ? base : base + "/" + tail
    }

    /// The path without its last component, as `NSString.deletingLastPathComponent` returns it:
    /// `/a/b` → `/a`, `/a` → `/`, `a` → ``, trailing slashes ignored.
    public static func parent(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        if trimmed.isEmpty { return path.hasPrefix("/") ? "/" : "" }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let head = trimmingTrailingSlashes(String(trimmed[..<slash]))
        return head.isEmpty ? "/" : head
    }

    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var end = path.endIndex
        while end > path.startIndex, path[path.index(before: end)] == "/" { end = path.index(before: end) }
        return String(path[..<end])
    }
}
