import UnityParsers

extension HostSnapshot {
    static func assembleSmart(_ snapshot: inout HostSnapshot, previous: HostSnapshot?, assembly: inout SnapshotAssembly) {
        // smartctl's exit status is a bit mask (see SmartctlExitStatus); the scan sets bits for
        // devices it could not open, which the per-device sections report.
        let scan = assembly.parse(SectionName.smartScan, acceptExit: { $0 & 1 == 0 }, SmartctlScanParser.parse)
        let prefix = SectionName.smartDevicePrefix
        let deviceSections = assembly.sections.map(\.name).filter { $0.hasPrefix(prefix) }
        var seen: Set<String> = []
        for name in deviceSections where seen.insert(name).inserted {
            let device = String(name.dropFirst(prefix.count))
            // Bits 2–7 describe the disk (no SMART, failing, logged errors), not the
            // collection: they are health input. Only bit 0 (bad command line) or an
            // unparsable answer is a collection error here.
            guard let report = assembly.parse(name, acceptExit: { $0 & 1 == 0 }, SmartctlParser.parse) else { continue }
            if let failure = report.deviceOpenFailure {
                assembly.fail(name, exitStatus: report.exitStatus.rawValue, "device could not be opened: \(failure)")
            }
            let before = previousReport(for: report, device: device, in: previous)
            snapshot.smart.append(SmartDiskStatus(
                device: device, report: report, assessment: SmartHealth.assess(current: report, previous: before)))
        }
        for entry in scan?.devices ?? [] where !seen.contains(prefix + entry.device.name) {
            assembly.fail(prefix + entry.device.name, "scanned device has no smartctl section (run cut short?)")
        }
    }

    /// Same serial number when the drive reports one (disks move between ports); otherwise the
    /// same device path.
    private static func previousReport(for report: SmartReport, device: String, in previous: HostSnapshot?) -> SmartReport? {
        guard let previous else { return nil }
        if let serial = report.serialNumber {
            return previous.smart.first { $0.report.serialNumber == serial }?.report
        }
        return previous.smart.first { $0.device == device && $0.report.serialNumber == nil }?.report
    }

    static func assembleZFS(_ snapshot: inout HostSnapshot, assembly: inout SnapshotAssembly) {
        let list = assembly.parse(SectionName.zpoolList, ZpoolListParser.parse) ?? []
        let statuses = assembly.parse(SectionName.zpoolStatus, ZpoolStatusParser.parse) ?? []
        var pools = list.map { ZpoolSnapshot(name: $0.name, list: $0) }
        for status in statuses {
            if let index = pools.firstIndex(where: { $0.name == status.name && $0.status == nil }) {
                pools[index].status = status
            } else {
                pools.append(ZpoolSnapshot(name: status.name, status: status))
            }
        }
        snapshot.zpools = pools
    }

    static func assembleMD(_ snapshot: inout HostSnapshot, assembly: inout SnapshotAssembly) {
        let report = assembly.parse(SectionName.mdstat, ProcMdstat.parse)
        if let report { assembly.warn(SectionName.mdstat, report.warnings) }
        _ = assembly.output(SectionName.mdadm)  // "mdadm not installed" goes to `unavailable`
        var arrays = (report?.arrays ?? []).map { MDArraySnapshot(name: $0.name, status: $0) }
        let prefix = SectionName.mdadmDetailPrefix
        for name in assembly.sections.map(\.name) where name.hasPrefix(prefix) {
            guard let detail = assembly.parse(name, MdadmDetail.parse) else { continue }
            assembly.warn(name, detail.warnings)
            let device = name.dropFirst(prefix.count)
            let arrayName = String(device.split(separator: "/").last ?? device)
            if let index = arrays.firstIndex(where: { $0.name == arrayName && $0.detail == nil }) {
                arrays[index].detail = detail
            } else {
                arrays.append(MDArraySnapshot(name: arrayName, detail: detail))
            }
        }
        snapshot.mdArrays = arrays
    }
}
