/// A problem the user fixes by changing configuration (flags, environment, files), never by retrying.
///
/// The CLI maps it to exit code 2. Its message is one line that names the input and what to do,
/// and never carries a secret's value.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
