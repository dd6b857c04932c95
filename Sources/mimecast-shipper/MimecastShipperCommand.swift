import ArgumentParser
import ShipperCore

/// The root command. Each subcommand lives in its own file; all work happens in the library.
@main
struct MimecastShipperCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mimecast-shipper",
        abstract: "Ship Mimecast audit events to Elasticsearch as ECS documents.",
        discussion: """
            Pulls Mimecast audit events (including mimecast_access_logs: every time Mimecast \
            support logs into your console) from the Mimecast API, maps them to the Elastic \
            Common Schema and bulk-indexes them into Elasticsearch.
            """,
        version: ProductInfo.version,
        subcommands: []
    )
}
