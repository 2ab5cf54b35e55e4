/// Groups of sections the caller can switch on or off per server.
public enum CollectionGroup: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// OS, kernel, hostname, CPU, memory, load, uptime.
    case host
    case filesystems
    case blockDevices
    case smart
    case zfs
    case mdadm
    /// Listening sockets and processes, for database discovery.
    case databases
}

/// Whether privileged reads (smartctl, mdadm, zpool, `ss -p`) are prefixed with `sudo -n`.
/// `-n` never prompts: a missing sudoers rule fails fast with "a password is required"
/// instead of hanging the SSH channel until the timeout.
public enum SudoMode: String, Sendable, Equatable, Hashable, Codable {
    case none
    case nonInteractive
}

/// Names of the fixed sections. Per-device sections are `smartctl:<device>` and
/// `mdadm:<array device>`.
public enum SectionName {
    public static let osRelease = "os-release"
    public static let uname = "uname"
    public static let hostname = "hostname"
    public static let procStat = "proc-stat"
    public static let procMeminfo = "proc-meminfo"
    public static let procLoadavg = "proc-loadavg"
    public static let procUptime = "proc-uptime"
    public static let df = "df"
    public static let lsblk = "lsblk"
    public static let smartScan = "smartctl-scan"
    public static let smartDevicePrefix = "smartctl:"
    public static let zpoolList = "zpool-list"
    public static let zpoolStatus = "zpool-status"
    public static let mdstat = "mdstat"
    public static let mdadmDetailPrefix = "mdadm:"
    public static let mdadm = "mdadm"
    public static let listeners = "listeners"
    public static let processes = "processes"

    /// The fixed sections each group always prints (possibly as "not installed").
    public static func fixed(for group: CollectionGroup) -> [String] {
        switch group {
        case .host: [osRelease, uname, hostname, procStat, procMeminfo, procLoadavg, procUptime]
        case .filesystems: [df]
        case .blockDevices: [lsblk]
        case .smart: [smartScan]
        case .zfs: [zpoolList, zpoolStatus]
        case .mdadm: [mdstat]
        case .databases: [listeners, processes]
        }
    }

    /// The section of one scanned SMART device. Several disks behind one RAID/HBA controller share
    /// a device node (`/dev/bus/0` as `megaraid,0` and `megaraid,1`), so the `-d` type is part of
    /// the name: `smartctl:/dev/bus/0 -d megaraid,1`. Without a type it is `smartctl:/dev/sda`.
    public static func smartDevice(_ device: String, type: String?) -> String {
        guard let type, !type.isEmpty else { return smartDevicePrefix + device }
        return smartDevicePrefix + device + smartTypeSeparator + type
    }

    static let smartTypeSeparator = " -d "

    /// Device and type back from a `smartctl:` section name; nil for other sections.
    public static func smartDevice(section: String) -> (device: String, type: String?)? {
        guard section.hasPrefix(smartDevicePrefix) else { return nil }
        let rest = section.dropFirst(smartDevicePrefix.count)
        guard let range = rest.range(of: smartTypeSeparator, options: .backwards) else { return (String(rest), nil) }
        let type = String(rest[range.upperBound...])
        return (String(rest[..<range.lowerBound]), type.isEmpty ? nil : type)
    }

    /// Human-readable command behind a section, for `CollectionError.command`.
    public static func command(for section: String) -> String {
        if let smart = smartDevice(section: section) {
            return "smartctl --json -x " + (smart.type.map { "-d \($0) " } ?? "") + smart.device
        }
        if section.hasPrefix(mdadmDetailPrefix) {
            return "mdadm --detail \(section.dropFirst(mdadmDetailPrefix.count))"
        }
        switch section {
        case osRelease: return "cat /etc/os-release"
        case uname: return "uname -srm"
        case hostname: return "uname -n"
        case procStat: return "cat /proc/stat"
        case procMeminfo: return "cat /proc/meminfo"
        case procLoadavg: return "cat /proc/loadavg"
        case procUptime: return "cat /proc/uptime"
        case df: return "df -P -B1"
        case lsblk: return "lsblk --json -b"
        case smartScan: return "smartctl --scan-open --json"
        case zpoolList: return "zpool list -Hp"
        case zpoolStatus: return "zpool status -p"
        case mdstat: return "cat /proc/mdstat"
        case mdadm: return "mdadm --detail"
        case listeners: return "ss -H -ltnp"
        case processes: return "ps -eo pid,comm,args"
        default: return section
        }
    }
}
