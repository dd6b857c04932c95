extension CloudID {
    /// `https://<kibana_id>.<host>`: the third `$` part of the Cloud ID names the Kibana of the same
    /// deployment, so Cloud users configure one value for both.
    public static func kibanaURL(from cloudID: String) throws -> String {
        try url(from: cloudID, component: 2, named: "Kibana")
    }
}
