import Fluent
import Foundation
import UnityContainers

/// `unity_container_*` and `unity_container_host_*`, rendered at scrape time from the inventory
/// (what the last discovery stored), like the fleet series. Container and host names are
/// inventory: served only behind the same bearer rule (`HealthController.metrics`).
///
/// Cardinality is bounded by the inventory: one series per live container (removed rows are
/// history, not series), state and health carried as a label of a single `1` series, and per-host
/// counts over a fixed list of states. CPU and memory come from the one-shot stats sampled after
/// each discovery (`ContainerStatsSampler`), kept in memory: running containers only.
enum ContainerMetricsExporter {
    /// Docker's container states; a host reports 0 for those it has none in, so a dashboard's series do not vanish.
    static let states = ["created", "running", "paused", "restarting", "removing", "exited", "dead"]

    static func render(on database: any Database, samples: [UUID: ContainerResourceSamples.Entry] = [:]) async throws -> String {
        let hosts = try await ContainerHostRecord.query(on: database).sort(\.$name).all()
        let containers = try await ContainerRecord.query(on: database).filter(\.$removedAt == nil).sort(\.$name).all()
        return render(hosts: hosts, containers: containers, samples: samples)
    }

    static func render(hosts: [ContainerHostRecord], containers: [ContainerRecord], samples: [UUID: ContainerResourceSamples.Entry] = [:]) -> String {
        var out = Families()
        let byHost = Dictionary(grouping: containers, by: \.hostID)
        for host in hosts {
            let base = [("host", host.name)]
            let engine = host.engineKind ?? ""
            out.add("unity_container_host_up", .gauge, "1 when the host's last container discovery reached its engine",
                    base + [("engine", engine)], host.status == ContainerHostRecord.Status.up.rawValue ? 1 : 0)
            if let api = host.apiVersion {
                out.add("unity_container_host_api_version_info", .gauge, "Engine and negotiated Engine API version of a container host; always 1",
                        base + [("engine", engine), ("engine_version", host.engineVersion ?? ""), ("api_version", api)], 1)
            }
            guard let id = host.id else { continue }
            let rows = byHost[id] ?? []
            let extra = Set(rows.map(\.state)).subtracting(states).sorted()
            for state in states + extra {
                out.add("unity_container_host_containers", .gauge, "Containers on the host by state (last discovery)",
                        base + [("state", state)], Double(rows.filter { $0.state == state }.count))
            }
            for row in rows {
                let labels = base + [("container", row.name)]
                out.add("unity_container_state", .gauge, "The container's state as a label; always 1", labels + [("state", row.state)], 1)
                if let health = row.health {
                    out.add("unity_container_health", .gauge, "The container's health-check status as a label; always 1", labels + [("health", health)], 1)
                }
                out.add("unity_container_restarts_total", .counter, "Restarts the engine counted for the container (resets when it is recreated)",
                        labels, Double(row.restartCount))
                if let code = row.exitCode, row.state != "running" {
                    out.add("unity_container_exit_code", .gauge, "Exit code of a container that is not running", labels, Double(code))
                }
                out.add("unity_container_oom_killed", .gauge, "1 when the kernel killed the container's process for lack of memory",
                        labels, row.oomKilled ? 1 : 0)
                guard row.state == "running", let id = row.id, let entry = samples[id] else { continue }
                if let cpu = entry.cpuPercent {
                    out.add("unity_container_cpu_percent", .gauge,
                            "CPU use of a running container in percent of one CPU (docker stats' CPU %), between its last two samples",
                            labels, cpu)
                }
                if let memory = entry.sample.memoryUsedBytes {
                    out.add("unity_container_memory_bytes", .gauge, "Memory a running container uses, without reclaimable page cache (last sample)",
                            labels, Double(memory))
                }
                if let limit = entry.sample.memoryLimitBytes, limit > 0 {
                    out.add("unity_container_memory_limit_bytes", .gauge, "Memory limit of a running container (the host's memory when it has none)",
                            labels, Double(limit))
                }
            }
        }
        return out.text
    }

    /// Families in first-seen order, each with HELP and TYPE once (promtool's lint).
    struct Families {
        enum Kind: String { case gauge, counter }
        private var order: [String] = []
        private var families: [String: (kind: Kind, help: String, samples: [String])] = [:]

        mutating func add(_ name: String, _ kind: Kind, _ help: String, _ labels: [(String, String)], _ value: Double) {
            if families[name] == nil {
                families[name] = (kind, help, [])
                order.append(name)
            }
            let rendered = labels.map { "\($0.0)=\"\(FleetMetricsExporter.escape($0.1))\"" }.joined(separator: ",")
            families[name]?.samples.append("\(name){\(rendered)} \(FleetMetricsExporter.format(value))")
        }

        var text: String {
            order.compactMap { name in
                families[name].map { "# HELP \(name) \($0.help)\n# TYPE \(name) \($0.kind.rawValue)\n" + $0.samples.joined(separator: "\n") + "\n" }
            }.joined()
        }
    }
}
