/// smartctl's exit status, which is a bit mask rather than a single code (see `man smartctl`,
/// "RETURN VALUES"). Several bits are routinely set together, e.g. 216 = failing disk + prefail
/// attribute at threshold + error log + self-test log errors, so it must never be compared with `==`.
public struct SmartctlExitStatus: OptionSet, Sendable, Equatable, Hashable, Codable {
    public var rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Bit 0: command line did not parse.
    public static let commandLineError = SmartctlExitStatus(rawValue: 1 << 0)
    /// Bit 1: device open failed, or the device did not return an IDENTIFY answer.
    public static let deviceOpenFailed = SmartctlExitStatus(rawValue: 1 << 1)
    /// Bit 2: some SMART or other ATA command failed, or a SMART data checksum error (virtual
    /// disks without SMART set this too, so alone it is not a health signal).
    public static let smartCommandFailed = SmartctlExitStatus(rawValue: 1 << 2)
    /// Bit 3: SMART status check returned "DISK FAILING".
    public static let diskFailing = SmartctlExitStatus(rawValue: 1 << 3)
    /// Bit 4: prefail attributes are at or below their threshold now.
    public static let prefailAttributesAtThreshold = SmartctlExitStatus(rawValue: 1 << 4)
    /// Bit 5: some attributes were at or below threshold in the past (status OK now).
    public static let attributesWereAtThreshold = SmartctlExitStatus(rawValue: 1 << 5)
    /// Bit 6: the device error log contains records of errors.
    public static let errorLogHasErrors = SmartctlExitStatus(rawValue: 1 << 6)
    /// Bit 7: the device self-test log contains records of errors.
    public static let selfTestLogHasErrors = SmartctlExitStatus(rawValue: 1 << 7)

    /// Names of the bits that are set, lowest bit first, for logs and UI.
    public var setBitNames: [String] {
        let names: [(SmartctlExitStatus, String)] = [
            (.commandLineError, "command line error"),
            (.deviceOpenFailed, "device open failed"),
            (.smartCommandFailed, "SMART command failed"),
            (.diskFailing, "disk failing"),
            (.prefailAttributesAtThreshold, "prefail attributes at or below threshold"),
            (.attributesWereAtThreshold, "attributes were at or below threshold in the past"),
            (.errorLogHasErrors, "error log has errors"),
            (.selfTestLogHasErrors, "self-test log has errors"),
        ]
        return names.filter { contains($0.0) }.map(\.1)
    }
}
