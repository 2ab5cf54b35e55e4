import Foundation

/// The health gate's answer, with the container's last log lines when it failed.
struct HealthVerdict {
    var passed: Bool
    var detail: String
    var evidence: String = ""
}

extension ContainerUpdateEngine {
    /// With a HEALTHCHECK: `healthy` within the timeout (`starting` keeps waiting, `unhealthy` fails at
    /// once). Without: running, not restarting and the restart count unchanged for `stableSeconds`.
    /// Either way a container that exits or restarts fails at once.
    func healthGate(_ id: String, settings: HealthGateSettings) async throws -> HealthVerdict {
        guard let first = try await engine.inspectContainerRaw(id) else { return HealthVerdict(passed: false, detail: "the container is gone") }
        let started = clock.now()
        let baseline = first.restartCount
        let withHealthcheck = first.hasHealthcheck
        let limit = Double(withHealthcheck ? settings.healthyTimeoutSeconds : settings.stableSeconds)
        var current = first
        while true {
            if !current.running || current.restarting {
                return try await failed(id, "the container is \(current.status.isEmpty ? "not running" : current.status) (exit code \(current.json.at("State", "ExitCode")?.int ?? 0))", settings)
            }
            if current.restartCount != baseline {
                return try await failed(id, "the container restarted (\(current.restartCount - baseline) times) during the gate", settings)
            }
            let waited = clock.now().timeIntervalSince(started)
            if withHealthcheck {
                switch current.healthStatus {
                case "healthy": return HealthVerdict(passed: true, detail: "healthy after \(Int(waited)) s")
                case "unhealthy": return try await failed(id, "the HEALTHCHECK reports unhealthy", settings)
                default:
                    if waited >= limit { return try await failed(id, "still \(current.healthStatus ?? "without a health status") after \(Int(limit)) s", settings) }
                }
            } else if waited >= limit {
                return HealthVerdict(passed: true, detail: "running and stable for \(Int(limit)) s (no HEALTHCHECK), restart count \(baseline)")
            }
            try await clock.sleep(seconds: min(pollSeconds, max(0.05, limit - waited)))
            guard let next = try await engine.inspectContainerRaw(id) else { return HealthVerdict(passed: false, detail: "the container disappeared during the gate") }
            current = next
        }
    }

    private func failed(_ id: String, _ detail: String, _ settings: HealthGateSettings) async throws -> HealthVerdict {
        let lines = settings.evidenceLogLines > 0 ? ((try? await engine.recentLogs(id, lines: settings.evidenceLogLines)) ?? []) : []
        // Capped: the journal line stays readable and a chatty container cannot bloat it.
        let evidence = String(lines.joined(separator: "\n").suffix(16_000))
        return HealthVerdict(passed: false, detail: detail, evidence: evidence)
    }
}
