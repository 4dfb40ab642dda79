/// A problem with a key file, a trust file or a checkpoint, naming the file and, where it has one, the line.
public struct SigningError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file concerned.
    public var file: String
    /// The 1-based line, when the problem sits on one.
    public var line: Int?
    /// A sentence describing the problem.
    public var message: String

    /// Creates the error.
    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, as compilers print it.
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
