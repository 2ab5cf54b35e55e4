/// Password rules for Unity's own users. Long passphrases beat composition rules (NIST SP 800-63B),
/// so the only rule is a minimum length, which an admin may lower for a lab that wants it.
public struct PasswordPolicy: Sendable, Equatable {
    public static let defaultMinimumLength = 12
    public static let maximumLength = 72  // bcrypt ignores bytes past 72: refuse rather than truncate silently

    public var minimumLength: Int

    public init(minimumLength: Int = PasswordPolicy.defaultMinimumLength) {
        self.minimumLength = minimumLength
    }

    /// Nil when acceptable, else the reason to show next to the field.
    public func problem(with password: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if password.utf8.count > Self.maximumLength { return "must be at most \(Self.maximumLength) bytes" }
        return nil
    }
}
