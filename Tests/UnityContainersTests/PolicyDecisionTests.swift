import Foundation
import Testing
import UnityRegistry
@testable import UnityContainers

/// The pure preflight decision over gathered facts, and host-aware gating.
@Suite struct PolicyDecisionTests {
    static let now = MaintenanceWindowTests.utc("2026-06-10T12:00:00Z") // Wednesday
    static let subject = PolicySubject(containerID: UUID(), hostID: UUID())
    static let sundayNight = MaintenanceWindow(startMinute: 120, durationMinutes: 120, timeZone: "Europe/Berlin", weekdays: [.sun])

    static func effective(_ settings: UpdatePolicySettings) -> EffectivePolicy {
        EffectivePolicy.resolve(subject, policies: [UpdatePolicy(id: UUID(), name: "p", scope: .global, priority: 0, settings: settings)])
    }

    static func request(_ trigger: UpdateTrigger, override: Bool = false) -> UpdateRequest {
        UpdateRequest(containerID: subject.containerID, hostID: subject.hostID, candidateReference: "nginx:1.28",
                      trigger: trigger, requestedBy: "alice", overrideWindow: override)
    }

    static func decide(_ trigger: UpdateTrigger, _ settings: UpdatePolicySettings, kind: UpdateKind? = .minor,
                       firstSeen: Date? = now.addingTimeInterval(-30 * 86400), gates: [String] = [], approved: Bool = false,
                       override: Bool = false, at time: Date = now) -> UpdatePreflightVerdict {
        PolicyDecision.decide(PreflightFacts(request: request(trigger, override: override), policy: effective(settings), kind: kind,
                                             firstSeenAt: firstSeen, hostGateReasons: gates, approved: approved), now: time)
    }

    @Test func autoProceedsWithThePolicysOptions() {
        let gate = HealthGateSettings(stableSeconds: 10, healthyTimeoutSeconds: 60, evidenceLogLines: 20)
        let verdict = Self.decide(.policy, UpdatePolicySettings(mode: .auto, requireBackup: true, healthGate: gate, maxParallelPerHost: 3))
        #expect(verdict == .proceed(UpdateApplyOptions(requireBackup: true, healthGate: gate, maxParallelPerHost: 3)))
    }

    @Test func kindNotAllowedIsRefusedForEveryTrigger() {
        for trigger in [UpdateTrigger.policy, .approval, .manual] {
            guard case .refused(let reason) = Self.decide(trigger, UpdatePolicySettings(mode: .auto), kind: .major, approved: true) else {
                Issue.record("\(trigger) not refused"); continue
            }
            #expect(reason.contains("major"))
        }
        #expect(Self.decide(.policy, UpdatePolicySettings(mode: .auto, allowedKinds: [.major]), kind: .major) == .proceed(UpdateApplyOptions()))
    }

    @Test func modes() {
        guard case .refused = Self.decide(.policy, UpdatePolicySettings(mode: .notify)) else { Issue.record("notify applied"); return }
        guard case .needsApproval = Self.decide(.policy, UpdatePolicySettings(mode: .approve)) else { Issue.record("no approval asked"); return }
        #expect(Self.decide(.policy, UpdatePolicySettings(mode: .approve), approved: true) == .proceed(UpdateApplyOptions()))
        guard case .needsApproval = Self.decide(.approval, UpdatePolicySettings(mode: .approve)) else { Issue.record("approval run without approval"); return }
        #expect(Self.decide(.approval, UpdatePolicySettings(mode: .approve), approved: true) == .proceed(UpdateApplyOptions()))
        // A person's "update now" needs no approval and works under notify.
        #expect(Self.decide(.manual, UpdatePolicySettings(mode: .notify)) == .proceed(UpdateApplyOptions()))
        #expect(Self.decide(.manual, UpdatePolicySettings(mode: .approve)) == .proceed(UpdateApplyOptions()))
    }

    @Test func releaseAge() {
        let threeDays = UpdatePolicySettings(mode: .auto, minimumReleaseAgeSeconds: 3 * 86400)
        let seen = Self.now.addingTimeInterval(-86400)
        guard case .deferred(let reason, let until) = Self.decide(.policy, threeDays, firstSeen: seen) else { Issue.record("young release applied"); return }
        #expect(until == seen.addingTimeInterval(3 * 86400))
        #expect(reason.contains("1 d") && reason.contains("3 d"))
        guard case .deferred(let unknown, nil) = Self.decide(.policy, threeDays, firstSeen: nil) else { Issue.record("unknown age applied"); return }
        #expect(unknown.contains("unknown"))
        #expect(Self.decide(.policy, threeDays, firstSeen: Self.now.addingTimeInterval(-4 * 86400)) == .proceed(UpdateApplyOptions()))
        #expect(Self.decide(.manual, threeDays, firstSeen: nil) == .proceed(UpdateApplyOptions()), "manual skips the age")
        #expect(Self.decide(.policy, UpdatePolicySettings(mode: .auto), firstSeen: nil) == .proceed(UpdateApplyOptions()), "no minimum, no age needed")
    }

    @Test func windowGatesEveryTriggerUnlessOverridden() {
        let windowed = UpdatePolicySettings(mode: .auto, windows: [Self.sundayNight])
        // Sunday 14 June 02:00 CEST = 00:00 UTC.
        let opens = MaintenanceWindowTests.utc("2026-06-14T00:00:00Z")
        for trigger in [UpdateTrigger.policy, .manual] {
            guard case .deferred(let reason, let until) = Self.decide(trigger, windowed, approved: true) else {
                Issue.record("\(trigger) outside the window"); continue
            }
            #expect(until == opens && reason.contains("maintenance window"))
        }
        #expect(Self.decide(.manual, windowed, override: true) == .proceed(UpdateApplyOptions()))
        guard case .deferred = Self.decide(.policy, windowed, override: true) else { Issue.record("a policy run used the override"); return }
        #expect(Self.decide(.policy, windowed, at: opens.addingTimeInterval(600)) == .proceed(UpdateApplyOptions()))
    }

    @Test func hostGatesDeferEvenManualAndOverriddenRequests() {
        let gates = ["md array md1 is degraded"]
        guard case .deferred(let reason, nil) = Self.decide(.manual, UpdatePolicySettings(), gates: gates, override: true) else {
            Issue.record("gate ignored"); return
        }
        #expect(reason == "md array md1 is degraded")
        // Several reasons are reported together; the end is unknown while a gate holds.
        let windowed = UpdatePolicySettings(mode: .auto, windows: [Self.sundayNight])
        guard case .deferred(let both, nil) = Self.decide(.policy, windowed, gates: gates) else { Issue.record("not deferred"); return }
        #expect(both.contains("md1") && both.contains("maintenance window"))
    }

    @Test func unknownCandidateDefers() {
        guard case .deferred = Self.decide(.manual, UpdatePolicySettings(), kind: nil) else { Issue.record("unknown kind applied"); return }
    }

    @Test func hostGateReasons() {
        #expect(HostGate.reasons(HostHealthFacts()).isEmpty)
        let facts = HostHealthFacts(
            smartFailedDisks: ["S3Z9NB0K"],
            pools: [.init(name: "tank", health: "DEGRADED", resilvering: false), .init(name: "fast", health: "ONLINE", resilvering: true),
                    .init(name: "ok", health: "ONLINE", resilvering: false)],
            mdArrays: [.init(name: "md0", degraded: false, operation: "check"), .init(name: "md1", degraded: true, operation: "recovery")],
            dataRootFilesystem: .init(mountPoint: "/var", usedPercent: 93.4),
            openCriticalAlerts: ["Server down"])
        #expect(HostGate.reasons(facts) == [
            "SMART failed on S3Z9NB0K", "ZFS pool tank is DEGRADED", "ZFS pool fast is resilvering", "md array md1 is degraded",
            "md array md1 is rebuilding (recovery)", "the filesystem holding the engine's data (/var) is 93 % full",
            "open critical alert: Server down",
        ])
        #expect(HostGate.reasons(HostHealthFacts(dataRootFilesystem: .init(mountPoint: "/", usedPercent: 90))).isEmpty, "90 % is not above 90 %")
    }

    @Test func filesystemHoldingThePath() {
        let filesystems: [HostHealthFacts.Filesystem] = [.init(mountPoint: "/", usedPercent: 10), .init(mountPoint: "/var", usedPercent: 50),
                                                         .init(mountPoint: "/var/lib/docker", usedPercent: 95), .init(mountPoint: "/var/lib/dock", usedPercent: 1)]
        #expect(HostHealthFacts.filesystem(holding: "/var/lib/docker", among: filesystems)?.usedPercent == 95)
        #expect(HostHealthFacts.filesystem(holding: "/var/lib/containers/storage", among: filesystems)?.mountPoint == "/var")
        #expect(HostHealthFacts.filesystem(holding: "/srv", among: filesystems)?.mountPoint == "/")
        #expect(HostHealthFacts.filesystem(holding: "/srv", among: []) == nil)
    }
}
