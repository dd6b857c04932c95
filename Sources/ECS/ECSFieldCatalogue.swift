/// The dotted paths of every field the mapper can write, for checks outside this module (the
/// detection rules must query only these, or fields the heartbeat or the GeoIP pipeline add).
public enum ECSFieldCatalogue {
    public static var paths: [String] { ECSField.allCases.map(\.path) }
}
