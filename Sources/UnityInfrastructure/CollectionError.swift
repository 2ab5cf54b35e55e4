/// Why a section gave nothing usable, in the words a user acts on.
public enum CollectionFailureKind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The tool is missing on the host (exit 127, "command not found").
    case notInstalled = "not_installed"
    /// sudo refused or the account may not read the device ("a password is required",
    /// "Permission denied", "Operation not permitted").
    case permissionDenied = "permission_denied"
    case timedOut = "timed_out"
    /// The command answered, but not in a form Unity can read (unknown format, skipped rows).
    case unreadableOutput = "unreadable_output"
    /// The run ended before or inside the section (connection dropped, script killed).
    case incomplete
    /// Any other non-zero exit.
    case failed

    /// Sorts a failure message into a kind by what sudo, the shell and the kernel print.
    public static func classify(_ message: String, exitStatus: Int? = nil) -> CollectionFailureKind {
        let text = message.lowercased()
        let denied = ["permission denied", "a password is required", "operation not permitted", "must be root",
                      "not in the sudoers", "access denied", "are you root"]
        if denied.contains(where: text.contains) { return .permissionDenied }
        if exitStatus == 127 || text.contains("command not found") || text.contains(": not found") { return .notInstalled }
        return .failed
    }
}

/// One thing that went wrong while collecting or reading a section. Recorded per section so a
/// failure never hides the sections (or servers) that worked.
public struct CollectionError: Sendable, Equatable, Codable, CustomStringConvertible {
    public var section: String
    public var command: String
    /// The command's exit status, when it got that far.
    public var exitStatus: Int?
    public var message: String
    public var kind: CollectionFailureKind

    public init(section: String, command: String, exitStatus: Int?, message: String, kind: CollectionFailureKind = .failed) {
        self.section = section
        self.command = command
        self.exitStatus = exitStatus
        self.message = message
        self.kind = kind
    }

    enum CodingKeys: String, CodingKey { case section, command, exitStatus, message, kind }

    /// Errors stored before `kind` existed read as `failed`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        section = try container.decode(String.self, forKey: .section)
        command = try container.decode(String.self, forKey: .command)
        exitStatus = try container.decodeIfPresent(Int.self, forKey: .exitStatus)
        message = try container.decode(String.self, forKey: .message)
        kind = (try? container.decodeIfPresent(CollectionFailureKind.self, forKey: .kind)) ?? .failed
    }

    public var description: String {
        let status = exitStatus.map { " (exit \($0))" } ?? ""
        return "\(section): `\(command)`\(status): \(message)"
    }
}
