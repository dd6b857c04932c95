/// The output formats of `mimecast-shipper report`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case markdown
    case csv
    case json
    case html

    /// Renders `report` in this format (UTF-8 text).
    public func render(_ report: AccessReport) -> String {
        switch self {
        case .markdown: MarkdownReportRenderer.render(report)
        case .csv: CSVReportRenderer.render(report)
        case .json: JSONReportRenderer.render(report)
        case .html: HTMLReportRenderer.render(report)
        }
    }
}
