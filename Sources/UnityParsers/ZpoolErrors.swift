/// The `errors:` part of `zpool status`: data the pool knows it has lost.
public struct ZpoolErrors: Sendable, Equatable, Codable {
    /// "No known data errors".
    public var noKnownDataErrors: Bool
    /// "N data errors, use '-v' for a list".
    public var dataErrorCount: Int?
    /// "Permanent errors have been detected in the following files:" (`zpool status -v`).
    public var permanentErrorsDetected: Bool
    /// Files (or `<metadata>:<0x…>` objects) listed after the permanent-errors line.
    public var affectedFiles: [String]
    /// Any other message, e.g. "List of errors unavailable: permission denied".
    public var messages: [String]

    public init(
        noKnownDataErrors: Bool = false, dataErrorCount: Int? = nil, permanentErrorsDetected: Bool = false,
        affectedFiles: [String] = [], messages: [String] = []
    ) {
        self.noKnownDataErrors = noKnownDataErrors
        self.dataErrorCount = dataErrorCount
        self.permanentErrorsDetected = permanentErrorsDetected
        self.affectedFiles = affectedFiles
        self.messages = messages
    }

    public var hasDataErrors: Bool {
        (dataErrorCount ?? 0) > 0 || permanentErrorsDetected || !affectedFiles.isEmpty
    }
}
