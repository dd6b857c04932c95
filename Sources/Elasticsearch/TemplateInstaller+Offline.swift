import ShipperCore

extension TemplateInstaller {
    /// What a first install sends, without a cluster: every resource as "would create", for
    /// `install-template --dry-run` when Elasticsearch cannot be reached. Comparing with what is
    /// installed needs the cluster.
    public static func offlinePlan(productVersion: String = ProductInfo.version) throws -> [TemplateStepResult] {
        try TemplateResources.all(version: productVersion).map { resource in
            TemplateStepResult(
                name: resource.name,
                kind: resource.kind,
                status: .wouldWrite,
                method: "PUT",
                path: resource.path,
                requestBody: JSONPrettyPrinter.render(resource.body),
                existed: false,
                differences: []
            )
        }
    }
}
