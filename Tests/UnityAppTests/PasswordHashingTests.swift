import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Password hashing is bounded: a few run, a few wait, the rest are refused with a 429 at once
/// instead of piling up behind bcrypt (and, before, in front of the database).
@Suite struct PasswordHashingTests {
    @Test func theGateRunsCapacityQueuesMaxWaitingAndRefusesTheRest() async throws {
        let gate = HashingGate(capacity: 1, maxWaiting: 2)
        #expect(await gate.enter())
        let queued = (0..<2).map { _ in Task { await gate.enter() } }
        while await gate.waitingCount < 2 { await Task.yield() }
        #expect(await gate.enter() == false)
        await gate.leave()
        await gate.leave()
        for task in queued { #expect(await task.value) }
        await gate.leave()
        #expect(await gate.runningCount == 0)
    }

    @Test func busyHashingIsA429WithRetryAfterNotA500() async throws {
        try await withUnityApp { app in
            let hashing = PasswordHashing(hasher: app.password.sync)
            let hash = try await hashing.hash("a password")
            #expect(try await hashing.verify("a password", hash: hash))
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<(PasswordHashing.threads + PasswordHashing.maxWaiting) * 4 {
                    group.addTask {
                        do { return try await hashing.verify("wrong", hash: hash) ? "match" : "no match" } catch let error as APIError {
                            return "\(error.status.code) \(error.headers.first(name: "Retry-After") ?? "-")"
                        } catch { return "\(error)" }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(outcomes).isSubset(of: ["no match", "429 1"]), "\(Set(outcomes))")
            #expect(outcomes.filter { $0 == "no match" }.count >= PasswordHashing.threads + PasswordHashing.maxWaiting)
            await hashing.shutdown()
        }
    }
}
