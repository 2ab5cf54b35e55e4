import Foundation
import Testing
import UnityRegistry
@testable import UnityContainers

/// Which policy applies to a container, field by field, and where each value came from.
@Suite struct PolicyResolutionTests {
    static let hostA = UUID(), hostB = UUID(), containerID = UUID()
    static let subject = PolicySubject(containerID: containerID, hostID: hostA, composeProject: "media",
                                       labels: ["tier": "prod", "team": "core"])

    static func policy(_ name: String, _ scope: PolicyScope, priority: Int = 0, _ settings: UpdatePolicySettings) -> UpdatePolicy {
        UpdatePolicy(id: UUID(), name: name, scope: scope, priority: priority, settings: settings)
    }

    @Test func defaultsWithoutPolicies() {
        let effective = EffectivePolicy.resolve(Self.subject, policies: [])
        #expect(effective.mode == Sourced(.notify, .builtIn))
        #expect(effective.allowedKinds.value == [.digest, .patch, .minor])
        #expect(effective.minimumReleaseAgeSeconds.value == 0)
        #expect(effective.windows.value.isEmpty && effective.schedule.isAlwaysOpen)
        #expect(effective.requireBackup == Sourced(false, .builtIn))
        #expect(effective.maxParallelPerHost.value == 1)
        #expect(effective.dependencyOrder.value == .databasesFirst)
        #expect(effective.matched.isEmpty)
    }

    @Test func databasesDefaultToABackup() {
        var database = Self.subject
        database.isDatabase = true
        #expect(EffectivePolicy.resolve(database, policies: []).requireBackup == Sourced(true, .builtIn))
        let off = Self.policy("no backups", .global, UpdatePolicySettings(requireBackup: false))
        #expect(EffectivePolicy.resolve(database, policies: [off]).requireBackup.value == false, "an explicit policy wins")
    }

    @Test func eachFieldComesFromTheBestPolicyThatSetsIt() {
        let global = Self.policy("global", .global, UpdatePolicySettings(mode: .notify, minimumReleaseAgeSeconds: 3 * 86400, maxParallelPerHost: 2))
        let host = Self.policy("host A", .host(Self.hostA), UpdatePolicySettings(mode: .approve, allowedKinds: [.digest, .patch]))
        let otherHost = Self.policy("host B", .host(Self.hostB), UpdatePolicySettings(mode: .auto))
        let project = Self.policy("media", .composeProject(name: "media", hostID: nil), UpdatePolicySettings(mode: .auto))
        let effective = EffectivePolicy.resolve(Self.subject, policies: [global, host, otherHost, project])
        // Same priority: the compose project is more specific than the host.
        #expect(effective.mode == Sourced(.auto, PolicySource(policyID: project.id, name: "media", scope: "compose_project")))
        #expect(effective.allowedKinds == Sourced([.digest, .patch], PolicySource(policyID: host.id, name: "host A", scope: "host")))
        #expect(effective.minimumReleaseAgeSeconds.source.name == "global")
        #expect(effective.maxParallelPerHost.value == 2)
        #expect(effective.healthGate.source == .builtIn)
        #expect(effective.matched.map(\.name) == ["media", "host A", "global"])
    }

    @Test func explicitPriorityBeatsSpecificity() {
        let container = Self.policy("this one", .container(Self.containerID), UpdatePolicySettings(mode: .auto))
        let freeze = Self.policy("freeze", .global, priority: 100, UpdatePolicySettings(mode: .notify))
        #expect(EffectivePolicy.resolve(Self.subject, policies: [container, freeze]).mode.source.name == "freeze")
    }

    @Test func scopesMatch() {
        #expect(PolicyScope.labels(["tier": "prod"]).matches(Self.subject))
        #expect(PolicyScope.labels(["tier": "*", "team": "core"]).matches(Self.subject))
        #expect(!PolicyScope.labels(["tier": "dev"]).matches(Self.subject))
        #expect(!PolicyScope.labels(["zone": "*"]).matches(Self.subject))
        #expect(!PolicyScope.labels([:]).matches(Self.subject), "an empty selector selects nothing")
        #expect(PolicyScope.composeProject(name: "media", hostID: Self.hostA).matches(Self.subject))
        #expect(!PolicyScope.composeProject(name: "media", hostID: Self.hostB).matches(Self.subject))
        #expect(!PolicyScope.container(UUID()).matches(Self.subject))
        #expect(!PolicyScope.host(Self.hostB).matches(Self.subject))
    }

    @Test func emptyWindowListOverridesALowerPolicysWindows() {
        let window = MaintenanceWindow(startMinute: 120, durationMinutes: 60, timeZone: "UTC", weekdays: [.sun])
        let global = Self.policy("nightly", .global, UpdatePolicySettings(windows: [window]))
        let anyTime = Self.policy("any time", .container(Self.containerID), UpdatePolicySettings(windows: []))
        let effective = EffectivePolicy.resolve(Self.subject, policies: [global, anyTime])
        #expect(effective.windows.value.isEmpty && effective.windows.source.name == "any time")
    }

    @Test func settingsValidationNamesTheField() {
        func field(_ settings: UpdatePolicySettings) -> String? {
            do { try settings.validate(); return nil } catch let error as PolicyValidationError { return error.field } catch { return "?" }
        }
        #expect(field(UpdatePolicySettings(mode: .auto, allowedKinds: [.major])) == nil)
        #expect(field(UpdatePolicySettings(allowedKinds: [])) == "allowed_kinds")
        #expect(field(UpdatePolicySettings(minimumReleaseAgeSeconds: -1)) == "minimum_release_age_seconds")
        #expect(field(UpdatePolicySettings(maxParallelPerHost: 0)) == "max_parallel_per_host")
        #expect(field(UpdatePolicySettings(healthGate: HealthGateSettings(healthyTimeoutSeconds: 0))) == "health_gate.healthy_timeout_seconds")
        let badZone = MaintenanceWindow(startMinute: 0, durationMinutes: 60, timeZone: "Berlin", weekdays: [.mon])
        let good = MaintenanceWindow(startMinute: 0, durationMinutes: 60, timeZone: "UTC", weekdays: [.mon])
        #expect(field(UpdatePolicySettings(windows: [good, badZone])) == "windows[1].time_zone")
    }

    @Test func databaseImages() {
        #expect(DatabaseImages.engine(imageReference: "postgres:16") == "postgresql")
        #expect(DatabaseImages.engine(imageReference: "docker.io/library/redis:7-alpine") == "redis")
        #expect(DatabaseImages.engine(imageReference: "bitnami/postgresql:15") == "postgresql")
        #expect(DatabaseImages.engine(imageReference: "ghcr.io/x/mariadb@sha256:abc") == "mariadb")
        #expect(DatabaseImages.engine(imageReference: "localhost:5000/mongo:7") == "mongodb")
        #expect(DatabaseImages.engine(imageReference: "nginx:1.27") == nil)
        #expect(DatabaseImages.engine(imageReference: "localhost:5432/app:1") == nil, "a registry port is not an image name")
        #expect(DatabaseImages.engine(imageReference: nil) == nil)
    }
}
