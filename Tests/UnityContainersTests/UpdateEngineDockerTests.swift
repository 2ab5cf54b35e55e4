import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport

/// The update engine against the real test dockerd (20.10, API 1.41: one network at create, the
/// second connected after) and the real open docker-registry, images built and pushed per process.
@Suite("Update engine on real Docker", .serialized)
struct UpdateEngineDockerTests {
    @Test func updateToAGoodImageKeepsEverySettingAndTheData() async throws {
        let fixture = try UpdateFixture.make(.docker)
        defer { fixture.cleanUp() }
        let old = try #require(try await fixture.engine.inspectContainerRaw(fixture.name))
        let journal = InMemoryUpdateJournal()
        let request = fixture.request(fixture.images.v2)
        let run = try await journal.begin(request, at: Date())
        let state = await fixture.updater().apply(request, options: fixture.options, run: run, journal: journal, backups: nil)
        #expect(state == .succeeded, "\(journal.run(run)?.summary ?? "") \(journal.trail(run))")
        #expect(journal.trail(run) == [
            "pull:started", "pull:succeeded", "pin_rollback:started", "pin_rollback:succeeded", "backup:skipped",
            "rename_old:started", "rename_old:succeeded", "create_new:started", "create_new:succeeded",
            "stop_old:started", "stop_old:succeeded", "start_new:started", "start_new:succeeded",
            "health_gate:started", "health_gate:succeeded", "remove_old:started", "remove_old:succeeded"])
        #expect(journal.run(run)?.state == .succeeded)

        let new = try #require(try await fixture.engine.inspectContainerRaw(fixture.name))
        #expect(new.id != old.id)
        #expect(new.imageID == fixture.images.v2.imageID)
        #expect(new.configuredImage == fixture.images.v2.reference)
        #expect(new.running)
        #expect(new.healthStatus == "healthy")
        #expect(try await fixture.engine.inspectContainerRaw(old.id) == nil)  // old container removed…
        let facts = try #require(journal.run(run)?.facts)
        #expect(facts.oldContainerID == old.id && facts.newContainerID == new.id && facts.originalName == fixture.name)
        let pinned = try #require(facts.rollbackReference)
        #expect(try await fixture.engine.inspectImage(pinned)?.id == fixture.images.v1.imageID)  // …its image kept
        #expect(try fixture.readData() == fixture.data)  // same volumes, byte-identical data

        try Self.compareField(by: old, new, fixture: fixture)
    }

    /// The checklist, field by field: everything the user set is the same on the new container.
    static func compareField(by old: RawContainerInspect, _ new: RawContainerInspect, fixture: UpdateFixture) throws {
        let oldHost = try #require(old.json["HostConfig"]?.object)
        let newHost = try #require(new.json["HostConfig"]?.object)
        for (key, value) in oldHost where key != "Binds" {
            #expect(newHost[key] == value, "HostConfig.\(key): \(String(describing: newHost[key])) != \(value)")
        }
        // Binds: the old ones, plus the anonymous volume re-attached by its name.
        // (Podman's inspect lists every volume in Binds already, anonymous ones included.)
        let expectedBinds = (oldHost["Binds"]?.stringArray ?? []) + (fixture.test.kind == .docker ? ["\(fixture.anonymousVolume):/anon"] : [])
        #expect(newHost["Binds"]?.stringArray == expectedBinds)
        func mounts(_ inspect: RawContainerInspect) -> Set<String> {
            Set((inspect.json["Mounts"]?.array ?? []).map {
                "\($0["Type"]?.string ?? "")|\($0["Name"]?.string ?? "")|\($0["Destination"]?.string ?? "")|\($0["RW"]?.bool ?? false)"
            })
        }
        #expect(mounts(new) == mounts(old))
        #expect(mounts(new).count == 3)

        let oldConfig = try #require(old.json["Config"]?.object)
        let newConfig = try #require(new.json["Config"]?.object)
        for (key, value) in oldConfig where !["Image", "Env", "Labels", "Hostname", "Healthcheck"].contains(key) {
            #expect(newConfig[key] == value, "Config.\(key)")
        }
        // Podman's create fills Interval/Timeout/Retries into a `NONE` healthcheck: the test is what counts.
        #expect(newConfig["Healthcheck"]?["Test"] == oldConfig["Healthcheck"]?["Test"])
        if fixture.test.kind == .docker { #expect(newConfig["Hostname"]?.string == "unity-app") }
        #expect(newConfig["WorkingDir"]?.string == "/data")
        let env = Set(newConfig["Env"]?.stringArray ?? [])
        #expect(env.isSuperset(of: ["APP_MODE=custom", "USER_VAR=1", "APP_VERSION=v2"]))  // v1's APP_VERSION was a default
        #expect(!env.contains("APP_VERSION=v1"))
        let labels = newConfig["Labels"]?.object ?? [:]
        #expect(labels["unity.test.owner"]?.string == "me")
        #expect(labels["org.example.version"]?.string == "v2")

        guard fixture.test.kind == .docker else { return }
        let oldNetworks = try #require(old.json.at("NetworkSettings", "Networks")?.object)
        let newNetworks = try #require(new.json.at("NetworkSettings", "Networks")?.object)
        #expect(Set(newNetworks.keys) == Set(fixture.networks))
        #expect(Set(newNetworks.keys) == Set(oldNetworks.keys))
        for (network, endpoint) in oldNetworks {
            let aliases = Set(endpoint["Aliases"]?.stringArray ?? []).subtracting([old.shortID])
            let newAliases = Set(newNetworks[network]?["Aliases"]?.stringArray ?? []).subtracting([new.shortID])
            #expect(newAliases == aliases, "aliases on \(network)")
            // `{}` and null both mean "no static address" (the engine writes either).
            func ipam(_ value: EngineJSON?) -> EngineJSON? { value?.isEmptyValue == false ? value : nil }
            #expect(ipam(newNetworks[network]?["IPAMConfig"]) == ipam(endpoint["IPAMConfig"]), "IPAMConfig on \(network)")
        }
        #expect(newNetworks[fixture.networks[0]]?["IPAddress"]?.string == fixture.staticIP)
        #expect(newNetworks[fixture.networks[0]]?["Aliases"]?.stringArray?.contains("web") == true)
        #expect(newNetworks[fixture.networks[1]]?["Aliases"]?.stringArray?.contains("api") == true)
    }

    @Test func failingHealthcheckRollsBackToTheOldContainer() async throws {
        let fixture = try UpdateFixture.make(.docker)
        defer { fixture.cleanUp() }
        let journal = InMemoryUpdateJournal()
        let request = fixture.request(fixture.images.v3)
        let run = try await journal.begin(request, at: Date())
        let state = await fixture.updater().apply(request, options: fixture.options, run: run, journal: journal, backups: nil)
        #expect(state == .rolledBack, "\(journal.run(run)?.summary ?? "") \(journal.trail(run))")
        let trail = journal.trail(run)
        #expect(trail.suffix(9) == ["health_gate:failed", "remove_new:started", "remove_new:succeeded", "rename_back:started",
                                    "rename_back:succeeded", "start_old:started", "start_old:succeeded", "verify_old:started",
                                    "verify_old:succeeded"])
        // The gate's failure keeps the new container's last log lines as evidence.
        let gateFailure = journal.run(run)?.steps.first { $0.step == .healthGate && $0.outcome == .failed }
        #expect(gateFailure?.detail.contains("app v3 broken") == true, "\(gateFailure?.detail ?? "")")

        let back = try #require(try await fixture.engine.inspectContainerRaw(fixture.name))
        #expect(back.id == fixture.oldID)  // the very same container, under its old name
        #expect(back.imageID == fixture.images.v1.imageID)
        #expect(back.running)
        #expect(try await fixture.waitHealthy() == "healthy")
        #expect(try fixture.readData() == fixture.data)
        if let newID = journal.run(run)?.facts.newContainerID { #expect(try await fixture.engine.inspectContainerRaw(newID) == nil) }
        #expect(journal.run(run)?.state == .rolledBack)
    }

    @Test func registryDownDuringPullTouchesNothing() async throws {
        let fixture = try UpdateFixture.make(.docker)
        defer { fixture.cleanUp() }
        let journal = InMemoryUpdateJournal()
        // Port 1 on loopback: nothing listens, the pull cannot reach a registry.
        var request = fixture.request(fixture.images.v2)
        request.candidateReference = "127.0.0.1:1/unity-update-app:v2"
        let run = try await journal.begin(request, at: Date())
        let state = await fixture.updater().apply(request, options: fixture.options, run: run, journal: journal, backups: nil)
        #expect(state == .failed)
        #expect(journal.trail(run) == ["pull:started", "pull:failed"])
        #expect(journal.run(run)?.summary?.contains("nothing was changed") == true)
        let same = try #require(try await fixture.engine.inspectContainerRaw(fixture.name))
        #expect(same.id == fixture.oldID)
        #expect(same.running)
        #expect(same.restartCount == 0)
        #expect(journal.run(run)?.facts.rollbackReference == nil)
    }
}
