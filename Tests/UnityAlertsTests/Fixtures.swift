import Foundation
@testable import UnityAlerts

let t0 = Date(timeIntervalSince1970: 1_800_000_000)
let channelA = UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!
let channelB = UUID(uuidString: "00000000-0000-0000-0000-00000000000B")!
let diskRuleID = UUID(uuidString: "00000000-0000-0000-0000-0000000000D1")!
let nas = ResourceRef(type: "disk", id: "nas-sda", name: "nas /dev/sda", serverID: "nas")
let pi = ResourceRef(type: "server", id: "pi", name: "pi")

func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

func diskRule(
    threshold: Double = 90, clear: Double? = nil, forDuration: TimeInterval = 0,
    target: TargetSelector = .all, channels: [UUID] = [channelA, channelB]
) -> AlertRule {
    AlertRule(
        id: diskRuleID, name: "Disk usage", source: .infrastructure, trigger: .metric("disk.used_percent"),
        comparison: .greaterOrEqual, threshold: threshold, clearThreshold: clear, forDuration: forDuration,
        severity: .warning, target: target, channelIDs: channels
    )
}

func usage(_ value: Double, _ seconds: TimeInterval, _ resource: ResourceRef = nas, tags: Set<String> = []) -> Observation {
    Observation(resource: resource, tags: tags, key: "disk.used_percent", value: value, at: at(seconds))
}

/// Deterministic alert ids: 1, 2, 3…
func counterEngine() -> AlertEngine {
    let counter = Counter()
    return AlertEngine { counter.next() }
}

final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func next() -> UUID {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", value)) ?? UUID()
    }
}

/// Replays evaluations like the app would: keeps the stored alerts between calls.
struct Harness {
    var engine = counterEngine()
    var rule: AlertRule
    var stored: [UUID: AlertState] = [:]
    var maintenance = Maintenance.none
    var sent: [NotificationIntent] = []
    var suppressed: [NotificationIntent] = []

    init(rule: AlertRule) { self.rule = rule }

    var active: [AlertState] { stored.values.filter { $0.status.isActive }.sorted { $0.id.uuidString < $1.id.uuidString } }

    @discardableResult
    mutating func observe(_ observations: [Observation], now: Date) -> EvaluationResult {
        let result = engine.evaluate(rule: rule, observations: observations, existing: Array(stored.values), maintenance: maintenance, now: now)
        persist(result)
        return result
    }

    @discardableResult
    mutating func observe(_ observation: Observation) -> EvaluationResult {
        observe([observation], now: observation.at)
    }

    mutating func persist(_ result: EvaluationResult) {
        for alert in result.updatedAlerts { stored[alert.id] = alert }
        for id in result.discardedAlertIDs { stored[id] = nil }
        sent += result.notifications
        suppressed += result.suppressed
    }

    func sent(_ event: NotificationEvent) -> [NotificationIntent] { sent.filter { $0.event == event } }
}
