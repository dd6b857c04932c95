/// The product's identity, in one place so the CLI, the User-Agent and the index template's `_meta`
/// always agree on the version that produced a document.
public enum ProductInfo {
    public static let name = "mimecast-shipper"
    public static let version = "0.1.0"
    public static var userAgent: String { "\(name)/\(version)" }
}
