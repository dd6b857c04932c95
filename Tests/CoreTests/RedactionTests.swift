import ShipperCore
import Testing

@Suite struct RedactionTests {
    @Test func stripsUserInfoFromEveryURL() {
        let text = "PUT https://elastic:changeme@es.local:9200/_bulk failed; proxy http://u:p@proxy:3128 too"
        let redacted = Redaction.stripURLCredentials(text)
        #expect(redacted == "PUT https://***@es.local:9200/_bulk failed; proxy http://***@proxy:3128 too")
    }

    @Test func leavesTextWithoutCredentialsAlone() {
        let text = "https://es.local:9200/_bulk?filter_path=errors and mail to ana@example.org"
        #expect(Redaction.stripURLCredentials(text) == text)
    }
}
