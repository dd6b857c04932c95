import Foundation
import ShipperCore

/// JSON as Foundation's `JSONSerialization` reads it, turned into `JSONValue` only afterwards so
/// tests can compare. The oracle for the fakes, the benchmark's fake and the differential test:
/// none of it goes through the product's `JSONParser`.
public enum FoundationJSON {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses `bytes` (any top-level value) with JSONSerialization.
    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        let object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        guard let value = value(of: object) else {
            throw Failure(description: "JSONSerialization returned \(type(of: object)), which JSON has no form for")
        }
        return value
    }

    /// Parses `bytes` and requires an object, as Elasticsearch does for a document or an action.
    public static func parseObject(_ bytes: some Collection<UInt8>) throws -> [String: JSONValue] {
        guard case .object(let members) = try parse(bytes) else {
            throw Failure(description: "not a JSON object")
        }
        return members
    }

    /// Foundation's object graph as a `JSONValue`; nil for anything that is not JSON.
    public static func value(of object: Any) -> JSONValue? {
        switch object {
        case is NSNull:
            return .null
        case let text as String:
            return .string(text)
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber with the C type "c".
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            return .number(number.doubleValue)
        case let decimal as Decimal:
            return .number(NSDecimalNumber(decimal: decimal).doubleValue)
        case let array as [Any]:
            var elements: [JSONValue] = []
            elements.reserveCapacity(array.count)
            for element in array {
                guard let converted = value(of: element) else { return nil }
                elements.append(converted)
            }
            return .array(elements)
        case let dictionary as [String: Any]:
            var members: [String: JSONValue] = [:]
            for (key, member) in dictionary {
                guard let converted = value(of: member) else { return nil }
                members[key] = converted
            }
            return .object(members)
        default:
            return nil
        }
    }
}
