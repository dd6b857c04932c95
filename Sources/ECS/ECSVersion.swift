/// The ECS release the mapper's field names, types and categorisation follow; written to every
/// document's `ecs.version` so Kibana and readers know which schema to expect.
public enum ECSVersion {
    public static let current: String = "9.4.0"
}
