import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport

/// The update engine against the real Podman 4.3 service through its Docker-compatible API. The test
/// service runs with host networking (no CNI/netavark bridge on this host), so there are no networks
/// to carry over; and Podman's HEALTHCHECKs run from systemd timers, which this host does not have,
/// so the containers run with `--no-healthcheck` and the no-HEALTHCHECK stability gate decides.
@Suite("Update engine on real Podman", .serialized)
struct UpdateEnginePodmanTests {
    @Test func updateToAGoodImageKeepsEverySettingAndTheData() async throws {
        let fixture = try UpdateFixture.make(.podman)
        defer { fixture.cleanUp() }
        let old = try #require(try await fixture.engine.inspectContainerRaw(fixture.name))
        #expect(!old.hasHealthcheck)
        let journal = InMemoryUpdateJournal()
        let request = fixture.request(fixture.images.v2)
        let run = try await journal.begin(request, at: Date())
        let state = await fixture.updater().apply(request, options: fixture.options, run: run, journal: journal, backups: nil)
        #expect(state == .succeeded, "\(journal.run(run)?.summary ?? "") \(journal.trail(run)) \(journal.run(run)?.steps.map(\.detail) ?? [])")
        let new = try #require(try await fixture.engine.inspectContainerRaw(fixture.name))
        #expect(new.id != old.id)
        #expect(new.running)
        #expect(try await fixture.engine.inspectContainerRaw(old.id) == nil)
        #expect(try fixture.readData() == fixture.data)
        let gate = journal.run(run)?.steps.first { $0.step == .healthGate && $0.outcome == .succeeded }
        #expect(gate?.detail.contains("no HEALTHCHECK") == true)
        try UpdateEngineDockerTests.compareField(by: old, new, fixture: fixture)
    }

    @Test func failingImageRollsBackToTheOldContainer() async throws {
        let fixture = try UpdateFixture.make(.podman)
        defer { fixture.cleanUp() }
        let journal = InMemoryUpdateJournal()
        let request = fixture.request(fixture.images.v3)
        let run = try await journal.begin(request, at: Date())
        let state = await fixture.updater().apply(request, options: fixture.options, run: run, journal: journal, backups: nil)
        #expect(state == .rolledBack, "\(journal.run(run)?.summary ?? "") \(journal.trail(run)) \(journal.run(run)?.steps.map(\.detail) ?? [])")
        #expect(journal.trail(run).contains("health_gate:failed"))
        let back = try #require(try await fixture.engine.inspectContainerRaw(fixture.name))
        #expect(back.id == fixture.oldID)
        #expect(back.running)
        #expect(try fixture.readData() == fixture.data)
    }

    @Test func registryDownDuringPullTouchesNothing() async throws {
        let fixture = try UpdateFixture.make(.podman)
        defer { fixture.cleanUp() }
        let journal = InMemoryUpdateJournal()
        var request = fixture.request(fixture.images.v2)
        request.candidateReference = "127.0.0.1:1/unity-update-app:v2"
        let run = try await journal.begin(request, at: Date())
        let state = await fixture.updater().apply(request, options: fixture.options, run: run, journal: journal, backups: nil)
        #expect(state == .failed)
        #expect(journal.trail(run) == ["pull:started", "pull:failed"])
        let same = try #require(try await fixture.engine.inspectContainerRaw(fixture.name))
        #expect(same.id == fixture.oldID)
        #expect(same.running)
    }
}
