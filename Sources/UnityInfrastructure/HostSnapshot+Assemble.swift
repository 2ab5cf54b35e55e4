import Foundation
import UnityParsers

extension HostSnapshot {
    /// Builds a snapshot from the split sections of one run. `previous` (the last snapshot of
    /// the same host) supplies the CPU counters for the busy percentage and the SMART reports
    /// that growth is judged against. Never throws: each unusable section becomes a
    /// `CollectionError` and the rest of the snapshot still fills.
    public static func assemble(
        sections: [SectionResult], previous: HostSnapshot?
    ) -> (HostSnapshot, [CollectionError]) {
        var assembly = SnapshotAssembly(sections: sections)
        var snapshot = HostSnapshot()
        assembleHost(&snapshot, previous: previous, assembly: &assembly)
        assembleDisks(&snapshot, assembly: &assembly)
        assembleSmart(&snapshot, previous: previous, assembly: &assembly)
        assembleZFS(&snapshot, assembly: &assembly)
        assembleMD(&snapshot, assembly: &assembly)
        assembleDatabases(&snapshot, assembly: &assembly)
        snapshot.unavailable = assembly.unavailable
        return (snapshot, assembly.errors)
    }

    private static func assembleHost(_ snapshot: inout HostSnapshot, previous: HostSnapshot?, assembly: inout SnapshotAssembly) {
        var os = OperatingSystem()
        var sawOS = false
        if let text = assembly.output(SectionName.osRelease) {
            let fields = OSRelease.fields(text)
            os.id = fields["ID"]
            os.name = fields["NAME"]
            os.versionID = fields["VERSION_ID"]
            os.prettyName = fields["PRETTY_NAME"]
            sawOS = true
        }
        if let text = assembly.output(SectionName.uname) {
            if let uname = OSRelease.uname(text) {
                os.kernelName = uname.name
                os.kernelRelease = uname.release
                os.architecture = uname.machine
                sawOS = true
            } else {
                assembly.fail(SectionName.uname, kind: .unreadableOutput, "expected 'kernel-name release machine', got '\(text.prefix(80))'")
            }
        }
        snapshot.operatingSystem = sawOS ? os : nil
        snapshot.hostname = assembly.output(SectionName.hostname).map { $0.trimmingWhitespace }

        if let stat = assembly.parse(SectionName.procStat, ProcStat.parse) {
            snapshot.cpuTimes = stat.total
            snapshot.cpuCount = stat.cpus.isEmpty ? nil : stat.cpus.count
            snapshot.bootTime = stat.bootTime.map { Date(timeIntervalSince1970: TimeInterval($0)) }
            snapshot.cpuPercent = cpuPercent(current: snapshot, previous: previous)
        }
        snapshot.memory = assembly.parse(SectionName.procMeminfo, ProcMeminfo.parse)
        snapshot.load = assembly.parse(SectionName.procLoadavg, ProcLoadavg.parse)
        snapshot.uptimeSeconds = assembly.parse(SectionName.procUptime, ProcUptime.parse)?.seconds
    }

    /// nil on the first cycle and across a reboot (boot time moved: the counters restarted,
    /// even if they happen to be larger than before).
    private static func cpuPercent(current: HostSnapshot, previous: HostSnapshot?) -> Double? {
        guard let now = current.cpuTimes, let before = previous?.cpuTimes else { return nil }
        if let bootNow = current.bootTime, let bootBefore = previous?.bootTime,
           abs(bootNow.timeIntervalSince(bootBefore)) > 5 {
            return nil
        }
        return CPUUsage.percent(previous: before, current: now)
    }

    private static func assembleDisks(_ snapshot: inout HostSnapshot, assembly: inout SnapshotAssembly) {
        if let report = assembly.parse(SectionName.df, DiskFree.parse) {
            assembly.warn(SectionName.df, report.warnings)
            snapshot.filesystems = report.entries.filter { !$0.isPseudoFilesystem }
        }
        if let report = assembly.parse(SectionName.lsblk, Lsblk.parse) {
            assembly.warn(SectionName.lsblk, report.warnings)
            snapshot.blockDevices = report.devices
        }
    }

    private static func assembleDatabases(_ snapshot: inout HostSnapshot, assembly: inout SnapshotAssembly) {
        let listeners = assembly.output(SectionName.listeners)
        let processes = assembly.output(SectionName.processes)
        guard listeners != nil || processes != nil else { return }
        snapshot.databases = DatabaseDiscovery.detect(ss: listeners ?? "", ps: processes ?? "")
    }
}
