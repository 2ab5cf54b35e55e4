/// One thing that went wrong while collecting or reading a section. Recorded per section so a
/// failure never hides the sections (or servers) that worked.
public struct CollectionError: Sendable, Equatable, Codable, CustomStringConvertible {
    public var section: String
    public var command: String
    /// The command's exit status, when it got that far.
    public var exitStatus: Int?
    public var message: String

    public init(section: String, command: String, exitStatus: Int?, message: String) {
        self.section = section
        self.command = command
        self.exitStatus = exitStatus
        self.message = message
    }

    public var description: String {
        let status = exitStatus.map { " (exit \($0))" } ?? ""
        return "\(section): `\(command)`\(status): \(message)"
    }
}
