/// One `smartctl --json -x /dev/X` answer (ATA, NVMe or SCSI), reduced to what health monitoring
/// needs. Every field except the run metadata is optional because smartctl leaves out whatever
/// the device or the smartctl version does not report.
public struct SmartReport: Sendable, Equatable, Codable {
    /// smartctl's own version, e.g. "7.3".
    public var smartctlVersion: String?
    public var exitStatus: SmartctlExitStatus
    public var messages: [SmartctlMessage]
    /// Set when smartctl could not open the device (exit bit 1): the message smartctl printed.
    /// Such a report carries no device data; it is a typed outcome, not a parse error, because the
    /// output itself was well-formed.
    public var deviceOpenFailure: String?

    public var device: SmartDevice?
    public var modelFamily: String?
    public var modelName: String?
    public var serialNumber: String?
    public var firmwareVersion: String?
    public var capacityBytes: Int?
    /// Spindle speed; 0 means a solid-state device.
    public var rotationRateRPM: Int?

    /// `smart_support.available`; `false` for virtual disks (QEMU, VirtIO-SCSI) and many USB bridges.
    public var smartAvailable: Bool?
    public var smartEnabled: Bool?
    /// `smart_status.passed`: the drive's own overall-health verdict.
    public var smartPassed: Bool?

    public var temperatureCelsius: Int?
    public var powerOnHours: Int?
    public var powerCycleCount: Int?

    /// ATA attribute table, in the order smartctl printed it.
    public var ataAttributes: [SmartAttribute]
    /// Number of errors the ATA error log has recorded over the drive's life (not only those kept).
    public var ataErrorLogCount: Int?
    public var nvmeHealth: NVMeHealthLog?
    /// SCSI/SAS "Elements in grown defect list": sectors remapped since manufacture.
    public var scsiGrownDefectList: Int?
    public var scsiUncorrectedReadErrors: Int?
    public var scsiUncorrectedWriteErrors: Int?
    public var scsiUncorrectedVerifyErrors: Int?
    /// World Wide Name as smartctl prints it ("5 0014ee 2b1234567" for ATA, the logical unit id
    /// for SCSI): unique per disk, unlike serials, which redaction scripts and some bridges blank.
    public var wwn: String?

    public init(
        smartctlVersion: String? = nil,
        exitStatus: SmartctlExitStatus = [],
        messages: [SmartctlMessage] = [],
        deviceOpenFailure: String? = nil,
        device: SmartDevice? = nil,
        modelFamily: String? = nil,
        modelName: String? = nil,
        serialNumber: String? = nil,
        firmwareVersion: String? = nil,
        capacityBytes: Int? = nil,
        rotationRateRPM: Int? = nil,
        smartAvailable: Bool? = nil,
        smartEnabled: Bool? = nil,
        smartPassed: Bool? = nil,
        temperatureCelsius: Int? = nil,
        powerOnHours: Int? = nil,
        powerCycleCount: Int? = nil,
        ataAttributes: [SmartAttribute] = [],
        ataErrorLogCount: Int? = nil,
        nvmeHealth: NVMeHealthLog? = nil,
        scsiGrownDefectList: Int? = nil,
        scsiUncorrectedReadErrors: Int? = nil,
        scsiUncorrectedWriteErrors: Int? = nil
    ) {
        self.smartctlVersion = smartctlVersion
        self.exitStatus = exitStatus
        self.messages = messages
        self.deviceOpenFailure = deviceOpenFailure
        self.device = device
        self.modelFamily = modelFamily
        self.modelName = modelName
        self.serialNumber = serialNumber
        self.firmwareVersion = firmwareVersion
        self.capacityBytes = capacityBytes
        self.rotationRateRPM = rotationRateRPM
        self.smartAvailable = smartAvailable
        self.smartEnabled = smartEnabled
        self.smartPassed = smartPassed
        self.temperatureCelsius = temperatureCelsius
        self.powerOnHours = powerOnHours
        self.powerCycleCount = powerCycleCount
        self.ataAttributes = ataAttributes
        self.ataErrorLogCount = ataErrorLogCount
        self.nvmeHealth = nvmeHealth
        self.scsiGrownDefectList = scsiGrownDefectList
        self.scsiUncorrectedReadErrors = scsiUncorrectedReadErrors
        self.scsiUncorrectedWriteErrors = scsiUncorrectedWriteErrors
    }

    /// HDD, SATA SSD or NVMe: they have different safe temperatures and failure signals.
    public var mediaType: SmartMediaType {
        if device?.protocolKind == .nvme || nvmeHealth != nil { return .nvme }
        guard let rotationRateRPM else { return .unknown }
        return rotationRateRPM > 0 ? .hdd : .ssd
    }
}

/// One entry of `smartctl.messages`, e.g. an open failure or "This result is based on an
/// Attribute check."
public struct SmartctlMessage: Sendable, Equatable, Codable {
    public var text: String
    /// "error", "warning" or "information" in smartctl ≥ 7.0; `nil` when absent.
    public var severity: String?

    public init(text: String, severity: String? = nil) {
        self.text = text
        self.severity = severity
    }
}
