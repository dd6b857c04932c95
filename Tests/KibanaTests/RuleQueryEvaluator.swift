import Foundation
import ShipperCore

/// Reads the rule languages our rules use (a KQL subset, EQL conditions and sequences, and the
/// ES|QL pipeline of the heartbeat rule) into a small syntax tree, so tests can list the fields
/// each query names and run its intent over documents. Anything outside the subset is a parse
/// error, never silently ignored: a rule written beyond it makes the tests fail until this grows.
indirect enum Condition: Equatable {
    case and(Condition, Condition)
    case or(Condition, Condition)
    case not(Condition)
    /// `field : "v"` (KQL) or `field == "v"` (EQL/ES|QL): any of the field's values equals one of these.
    case equals(field: String, values: [JSONValue])

    var fields: [String] {
        switch self {
        case .and(let left, let right), .or(let left, let right): left.fields + right.fields
        case .not(let inner): inner.fields
        case .equals(let field, _): [field]
        }
    }

    func matches(_ document: JSONValue) -> Bool {
        switch self {
        case .and(let left, let right): left.matches(document) && right.matches(document)
        case .or(let left, let right): left.matches(document) || right.matches(document)
        case .not(let inner): !inner.matches(document)
        case .equals(let field, let values): RuleDocuments.values(of: field, in: document).contains { values.contains($0) }
        }
    }
}

struct QueryParseError: Error, CustomStringConvertible {
    let description: String
}

enum Token: Equatable {
    case word(String)
    case string(String)
    case number(Double)
    case symbol(String)
}

enum QueryLexer {
    static func tokens(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { index += 1; continue }
            if character == "\"" {
                var value = ""
                index += 1
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    value.append(characters[index])
                    index += 1
                }
                guard index < characters.count else { throw QueryParseError(description: "unterminated string in \(text)") }
                index += 1
                tokens.append(.string(value))
            } else if character.isLetter || character == "_" || character == "@" {
                var word = ""
                while index < characters.count, characters[index].isLetter || characters[index].isNumber || "_.@*".contains(characters[index]) {
                    word.append(characters[index])
                    index += 1
                }
                tokens.append(.word(word))
            } else if character.isNumber {
                var digits = ""
                while index < characters.count, characters[index].isNumber { digits.append(characters[index]); index += 1 }
                tokens.append(.number(Double(digits) ?? 0))
            } else if index + 1 < characters.count, ["==", "!="].contains(String(characters[index...index + 1])) {
                tokens.append(.symbol(String(characters[index...index + 1])))
                index += 2
            } else if "():,[]|=*-".contains(character) {
                tokens.append(.symbol(String(character)))
                index += 1
            } else {
                throw QueryParseError(description: "unexpected character '\(character)' in \(text)")
            }
        }
        return tokens
    }
}

/// Recursive descent over `or` / `and` / `not` with KQL or EQL comparisons.
struct ConditionParser {
    enum Dialect { case kql, eql }
    private var tokens: [Token]
    private var position = 0
    private let dialect: Dialect

    static func parse(_ text: String, dialect: Dialect) throws -> Condition {
        var parser = ConditionParser(tokens: try QueryLexer.tokens(text), dialect: dialect)
        let condition = try parser.orExpression()
        guard parser.position == parser.tokens.count else {
            throw QueryParseError(description: "unexpected \(parser.tokens[parser.position]) in \(text)")
        }
        return condition
    }

    private init(tokens: [Token], dialect: Dialect) {
        self.tokens = tokens
        self.dialect = dialect
    }

    private var next: Token? { position < tokens.count ? tokens[position] : nil }

    private mutating func take() throws -> Token {
        guard let token = next else { throw QueryParseError(description: "unexpected end of query") }
        position += 1
        return token
    }

    private mutating func expect(_ token: Token) throws {
        let found = try take()
        guard found == token else { throw QueryParseError(description: "expected \(token), found \(found)") }
    }

    private func isKeyword(_ word: String) -> Bool {
        if case .word(let found) = next { return found.lowercased() == word }
        return false
    }

    private mutating func orExpression() throws -> Condition {
        var condition = try andExpression()
        while isKeyword("or") {
            position += 1
            condition = .or(condition, try andExpression())
        }
        return condition
    }

    private mutating func andExpression() throws -> Condition {
        var condition = try notExpression()
        while isKeyword("and") {
            position += 1
            condition = .and(condition, try notExpression())
        }
        return condition
    }

    private mutating func notExpression() throws -> Condition {
        if isKeyword("not") {
            position += 1
            return .not(try notExpression())
        }
        return try primary()
    }

    private mutating func primary() throws -> Condition {
        if next == .symbol("(") {
            position += 1
            let inner = try orExpression()
            try expect(.symbol(")"))
            return inner
        }
        guard case .word(let field) = try take() else { throw QueryParseError(description: "expected a field name") }
        switch dialect {
        case .kql:
            try expect(.symbol(":"))
            if next == .symbol("(") {
                position += 1
                var values = [try literal()]
                while isKeyword("or") {
                    position += 1
                    values.append(try literal())
                }
                try expect(.symbol(")"))
                return .equals(field: field, values: values)
            }
            return .equals(field: field, values: [try literal()])
        case .eql:
            let operation = try take()
            switch operation {
            case .symbol("=="): return .equals(field: field, values: [try literal()])
            case .symbol("!="): return .not(.equals(field: field, values: [try literal()]))
            case .word(let word) where word.lowercased() == "in":
                try expect(.symbol("("))
                var values = [try literal()]
                while next == .symbol(",") {
                    position += 1
                    values.append(try literal())
                }
                try expect(.symbol(")"))
                return .equals(field: field, values: values)
            default:
                throw QueryParseError(description: "unsupported comparison \(operation) after \(field)")
            }
        }
    }

    private mutating func literal() throws -> JSONValue {
        switch try take() {
        case .string(let text): return .string(text)
        case .number(let number): return .number(number)
        case .word(let word) where word == "true" || word == "false": return .bool(word == "true")
        case let other: throw QueryParseError(description: "expected a value, found \(other)")
        }
    }
}

/// `sequence by <field> with maxspan=<n><unit> [any where …] [any where …]`.
struct EQLSequence {
    let byField: String
    let maxspan: TimeInterval
    let steps: [Condition]

    init(_ query: String) throws {
        let header = try NSRegularExpression(pattern: #"^\s*sequence\s+by\s+([A-Za-z_@][A-Za-z0-9_.@]*)\s+with\s+maxspan\s*=\s*([0-9]+)([smh])\s*"#)
        let range = NSRange(query.startIndex..., in: query)
        guard let match = header.firstMatch(in: query, range: range),
              let fieldRange = Range(match.range(at: 1), in: query), let amountRange = Range(match.range(at: 2), in: query),
              let unitRange = Range(match.range(at: 3), in: query), let bodyStart = Range(match.range, in: query)?.upperBound else {
            throw QueryParseError(description: "not a 'sequence by … with maxspan=…' query")
        }
        byField = String(query[fieldRange])
        let unit: TimeInterval = ["s": 1, "m": 60, "h": 3600][String(query[unitRange])] ?? 1
        maxspan = (Double(query[amountRange]) ?? 0) * unit
        var steps: [Condition] = []
        var rest = Substring(query[bodyStart...]).trimmingCharacters(in: .whitespacesAndNewlines)[...]
        while !rest.isEmpty {
            guard rest.hasPrefix("["), let close = Self.closingBracket(in: rest) else {
                throw QueryParseError(description: "expected '[any where …]' in \(rest)")
            }
            let inner = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: .whitespacesAndNewlines)
            guard inner.hasPrefix("any where ") else { throw QueryParseError(description: "only 'any where' steps are supported: \(inner)") }
            steps.append(try ConditionParser.parse(String(inner.dropFirst("any where ".count)), dialect: .eql))
            rest = rest[rest.index(after: close)...].drop(while: { $0.isWhitespace })
        }
        guard steps.count >= 2 else { throw QueryParseError(description: "a sequence needs at least two steps") }
        self.steps = steps
    }

    private static func closingBracket(in text: Substring) -> Substring.Index? {
        var inString = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" { inString.toggle() }
            if character == "]", !inString { return index }
            index = text.index(after: index)
        }
        return nil
    }

    var fields: [String] { [byField] + steps.flatMap(\.fields) }

    /// Each completed sequence's documents, in time order, per `by` value: a step-1 document,
    /// then for each further step the first later matching document within `maxspan` of the first.
    func sequences(in documents: [JSONValue]) -> [[JSONValue]] {
        let ordered = documents.sorted { RuleDocuments.time($0) < RuleDocuments.time($1) }
        var found: [[JSONValue]] = []
        for (index, first) in ordered.enumerated() where steps[0].matches(first) {
            let key = RuleDocuments.values(of: byField, in: first)
            guard !key.isEmpty else { continue }
            var chain = [first]
            var cursor = index
            for step in steps.dropFirst() {
                guard let nextIndex = ordered.indices.dropFirst(cursor + 1).first(where: { candidate in
                    let document = ordered[candidate]
                    return step.matches(document) && RuleDocuments.values(of: byField, in: document) == key
                        && RuleDocuments.time(document) - RuleDocuments.time(first) <= maxspan
                }) else { break }
                chain.append(ordered[nextIndex])
                cursor = nextIndex
            }
            if chain.count == steps.count { found.append(chain) }
        }
        return found
    }
}

/// `FROM <pattern> | WHERE … | STATS <name> = COUNT(*) | WHERE <name> == <n>`: the shape of the
/// heartbeat rule, evaluated as ES|QL would over documents already limited to the rule's window.
struct ESQLCountQuery {
    let indexPattern: String
    let filter: Condition?
    let countName: String
    let alertWhenCountIs: Int

    init(_ query: String) throws {
        let stages = query.split(separator: "|").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard stages.count == 4 || stages.count == 3, stages[0].hasPrefix("FROM ") else {
            throw QueryParseError(description: "expected FROM … | [WHERE …] | STATS … | WHERE …")
        }
        indexPattern = String(stages[0].dropFirst(5)).trimmingCharacters(in: .whitespaces)
        var rest = Array(stages.dropFirst())
        if rest.count == 3 {
            guard rest[0].hasPrefix("WHERE ") else { throw QueryParseError(description: "expected WHERE, found \(rest[0])") }
            filter = try ConditionParser.parse(String(rest[0].dropFirst(6)), dialect: .eql)
            rest.removeFirst()
        } else {
            filter = nil
        }
        let stats = try QueryLexer.tokens(rest[0])
        guard stats.count == 7, stats[0] == .word("STATS"), case .word(let name) = stats[1], stats[2] == .symbol("="),
              stats[3] == .word("COUNT"), stats[4] == .symbol("("), stats[5] == .symbol("*"), stats[6] == .symbol(")") else {
            throw QueryParseError(description: "expected STATS <name> = COUNT(*), found \(rest[0])")
        }
        countName = name
        let final = try QueryLexer.tokens(rest[1])
        guard final.count == 4, final[0] == .word("WHERE"), final[1] == .word(name), final[2] == .symbol("=="),
              case .number(let threshold) = final[3] else {
            throw QueryParseError(description: "expected WHERE \(name) == <n>, found \(rest[1])")
        }
        alertWhenCountIs = Int(threshold)
    }

    var fields: [String] { filter?.fields ?? [] }

    /// Rows the query returns (STATS without BY always yields one row; the WHERE keeps it or not).
    func rows(over documents: [(index: String, document: JSONValue)]) -> Int {
        let count = documents.filter { entry in
            Self.glob(indexPattern, matches: entry.index) && (filter?.matches(entry.document) ?? true)
        }.count
        return count == alertWhenCountIs ? 1 : 0
    }

    static func glob(_ pattern: String, matches name: String) -> Bool {
        guard pattern.hasSuffix("*") else { return pattern == name }
        return name.hasPrefix(String(pattern.dropLast()))
    }
}

/// Field access and times on ECS documents.
enum RuleDocuments {
    /// The values at a dotted path (arrays flattened).
    static func values(of path: String, in document: JSONValue) -> [JSONValue] {
        var current: [JSONValue] = [document]
        for component in path.split(separator: ".") {
            current = current.flatMap { value -> [JSONValue] in
                guard let member = value[String(component)] else { return [] }
                return member.arrayValue ?? [member]
            }
        }
        return current.flatMap { $0.arrayValue ?? [$0] }
    }

    static func time(_ document: JSONValue) -> TimeInterval {
        guard let text = document["@timestamp"]?.stringValue else { return 0 }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970 ?? 0
    }

    /// `now-35m` → 2100 seconds.
    static func lookback(_ dateMath: String) throws -> TimeInterval {
        guard dateMath.hasPrefix("now-"), let unit = dateMath.last, let amount = Double(dateMath.dropFirst(4).dropLast()) else {
            throw QueryParseError(description: "not now-<n><unit>: \(dateMath)")
        }
        let seconds: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let factor = seconds[unit] else { throw QueryParseError(description: "unknown unit in \(dateMath)") }
        return amount * factor
    }
}
