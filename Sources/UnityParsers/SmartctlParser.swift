/// Parses `smartctl --json -x /dev/X` (also `-a`, `-i -H -A`, any smartctl ≥ 7.0) for ATA, NVMe
/// and SCSI devices.
///
/// Only the JSON envelope is required: a document without the `smartctl` block is not smartctl
/// output and throws. Everything else is optional, since drives, bridges and smartctl versions
/// each leave out different parts.
public enum SmartctlParser {
    static let source = "smartctl --json"

    public static func parse(_ output: String) throws(ParseError) -> SmartReport {
        guard let root = SmartJSON.parse(output) else {
            throw ParseError(source: source, reason: "output is not valid JSON")
        }
        guard root.isObject else {
            throw ParseError(source: source, reason: "top-level JSON value is not an object")
        }
        let run = root["smartctl"]
        // Tools that store smartctl's answer (Scrutiny's collector) sometimes drop the run block;
        // a device block with health data is still smartctl's JSON.
        let stored = root["device"].isObject
            && (root["smart_status"].isObject || root["ata_smart_attributes"].isObject
                || root["nvme_smart_health_information_log"].isObject || root["scsi_grown_defect_list"].value != nil)
        guard run.isObject || stored else {
            throw ParseError(source: source, reason: "missing \"smartctl\" block; not smartctl JSON output")
        }

        var report = SmartReport()
        report.smartctlVersion = version(run["version"])
        report.exitStatus = SmartctlExitStatus(rawValue: run["exit_status"].int ?? 0)
        report.messages = run["messages"].array.compactMap { message in
            message["string"].string.map { SmartctlMessage(text: $0, severity: message["severity"].string) }
        }
        if report.exitStatus.contains(.deviceOpenFailed) {
            let errors = report.messages.filter { $0.severity == "error" }
            report.deviceOpenFailure = (errors.first ?? report.messages.first)?.text ?? "device open failed"
        }

        readIdentity(root, into: &report)
        readHealth(root, into: &report)
        report.ataAttributes = root["ata_smart_attributes"]["table"].array.compactMap(attribute)
        let errorLog = root["ata_smart_error_log"]
        report.ataErrorLogCount = errorLog["extended"]["count"].int ?? errorLog["summary"]["count"].int
        report.nvmeHealth = nvmeHealth(root["nvme_smart_health_information_log"])
        report.scsiGrownDefectList = root["scsi_grown_defect_list"].int
        let scsiErrors = root["scsi_error_counter_log"]
        report.scsiUncorrectedReadErrors = scsiErrors["read"]["total_uncorrected_errors"].int
        report.scsiUncorrectedWriteErrors = scsiErrors["write"]["total_uncorrected_errors"].int
        report.scsiUncorrectedVerifyErrors = scsiErrors["verify"]["total_uncorrected_errors"].int
        return report
    }

    private static func version(_ json: SmartJSON) -> String? {
        let parts = json.array.compactMap(\.int)
        return parts.isEmpty ? nil : parts.map(String.init).joined(separator: ".")
    }

    private static func readIdentity(_ root: SmartJSON, into report: inout SmartReport) {
        let device = root["device"]
        if let name = device["name"].string {
            report.device = SmartDevice(
                name: name, infoName: device["info_name"].string,
                type: device["type"].string, protocol: device["protocol"].string)
        }
        report.modelFamily = root["model_family"].string
        // SCSI devices report vendor/product/revision instead of model/firmware.
        report.modelName = root["model_name"].string ?? root["scsi_model_name"].string
        report.serialNumber = root["serial_number"].string
        report.firmwareVersion = root["firmware_version"].string ?? root["scsi_revision"].string
        report.capacityBytes = root["user_capacity"]["bytes"].int ?? root["nvme_total_capacity"].int
        report.rotationRateRPM = root["rotation_rate"].int
        report.wwn = wwn(root)
    }

    /// `wwn` {naa, oui, id} formatted like smartctl's text output; SCSI's `logical_unit_id`.
    private static func wwn(_ root: SmartJSON) -> String? {
        let block = root["wwn"]
        if let naa = block["naa"].int, let oui = block["oui"].int, let id = block["id"].int, naa >= 0, oui >= 0, id >= 0 {
            return "\(String(naa, radix: 16)) \(String(oui, radix: 16).leftPadded(6)) \(String(id, radix: 16).leftPadded(9))"
        }
        return root["logical_unit_id"].string.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func readHealth(_ root: SmartJSON, into report: inout SmartReport) {
        report.smartAvailable = root["smart_support"]["available"].bool
        report.smartEnabled = root["smart_support"]["enabled"].bool
        report.smartPassed = root["smart_status"]["passed"].bool
        report.temperatureCelsius = root["temperature"]["current"].int
        report.powerOnHours = root["power_on_time"]["hours"].int
        report.powerCycleCount = root["power_cycle_count"].int
    }

    private static func attribute(_ row: SmartJSON) -> SmartAttribute? {
        guard let id = row["id"].int else { return nil }
        let whenFailed = row["when_failed"].string
        return SmartAttribute(
            id: id,
            name: row["name"].string ?? "Unknown_Attribute",
            normalized: row["value"].int,
            worst: row["worst"].int,
            threshold: row["thresh"].int,
            whenFailed: (whenFailed?.isEmpty ?? true) ? nil : whenFailed,
            rawValue: row["raw"]["value"].int,
            rawString: row["raw"]["string"].string,
            prefailure: row["flags"]["prefailure"].bool)
    }

    private static func nvmeHealth(_ log: SmartJSON) -> NVMeHealthLog? {
        guard log.isObject else { return nil }
        return NVMeHealthLog(
            criticalWarning: log["critical_warning"].int.map(NVMeCriticalWarning.init(rawValue:)),
            temperatureCelsius: log["temperature"].int,
            availableSpare: log["available_spare"].int,
            availableSpareThreshold: log["available_spare_threshold"].int,
            percentageUsed: log["percentage_used"].int,
            powerCycles: log["power_cycles"].int,
            powerOnHours: log["power_on_hours"].int,
            unsafeShutdowns: log["unsafe_shutdowns"].int,
            mediaErrors: log["media_errors"].int,
            errorLogEntries: log["num_err_log_entries"].int)
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
