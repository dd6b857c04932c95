import Foundation
import ShipperCore
@testable import ShipperReport
import Testing

/// Every format rendered and parsed back by a parser we did not write: Foundation's
/// JSONSerialization, Python's csv module and Python's html.parser.
@Suite struct ReportFormatTests {
    static var rfc3339UTC: Regex<Substring> { #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/# }

    // MARK: JSON

    @Test func jsonMatchesTheDocumentedSchema() throws {
        let report = Fixture.rich
        let object = try #require(JSONSerialization.jsonObject(with: Data(ReportFormat.json.render(report).utf8)) as? [String: Any])
        try JSONSchemaCheck.report(object)
        let sessions = try #require(object["sessions"] as? [[String: Any]])
        #expect(sessions.map { $0["account"] as? String } == ["support.agent@mimecast.example", "support.two@mimecast.example"])
        #expect(sessions[0]["start"] as? String == "2024-05-02T09:00:00Z")
        #expect(sessions[0]["end"] as? String == "2024-05-02T09:50:00Z")
        #expect(sessions[0]["targets"] as? [String] == ["chen.wei@example.org"])
        #expect(sessions[0]["changes"] as? Int == 2)
        let sources = try #require(sessions[0]["sources"] as? [[String: Any]])
        #expect(sources.first?["country"] as? String == "GB")
        #expect(sources.first?["as"] as? String == "AS64500 Example Networks")
        #expect(sessions[1]["source_ips"] as? [String] == ["2001:db8:85a3::8a2e:370:7334"])
        let without = try #require(object["sessions_without_login"] as? [[String: Any]])
        #expect(without.map { $0["account"] as? String } == ["night.shift@mimecast.example"])
        #expect(without.first?["login"] as? Bool == false)
        let failed = try #require(object["failed_logins"] as? [[String: Any]])
        #expect(failed.first?["account"] as? String == "mallory@mimecast.example")
        #expect(failed.first?["time"] as? String == "2024-05-02T12:00:00Z")
        #expect(object["new_source_ips"] as? [String] == ["2001:db8::5", "2001:db8:85a3::8a2e:370:7334"])
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["sessions"] as? Int == 2)
        #expect(totals["sessions_without_login"] as? Int == 1)
        #expect(totals["support_accounts"] as? Int == 3)
        #expect(totals["source_ips"] as? Int == 3)
        #expect(totals["new_source_ips"] as? Int == 2)
        #expect(totals["sessions_with_changes"] as? Int == 2)
        #expect(totals["read_only_sessions"] as? Int == 1)
        #expect(totals["failed_logins"] as? Int == 1)
    }

    @Test func theSchemaCheckRejectsWhatTheShapeForbids() throws {
        var object = try #require(JSONSerialization.jsonObject(with: Data(ReportFormat.json.render(Fixture.rich).utf8)) as? [String: Any])
        object["period"] = ["start": "2024-05-02 00:00", "end": "2024-05-03T00:00:00Z"]
        #expect(throws: JSONSchemaCheck.Violation.self) { try JSONSchemaCheck.report(object) }
        object.removeValue(forKey: "period")
        #expect(throws: JSONSchemaCheck.Violation.self) { try JSONSchemaCheck.report(object) }
    }

    // MARK: CSV

    @Test func csvIsReadBackByPythonsCSVModule() throws {
        let csv = ReportFormat.csv.render(Fixture.rich)
        #expect(csv.hasSuffix("\r\n"))
        #expect(!csv.replacingOccurrences(of: "\r\n", with: "").contains("\n") || csv.contains("\"")) // bare LF only inside quotes
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='') as f:
                rows = list(csv.reader(f, strict=True))
            print(json.dumps(rows))
            """
        let output = try ExternalParser.python(script, input: csv)
        let rows = try #require(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String]])
        #expect(rows.first == CSVReportRenderer.header)
        #expect(rows.count == 4)
        #expect(rows.dropFirst().allSatisfy { $0.count == CSVReportRenderer.header.count })
        let byAccount = Dictionary(rows.dropFirst().map { ($0[0], $0) }, uniquingKeysWith: { first, _ in first })
        let two = try #require(byAccount["support.two@mimecast.example"])
        #expect(two[8] == "Admin, \"Console\" <b>; Administration Console")
        #expect(two[5] == "2001:db8:85a3::8a2e:370:7334")
        #expect(two[3] == "yes")
        let agent = try #require(byAccount["support.agent@mimecast.example"])
        #expect(agent[1] == "2024-05-02T09:00:00Z")
        #expect(agent[4] == "3000")
        #expect(agent[6] == "GB")
        #expect(agent[11] == "Mimecast Support Login x1; Policy Changed x1; Role Assigned x1")
        #expect(byAccount["night.shift@mimecast.example"]?[3] == "no")
    }

    @Test func csvNeutralisesSpreadsheetFormulas() {
        #expect(CSVReportRenderer.quote("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVReportRenderer.quote("plain") == "plain")
        #expect(CSVReportRenderer.quote("a\r\nb") == "\"a\r\nb\"")
        #expect(CSVReportRenderer.quote("a\nb") == "\"a\nb\"")
    }

    // MARK: HTML

    static let htmlCheck = """
        import json, sys
        from html.parser import HTMLParser
        VOID = {'meta','br','hr','img','input','link','area','base','col','embed','source','track','wbr'}
        class Check(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.stack, self.problems, self.tags = [], [], {}
                self.session_rects, self.failed_marks, self.rows, self.ids, self.text = 0, 0, {}, [], []
                self.table = None
            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                self.tags[tag] = self.tags.get(tag, 0) + 1
                if tag in ('script', 'link', 'img', 'iframe', 'object', 'embed', 'base'):
                    self.problems.append('forbidden element ' + tag)
                for name, value in attrs:
                    if name in ('src', 'href', 'xlink:href') or name.startswith('on'):
                        self.problems.append('external or active attribute %s=%s' % (name, value))
                if 'id' in a: self.ids.append(a['id'])
                if tag == 'rect' and 'session' in a.get('class', '').split() and 'legend' not in a.get('class', '').split() and self.stack and self.stack[-1] == 'svg':
                    self.session_rects += 1
                if tag == 'polygon' and a.get('class') == 'failed' and self.stack and self.stack[-1] == 'svg':
                    self.failed_marks += 1
                if tag == 'table': self.table = a.get('id')
                if tag == 'tr' and 'tbody' in self.stack and self.table:
                    self.rows[self.table] = self.rows.get(self.table, 0) + 1
                if tag not in VOID: self.stack.append(tag)
            def handle_startendtag(self, tag, attrs):
                self.handle_starttag(tag, attrs)
                if tag not in VOID: self.stack.pop()
            def handle_endtag(self, tag):
                if tag in VOID: return
                if not self.stack or self.stack[-1] != tag:
                    self.problems.append('mismatched </%s> with open %s' % (tag, self.stack[-3:]))
                else:
                    self.stack.pop()
            def handle_data(self, data):
                self.text.append(data)
        text = open(sys.argv[1], encoding='utf-8').read()
        c = Check(); c.feed(text); c.close()
        if c.stack: c.problems.append('unclosed ' + ','.join(c.stack))
        import re
        for m in re.finditer(r'https?://|@import|url\\(', text, re.IGNORECASE):
            if text[max(0, m.start() - 7):m.start()] != 'xmlns="':
                c.problems.append('external reference near ' + text[max(0, m.start() - 20):m.end() + 30])
        print(json.dumps({'problems': c.problems, 'sessionRects': c.session_rects, 'failedMarks': c.failed_marks,
                          'rows': c.rows, 'ids': c.ids, 'tags': c.tags, 'text': ' '.join(''.join(c.text).split())}))
        """

    struct HTMLFindings: Decodable {
        let problems: [String]
        let sessionRects: Int
        let failedMarks: Int
        let rows: [String: Int]
        let ids: [String]
        let tags: [String: Int]
        let text: String
    }

    static func parseHTML(_ html: String) throws -> HTMLFindings {
        try JSONDecoder().decode(HTMLFindings.self, from: Data(ExternalParser.python(htmlCheck, input: html).utf8))
    }

    @Test func htmlIsSelfContainedWellFormedAndHasTimelineAndTable() throws {
        let html = ReportFormat.html.render(Fixture.rich)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let findings = try Self.parseHTML(html)
        #expect(findings.problems == [])
        #expect(findings.sessionRects == 3) // two sessions and one without login
        #expect(findings.failedMarks == 1)
        #expect(findings.rows["sessions"] == 2)
        #expect(findings.rows["sessions-without-login"] == 1)
        #expect(findings.rows["failed-logins"] == 1)
        #expect(findings.rows["summary"] == 9)
        #expect(findings.ids.contains("timeline"))
        #expect(findings.tags["style"] == 1)
        #expect(findings.tags["svg"] == 1)
        // Escaped text reads back as the original.
        #expect(findings.text.contains("Admin, \"Console\" <b>"))
        #expect(findings.text.contains("2001:db8:85a3::8a2e:370:7334"))
    }

    @Test func theHTMLCheckCatchesWhatItLooksFor() throws {
        let bad = "<html><head><script src=\"https://cdn.example/x.js\"></script></head><body><div></span></body></html>"
        let findings = try Self.parseHTML(bad)
        #expect(findings.problems.contains { $0.contains("forbidden element script") })
        #expect(findings.problems.contains { $0.contains("external or active attribute src") })
        #expect(findings.problems.contains { $0.contains("mismatched </span>") })
    }

    // MARK: Markdown

    @Test func markdownTablesHaveOneCellPerColumn() {
        let markdown = ReportFormat.markdown.render(Fixture.rich)
        #expect(markdown.hasPrefix("# Mimecast provider access review\n"))
        var columns: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                columns = nil
                continue
            }
            let cells = Self.markdownCells(String(line))
            if let expected = columns { #expect(cells == expected, "\(line)") } else { columns = cells }
        }
        #expect(markdown.contains("## Actions with no login in the period"))
        #expect(markdown.contains("| support.two@mimecast.example | 2024-05-02 09:30:00 | 2024-05-02 09:45:00 | 15m |"))
        #expect(markdown.contains("Admin, \"Console\" \\<b\\>"))
        #expect(markdown.contains("203.0.113.9 (GB, AS64500 Example Networks)"))
    }

    @Test func markdownCellsStayOnOneLine() {
        #expect(MarkdownReportRenderer.cell("a\r\nb\nc|d") == "a b c\\|d")
    }

    /// Cells of a table row: pipes not escaped by a backslash, minus the outer two.
    static func markdownCells(_ line: String) -> Int {
        var count = 0
        var escaped = false
        for character in line {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true } else if character == "|" { count += 1 }
        }
        return count - 1
    }

    // MARK: No provider access

    @Test func anEmptyPeriodSaysSoInEveryFormat() throws {
        let report = Fixture.build([
            Fixture.action("ana.lopez@example.org", Fixture.at(9, 0), auditType: "Role Assigned"),
        ])
        #expect(report.isEmpty)
        #expect(ReportFormat.markdown.render(report).contains("**No provider access in the period.**"))
        let html = try Self.parseHTML(ReportFormat.html.render(report))
        #expect(html.problems == [])
        #expect(html.ids.contains("no-access"))
        #expect(html.text.contains("No provider access in the period."))
        #expect(ReportFormat.csv.render(report) == CSVReportRenderer.row(CSVReportRenderer.header) + "\r\n")
        let object = try #require(JSONSerialization.jsonObject(with: Data(ReportFormat.json.render(report).utf8)) as? [String: Any])
        try JSONSchemaCheck.report(object)
        #expect((object["sessions"] as? [Any])?.isEmpty == true)
        #expect((object["totals"] as? [String: Any])?["sessions"] as? Int == 0)
    }
}

/// The JSON example in the README is the documented shape: it must pass the same check as the
/// renderer's output, and name the same members.
@Suite struct ReadmeJSONExampleTests {
    @Test func theReadmeExampleHasTheRenderedShape() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.range(of: "## Provider-access report"))
        let start = try #require(text.range(of: "```json\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        let example = try #require(JSONSerialization.jsonObject(with: Data(text[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
        try JSONSchemaCheck.report(example)
        let rendered = try #require(JSONSerialization.jsonObject(with: Data(ReportFormat.json.render(Fixture.rich).utf8)) as? [String: Any])
        #expect(Set(example.keys) == Set(rendered.keys))
        let exampleSession = try #require((example["sessions"] as? [[String: Any]])?.first)
        let renderedSession = try #require((rendered["sessions"] as? [[String: Any]])?.first)
        #expect(Set(exampleSession.keys) == Set(renderedSession.keys))
        let exampleFailure = try #require((example["failed_logins"] as? [[String: Any]])?.first)
        let renderedFailure = try #require((rendered["failed_logins"] as? [[String: Any]])?.first)
        #expect(Set(exampleFailure.keys) == Set(renderedFailure.keys))
        #expect(Set((example["totals"] as? [String: Any] ?? [:]).keys) == Set((rendered["totals"] as? [String: Any] ?? [:]).keys))
    }
}
