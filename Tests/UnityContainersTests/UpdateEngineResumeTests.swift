import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport

/// kill -9 of Unity after each journal step, simulated by a journal that stops storing (and the
/// engine stopping with it) right after that step's line; then a "restarted" Unity resumes the
/// unfinished run from what was stored and from what the engine shows, twice (resume is idempotent).
@Suite("Update engine resume after a crash (real Docker)", .serialized)
struct UpdateEngineResumeTests {
    static let crashPoints: [CrashingUpdateJournal.CrashPoint] = [
        .init(.pull), .init(.renameOld), .init(.createNew), .init(.createNew, .started), .init(.stopOld), .init(.startNew), .init(.healthGate),
    ]

    @Test(arguments: crashPoints)
    func killedAfterAStepThenResumed(crash: CrashingUpdateJournal.CrashPoint) async throws {
        let fixture = try UpdateFixture.make(.docker)
        defer { fixture.cleanUp() }
        let storage = InMemoryUpdateJournal()
        let journal = CrashingUpdateJournal(storage: storage, crashAfter: crash)
        let request = fixture.request(fixture.images.v2)
        let run = try await journal.begin(request, at: Date())
        let interrupted = await fixture.updater().apply(request, options: fixture.options, run: run, journal: journal, backups: nil)
        #expect(interrupted == .running)
        #expect(journal.crashed)
        #expect(storage.trail(run).last == crash.description)

        // Unity restarts: a fresh engine object, the stored journal.
        let pending = try await storage.unfinished()
        #expect(pending.map(\.id) == [run])
        let snapshot = try #require(pending.first)
        let resumed = await fixture.updater().resume(snapshot, journal: storage, backups: nil)
        let keepsNew = crash.step == .startNew || crash.step == .healthGate
        #expect(resumed == (keepsNew ? .succeeded : .rolledBack), "\(storage.run(run)?.summary ?? "") \(storage.trail(run))")
        #expect(storage.run(run)?.state == resumed)
        #expect(try await storage.unfinished().isEmpty)

        // Resume again with the same (stale) snapshot: the same end, nothing broken.
        let again = await fixture.updater().resume(snapshot, journal: storage, backups: nil)
        #expect(again == resumed, "\(storage.run(run)?.summary ?? "")")

        let now = try #require(try await fixture.engine.inspectContainerRaw(fixture.name))
        #expect(now.running)
        #expect(try await fixture.waitHealthy() == "healthy")
        #expect(now.imageID == (keepsNew ? fixture.images.v2.imageID : fixture.images.v1.imageID))
        if !keepsNew { #expect(now.id == fixture.oldID) }
        #expect(try fixture.readData() == fixture.data)
        // Exactly one container of this name family is left: no parked old one, no stray new one.
        let family = try fixture.test.cli(["ps", "-a", "--filter", "name=\(fixture.name)", "--format", "{{.Names}}"])
            .split(separator: "\n").map(String.init)
        #expect(family == [fixture.name])
    }
}
