import UnityParsers

extension HostSnapshot {
    /// One disk per scanned device + type. Every scanned entry ends as a disk or as a named
    /// `CollectionError`: a monitoring tool that silently loses a disk is worse than none.
    static func assembleSmart(_ snapshot: inout HostSnapshot, previous: HostSnapshot?, assembly: inout SnapshotAssembly) {
        // smartctl's exit status is a bit mask (see SmartctlExitStatus); the scan sets bits for
        // devices it could not open, which the per-device sections report.
        let scan = assembly.parse(SectionName.smartScan, acceptExit: { $0 & 1 == 0 }, SmartctlScanParser.parse)
        var seen: Set<String> = []
        for name in assembly.sections.map(\.name) where seen.insert(name).inserted {
            guard let slot = SectionName.smartDevice(section: name) else { continue }
            // Bits 2–7 describe the disk (no SMART, failing, logged errors), not the
            // collection: they are health input. Only bit 0 (bad command line) or an
            // unparsable answer is a collection error here.
            guard let report = assembly.parse(name, acceptExit: { $0 & 1 == 0 }, SmartctlParser.parse) else { continue }
            if let failure = report.deviceOpenFailure {
                assembly.fail(name, exitStatus: report.exitStatus.rawValue, kind: CollectionFailureKind.classify(failure),
                              "device could not be opened: \(failure)")
            }
            snapshot.smart.append(SmartDiskStatus(device: slot.device, type: slot.type, report: report,
                                                  assessment: SmartAssessment(level: .unknown)))
        }
        qualifyDuplicateIdentities(&snapshot.smart)
        for index in snapshot.smart.indices {
            snapshot.smart[index].assessment = SmartHealth.assess(current: snapshot.smart[index].report,
                                                                  previous: previousReport(for: snapshot.smart[index], in: previous))
        }
        for entry in scan?.devices ?? [] {
            let name = SectionName.smartDevice(entry.device.name, type: entry.device.type)
            guard !seen.contains(name) else { continue }
            let why = entry.openError.map { "smartctl could not open it: \($0)" } ?? "run cut short?"
            assembly.fail(name, kind: entry.openError == nil ? .incomplete : .failed, "scanned device has no smartctl section (\(why))")
        }
    }

    /// Two disks with one serial are still two disks: qualify each by WWN, else by slot.
    static func qualifyDuplicateIdentities(_ disks: inout [SmartDiskStatus]) {
        let counts = Dictionary(grouping: disks.indices, by: { disks[$0].identity })
        for (_, indices) in counts where indices.count > 1 {
            let wwns = Set(indices.compactMap { disks[$0].report.wwn })
            let byWWN = wwns.count == indices.count
            for index in indices { disks[index].identityQualifier = byWWN ? disks[index].report.wwn : disks[index].slot }
        }
    }

    /// The same disk in the previous snapshot, by `SmartDiskStatus.identity` (serial, else WWN,
    /// else device + type).
    private static func previousReport(for disk: SmartDiskStatus, in previous: HostSnapshot?) -> SmartReport? {
        previous?.smart.first { $0.identity == disk.identity }?.report
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
