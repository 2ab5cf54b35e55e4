/// `nvme_smart_health_information_log` (NVMe spec "SMART / Health Information", log page 02h).
public struct NVMeHealthLog: Sendable, Equatable, Codable {
    public var criticalWarning: NVMeCriticalWarning?
    public var temperatureCelsius: Int?
    /// Remaining spare capacity, percent.
    public var availableSpare: Int?
    /// Vendor threshold for `availableSpare`; below it the drive raises critical warning bit 0.
    public var availableSpareThreshold: Int?
    /// Vendor estimate of life used, percent; may exceed 100.
    public var percentageUsed: Int?
    public var powerCycles: Int?
    public var powerOnHours: Int?
    public var unsafeShutdowns: Int?
    /// Unrecovered data integrity errors (the NVMe analogue of uncorrectable sectors).
    public var mediaErrors: Int?
    /// Entries in the error information log. Often benign (e.g. rejected admin commands), so it
    /// is reported but not judged.
    public var errorLogEntries: Int?

    public init(
        criticalWarning: NVMeCriticalWarning? = nil, temperatureCelsius: Int? = nil,
        availableSpare: Int? = nil, availableSpareThreshold: Int? = nil,
        percentageUsed: Int? = nil, powerCycles: Int? = nil, powerOnHours: Int? = nil,
        unsafeShutdowns: Int? = nil, mediaErrors: Int? = nil, errorLogEntries: Int? = nil
    ) {
        self.criticalWarning = criticalWarning
        self.temperatureCelsius = temperatureCelsius
        self.availableSpare = availableSpare
        self.availableSpareThreshold = availableSpareThreshold
        self.percentageUsed = percentageUsed
        self.powerCycles = powerCycles
        self.powerOnHours = powerOnHours
        self.unsafeShutdowns = unsafeShutdowns
        self.mediaErrors = mediaErrors
        self.errorLogEntries = errorLogEntries
    }
}

/// The NVMe "Critical Warning" byte, decoded bit by bit.
public struct NVMeCriticalWarning: OptionSet, Sendable, Equatable, Hashable, Codable {
    public var rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Bit 0: available spare fell below the threshold.
    public static let availableSpareBelowThreshold = NVMeCriticalWarning(rawValue: 1 << 0)
    /// Bit 1: a temperature is above an over- or below an under-temperature threshold. The only
    /// bit that is about the environment rather than the device wearing out.
    public static let temperatureOutOfRange = NVMeCriticalWarning(rawValue: 1 << 1)
    /// Bit 2: NVM subsystem reliability degraded by media or internal errors.
    public static let reliabilityDegraded = NVMeCriticalWarning(rawValue: 1 << 2)
    /// Bit 3: media placed in read-only mode.
    public static let readOnly = NVMeCriticalWarning(rawValue: 1 << 3)
    /// Bit 4: volatile memory backup device (power-loss capacitors) failed.
    public static let volatileMemoryBackupFailed = NVMeCriticalWarning(rawValue: 1 << 4)
    /// Bit 5: persistent memory region became read-only or unreliable.
    public static let persistentMemoryRegionUnreliable = NVMeCriticalWarning(rawValue: 1 << 5)

    /// Every bit except the temperature one: these mean the device itself is degrading.
    public var deviceDegradationBits: NVMeCriticalWarning {
        subtracting(.temperatureOutOfRange)
    }

    public var setBitNames: [String] {
        let names: [(NVMeCriticalWarning, String)] = [
            (.availableSpareBelowThreshold, "available spare below threshold"),
            (.temperatureOutOfRange, "temperature out of range"),
            (.reliabilityDegraded, "reliability degraded"),
            (.readOnly, "media read-only"),
            (.volatileMemoryBackupFailed, "volatile memory backup failed"),
            (.persistentMemoryRegionUnreliable, "persistent memory region unreliable"),
        ]
        var result = names.filter { contains($0.0) }.map(\.1)
        // Reserved bits 6-7 (or garbage) are kept visible rather than silently dropped.
        if rawValue & ~0x3F != 0 { result.append("unknown bits 0x\(String(rawValue & ~0x3F, radix: 16))") }
        return result
    }
}
