import Foundation
import UnityAlerts
import UnityContainers
import UnityRegistry

/// Update notifications through the one alert pipeline. Each (container, candidate) is its own alert
/// resource (`container_update`, id `<container id>/<tag:… | digest:…>`), so a candidate is announced
/// once: it fires when first seen, stays firing (no new notification) while it is the candidate,
/// and resolves when the container is updated, the candidate is skipped or a newer one replaces it
/// (which then fires as a new alert). Alert state lives in the database, so a restart announces
/// nothing again. Version bumps and rebuilds of the same tag are two rules, muted separately.
enum ContainerUpdateAlerts {
    static let versionAvailable = "container.update_available"
    static let imageRebuilt = "container.image_rebuilt"

    static let metrics: [AlertMetric] = [
        .init(key: versionAvailable, kind: .metric, source: .containers, resourceType: "container_update", unit: "1 available, 0 otherwise",
              summary: "A newer version tag of the container's image exists (patch, minor or major, as its policy allows)"),
        .init(key: imageRebuilt, kind: .metric, source: .containers, resourceType: "container_update", unit: "1 available, 0 otherwise",
              summary: "The registry serves another image under the container's tag (a rebuild of the same tag)"),
    ]

    static let rules: [AlertRule] = [
        AlertRule(id: AlertCatalogue.ruleID(35), name: "Container version update available", source: .containers, trigger: .metric(versionAvailable),
                  comparison: .greaterOrEqual, threshold: 1, severity: .info),
        AlertRule(id: AlertCatalogue.ruleID(36), name: "Container image rebuilt", source: .containers, trigger: .metric(imageRebuilt),
                  comparison: .greaterOrEqual, threshold: 1, severity: .info),
    ]

    /// What the container's candidate was before a check: its ledger key (`tag:…`, `digest:…`).
    struct Known: Sendable, Equatable {
        var key: String
        var name: String
    }

    static func key(of verdict: UpdateVerdict) -> String? {
        guard verdict.status == .updateAvailable else { return nil }
        if verdict.kind == .digest { return verdict.candidateDigest.map { "digest:\($0)" } }
        return verdict.candidateTag.map { "tag:\($0)" }
    }

    static func metric(forKey key: String) -> String { key.hasPrefix("digest:") ? imageRebuilt : versionAvailable }

    /// Pure. A transient failure says nothing (missing data is not "all clear"); any other verdict
    /// resolves the previous candidate's alert unless it is still the candidate.
    static func observations(verdicts: [UUID: UpdateVerdict], before: [UUID: Known], names: [UUID: String],
                             servers: [UUID: String], at: Date) -> [Observation] {
        var out: [Observation] = []
        for (containerID, verdict) in verdicts where !verdict.transient {
            let name = names[containerID] ?? containerID.uuidString
            func resource(_ key: String, _ label: String) -> ResourceRef {
                ResourceRef(type: "container_update", id: "\(containerID.uuidString)/\(key)", name: label, serverID: servers[containerID])
            }
            let now = key(of: verdict)
            if let previous = before[containerID], previous.key != now {
                out.append(Observation(resource: resource(previous.key, previous.name), key: metric(forKey: previous.key), value: 0, at: at))
            }
            guard let now else { continue }
            let label = "\(name) → \(describe(verdict))"
            out.append(Observation(resource: resource(now, label), key: metric(forKey: now), value: 1,
                                   detail: "\(name) can be updated: \(describe(verdict))", at: at))
        }
        return out
    }

    static func describe(_ verdict: UpdateVerdict) -> String {
        if verdict.kind == .digest {
            return "\(verdict.currentTag ?? "its tag") was rebuilt (\(verdict.candidateDigest.map { String($0.prefix(19)) } ?? "new digest"))"
        }
        let between = verdict.intermediateCount.map { $0 > 0 ? ", \($0) releases in between" : "" } ?? ""
        return "\(verdict.currentTag ?? "?") → \(verdict.candidateTag ?? "?") (\(verdict.kind?.rawValue ?? "version")\(between))"
    }
}
