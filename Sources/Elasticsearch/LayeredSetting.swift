#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// One setting as given by a flag and by the environment; the flag wins. The environment is only
/// read when no flag is given, so a broken `<NAME>_FILE` does not fail a run that overrides it.
struct Layered: Equatable {
    let value: String?
    let fromFlag: Bool

    init(flag: String?, environment: String?) {
        if let flag, !flag.isEmpty {
            value = flag
            fromFlag = true
        } else {
            value = environment
            fromFlag = false
        }
    }

    init(flag: String?, environment: () throws -> String?) throws {
        if let flag, !flag.isEmpty {
            self.init(flag: flag, environment: nil)
        } else {
            self.init(flag: nil, environment: try environment())
        }
    }

    private init(value: String?, fromFlag: Bool) {
        self.value = value
        self.fromFlag = fromFlag
    }

    var isSet: Bool { value != nil }

    /// A setting made of two parts (user and password): set when either is, a flag when either is.
    static func combined(_ first: Layered, _ second: Layered) -> Layered {
        Layered(value: first.value ?? second.value, fromFlag: first.fromFlag || second.fromFlag)
    }

    enum Choice: Equatable {
        case first(String)
        case second(String)
        case neither
    }

    /// Two mutually exclusive settings: a flag beats the environment; both at the same level is
    /// the user's mistake, reported with `conflict`.
    static func pickOne(_ first: Layered, _ second: Layered, conflict: String) throws -> Choice {
        switch (first.value, second.value) {
        case (nil, nil):
            return .neither
        case (let value?, nil):
            return .first(value)
        case (nil, let value?):
            return .second(value)
        case (let one?, let other?):
            if first.fromFlag != second.fromFlag {
                return first.fromFlag ? .first(one) : .second(other)
            }
            throw ConfigurationError(first.fromFlag ? conflict.replacingEnvironmentWording() : conflict)
        }
    }
}

extension String {
    /// Rewords an environment conflict for flags ("are set" becomes "were given as flags").
    fileprivate func replacingEnvironmentWording() -> String {
        "conflicting command-line options: " + self.replacingEvery(" are set;", with: " were given;")
    }
}
