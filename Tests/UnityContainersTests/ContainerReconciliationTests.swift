import Foundation
import Testing
import UnityContainers
import UnityParsers

/// The pure diff between a host's rows and an engine snapshot (no database, no engine).
@Suite("Container reconciliation")
struct ContainerReconciliationTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let earlier = "2026-12-07T10:00:00Z", later = "2026-12-07T10:04:00Z"

    func details(_ id: String, state: String, exitCode: Int = 0, oom: Bool = false, health: String? = nil,
                 startedAt: String = "2026-12-07T10:00:00Z") throws -> ContainerDetails {
        let healthJSON = health.map { #","Health":{"Status":"\#($0)"}"# } ?? ""
        let json = #"{"Id":"\#(id)","Name":"/\#(id)","Image":"sha256:1","Config":{"Image":"busybox","Env":["A=secret"]},"# +
            #""State":{"Status":"\#(state)","ExitCode":\#(exitCode),"OOMKilled":\#(oom),"StartedAt":"\#(startedAt)"\#(healthJSON)}}"#
        return try ContainerDetails.decode(Data(json.utf8))
    }

    func known(_ id: String, row: UUID = UUID(), state: String, health: String? = nil, oom: Bool = false, removed: Bool = false,
               startedAt: String = "2026-12-07T10:00:00Z") -> KnownContainer {
        KnownContainer(rowID: row, engineID: id, state: state, health: health, exitCode: nil, oomKilled: oom,
                       started: ISO8601DateFormatter().date(from: startedAt), removed: removed)
    }

    func kinds(_ plan: ContainerReconciliation) -> [String] { plan.events.map { "\($0.kind.rawValue)\($0.detail.map { ":\($0)" } ?? "")" } }

    @Test func newContainersAreInsertedWithCreatedAndStarted() throws {
        let plan = ContainerReconciliation.plan(known: [], snapshot: [try details("a", state: "running"), try details("b", state: "exited")], now: now)
        #expect(plan.inserts.map(\.id) == ["a", "b"])
        #expect(plan.updates.isEmpty && plan.removals.isEmpty)
        #expect(kinds(plan) == ["created", "started", "created"])
        #expect(plan.events.first?.target == .new(engineID: "a"))
        #expect(plan.events.allSatisfy { $0.at == now })
    }

    @Test func unchangedContainerIsUpdatedWithoutEvents() throws {
        let row = UUID()
        let plan = ContainerReconciliation.plan(known: [known("a", row: row, state: "running")], snapshot: [try details("a", state: "running")], now: now)
        #expect(plan.updates.map(\.rowID) == [row])
        #expect(plan.events.isEmpty && plan.inserts.isEmpty && plan.removals.isEmpty)
    }

    @Test func deathCarriesTheExitCode() throws {
        let row = UUID()
        let plan = ContainerReconciliation.plan(known: [known("a", row: row, state: "running")], snapshot: [try details("a", state: "exited", exitCode: 3)], now: now)
        #expect(kinds(plan) == ["died:exit_code=3"])
        #expect(plan.events.first?.target == .row(row))
    }

    @Test func oomKillIsItsOwnEvent() throws {
        let plan = ContainerReconciliation.plan(known: [known("a", state: "running")], snapshot: [try details("a", state: "exited", exitCode: 137, oom: true)], now: now)
        #expect(kinds(plan) == ["died:exit_code=137", "oom"])
    }

    @Test func startAndPauseTransitions() throws {
        let started = ContainerReconciliation.plan(known: [known("a", state: "exited")], snapshot: [try details("a", state: "running")], now: now)
        #expect(kinds(started) == ["started"])
        let paused = ContainerReconciliation.plan(known: [known("a", state: "running")], snapshot: [try details("a", state: "paused")], now: now)
        #expect(kinds(paused).isEmpty)  // a paused process is not dead
    }

    @Test func restartBetweenDiscoveriesIsDiedAndStarted() throws {
        let plan = ContainerReconciliation.plan(known: [known("a", state: "running", startedAt: earlier)],
                                                snapshot: [try details("a", state: "running", startedAt: later)], now: now)
        #expect(kinds(plan) == ["died", "started"])
    }

    @Test func healthChangesAreRecorded() throws {
        let plan = ContainerReconciliation.plan(known: [known("a", state: "running", health: "healthy")],
                                                snapshot: [try details("a", state: "running", health: "unhealthy")], now: now)
        #expect(kinds(plan) == ["health_changed:healthy→unhealthy"])
    }

    @Test func goneContainersAreMarkedRemovedOnce() throws {
        let gone = UUID(), old = UUID()
        let plan = ContainerReconciliation.plan(known: [known("a", row: gone, state: "exited"), known("b", row: old, state: "exited", removed: true)],
                                                snapshot: [], now: now)
        #expect(plan.removals == [gone])
        #expect(kinds(plan) == ["removed"])
    }

    @Test func aRemovedRowThatComesBackIsRevived() throws {
        let row = UUID()
        let plan = ContainerReconciliation.plan(known: [known("a", row: row, state: "exited", removed: true)], snapshot: [try details("a", state: "running")], now: now)
        #expect(plan.updates == [.init(rowID: row, details: try details("a", state: "running"), revived: true)])
        #expect(plan.inserts.isEmpty)
        #expect(kinds(plan) == ["created", "started"])
    }

    @Test func duplicateEngineIDsInOneSnapshotCountOnce() throws {
        let plan = ContainerReconciliation.plan(known: [], snapshot: [try details("a", state: "exited"), try details("a", state: "exited")], now: now)
        #expect(plan.inserts.count == 1)
    }
}
