import Foundation
import UnityInfrastructure
import UnityParsers

/// Disks (SMART), ZFS pools, md arrays and discovered databases of one snapshot.
enum StorageView {
    static func sections(_ snapshot: HostSnapshot) -> String {
        """
        <section class="card" aria-labelledby="disks-h"><h2 id="disks-h">Disks</h2>\(disks(snapshot.smart))</section>
        <section class="card" aria-labelledby="pools-h"><h2 id="pools-h">ZFS pools</h2>\(pools(snapshot.zpools))</section>
        <section class="card" aria-labelledby="arrays-h"><h2 id="arrays-h">mdadm arrays</h2>\(arrays(snapshot.mdArrays))</section>
        <section class="card" aria-labelledby="databases-h"><h2 id="databases-h">Databases</h2>\(databases(snapshot.databases))</section>
        """
    }

    static func levelBadge(_ level: SmartHealthLevel) -> String {
        let tone = switch level {
        case .healthy: "ok"
        case .warning: "warn"
        case .critical, .failed: "bad"
        case .unknown: "muted"
        }
        return WebHTML.badge(level.rawValue, tone: tone)
    }

    static func disks(_ disks: [SmartDiskStatus]) -> String {
        let esc = WebHTML.esc
        let rows = disks.map { disk -> [String] in
            let report = disk.report
            var attributes: [String] = []
            func add(_ name: String, _ value: Int?) { if let value { attributes.append("\(name) \(value)") } }
            add("reallocated", report.reallocatedSectors)
            add("pending", report.currentPendingSectors)
            add("offline uncorrectable", report.offlineUncorrectable)
            add("CRC errors", report.udmaCRCErrors)
            add("media errors", report.nvmeHealth?.mediaErrors)
            add("wear %", report.nvmeHealth?.percentageUsed)
            let temperature = report.temperatureCelsius ?? report.nvmeHealth?.temperatureCelsius
            let reasons = disk.assessment.reasons.isEmpty ? "" : "<br><small>\(esc(disk.assessment.reasons.joined(separator: "; ")))</small>"
            return ["<code>\(esc(disk.slot))</code>", esc([report.modelName, report.serialNumber].compactMap { $0 }.joined(separator: " · ")),
                    report.capacityBytes.map(WebFormat.bytes) ?? "—", levelBadge(disk.assessment.level) + reasons,
                    temperature.map { "\($0) °C" } ?? "—", (report.powerOnHours ?? report.nvmeHealth?.powerOnHours).map { "\($0) h" } ?? "—",
                    esc(attributes.joined(separator: ", "))]
        }
        return WebHTML.table(headers: ["Device", "Model · serial", "Size", "SMART", "Temp.", "Powered on", "Key attributes"],
                             rows: rows, empty: "No SMART data (no disks reported, or smartctl is not available).")
    }

    static func pools(_ pools: [ZpoolSnapshot]) -> String {
        guard !pools.isEmpty else { return "<p class=\"muted empty\">No ZFS pools.</p>" }
        let esc = WebHTML.esc
        return pools.map { (pool) -> String in
            let state = pool.status?.state ?? pool.list?.health ?? ZpoolState(rawValue: "UNKNOWN")
            let usage = pool.list.map { (list) -> String in
                "\(WebFormat.bytes(list.allocatedBytes)) of \(WebFormat.bytes(list.sizeBytes)) used" + (list.capacityPercent.map { " (\($0) %)" } ?? "")
            } ?? ""
            let scan = pool.status?.scan.map(scanText) ?? "No scrub recorded"
            let groups = [pool.status?.root].compactMap { $0 } + (pool.status.map { $0.logs + $0.cache + $0.spares + $0.special + $0.dedup } ?? [])
            return """
            <article class="pool"><h3>\(esc(pool.name)) \(WebHTML.badge(state.rawValue, tone: state.isHealthy ? "ok" : "bad"))</h3>
            <p>\(esc(usage))</p><p>Scrub: \(esc(scan))</p>
            \(pool.status?.status.map { "<p class=\"error\">\(esc($0))</p>" } ?? "")
            \(groups.isEmpty ? "" : "<ul class=\"vdevs\">" + groups.map(vdev).joined() + "</ul>")</article>
            """
        }.joined()
    }

    static func scanText(_ scan: ZpoolScan) -> String {
        switch scan.state {
        case .inProgress:
            let percent = scan.progress?.percentDone.map { String(format: "%.1f %%", $0) } ?? ""
            return "\(scan.operation.rawValue) in progress \(percent)"
        case .finished:
            return "\(scan.operation.rawValue) finished" + (scan.errors.map { ", \($0) errors" } ?? "")
        default:
            return scan.text
        }
    }

    /// A vdev and its children as a nested list: the pool's tree as `zpool status` prints it.
    static func vdev(_ node: ZpoolVdev) -> String {
        let esc = WebHTML.esc
        let state = node.state.map { WebHTML.badge($0.rawValue, tone: $0.isHealthy ? "ok" : "bad") } ?? ""
        let errors = node.totalErrors > 0 ? " <span class=\"error\">\(node.totalErrors) errors</span>" : ""
        let children = node.children.isEmpty ? "" : "<ul class=\"vdevs\">" + node.children.map(vdev).joined() + "</ul>"
        return "<li><code>\(esc(node.name))</code> \(state)\(errors)\(node.note.map { " <small>\(esc($0))</small>" } ?? "")\(children)</li>"
    }

    static func arrays(_ arrays: [MDArraySnapshot]) -> String {
        let esc = WebHTML.esc
        let rows = arrays.map { array -> [String] in
            let degraded = array.status?.isDegraded == true || array.detail?.isDegraded == true
            let state = array.detail?.state ?? (array.status?.isActive == false ? "inactive" : "active")
            let members = array.status?.members.map { $0.device + ($0.isFaulty ? " (F)" : $0.isSpare ? " (S)" : "") }
                ?? array.detail?.members.compactMap(\.device) ?? []
            var progress = "—"
            if let sync = array.status?.progress {
                let percent = sync.percent ?? 0
                progress = "<progress max=\"100\" value=\"\(String(format: "%.1f", percent))\" aria-label=\"\(esc(array.name)) \(sync.action.rawValue)\"></progress> \(sync.action.rawValue) \(WebFormat.percent(percent))"
            }
            return ["<code>\(esc(array.name))</code>", esc(array.status?.level ?? array.detail?.raidLevel ?? "—"),
                    WebHTML.badge(degraded ? "degraded" : state, tone: degraded ? "bad" : "ok"), esc(members.joined(separator: ", ")), progress]
        }
        return WebHTML.table(headers: ["Array", "Level", "State", "Members", "Sync"], rows: rows, empty: "No md arrays.")
    }

    static func databases(_ databases: [DatabaseInstance]) -> String {
        let esc = WebHTML.esc
        let rows = databases.map { db in
            [esc(db.engine.rawValue), esc(db.processName ?? "—"), db.pid.map(String.init) ?? "—",
             esc(db.listenAddresses.map(\.description).joined(separator: ", "))]
        }
        return WebHTML.table(headers: ["Engine", "Process", "PID", "Listening on"], rows: rows, empty: "No databases discovered.")
    }
}
