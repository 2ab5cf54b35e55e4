import Fluent
import Foundation
import Testing
import UnityCore
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The sign-in throttle's reservations across replicas sharing one database (a SQLite file, or
/// PostgreSQL), and the sweep of slots whose window has passed.
@Suite struct LoginThrottleReplicasTests {
    @Test(arguments: TestDatabase.available)
    func aBurstSpreadOverReplicasGetsOnlyTheLimitOfGuesses(database: TestDatabase) async throws {
        try await withUnityReplicas(3, database: database) { apps in
            let responses = try await withThrowingTaskGroup(of: Response.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        try await LoginThrottleConcurrencyTests.login(apps[index % apps.count], "admin", "wrong password \(index)", from: "198.51.100.7")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let statuses = responses.map(\.status.code)
            #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 }, "\(statuses)")
            #expect(statuses.filter { $0 == 401 }.count == 5, "guesses verified: \(statuses.filter { $0 == 401 }.count)")
            let owner = try await LoginThrottleConcurrencyTests.login(apps[2], "admin", TestClient.adminPassword, from: "203.0.113.9")
            #expect(owner.status == .ok, "\(owner.body.string ?? "")")
        }
    }

    @Test(arguments: TestDatabase.available)
    func slotsOfAPassedWindowAreSweptAndFreeAgain(database: TestDatabase) async throws {
        try await withUnityApp(database, settings: ["UNITY_LOGIN_MAX_FAILURES": "2"]) { app in
            for _ in 0..<2 {
                let status = try await LoginThrottleConcurrencyTests.login(app, "admin", "wrong password!", from: "198.51.100.5").status
                #expect(status == .unauthorized)
            }
            // user+address, user, address: one slot each per failure.
            #expect(try await LoginAttemptSlot.query(on: app.db).count() == 6)
            let config = app.unity.config
            let now = Date()
            guard case .wait = try await LoginThrottle.reserve(username: "admin", address: "198.51.100.5", config: config, on: app.db, now: now) else {
                Issue.record("a third attempt within the window was allowed")
                return
            }
            let later = now.addingTimeInterval(TimeInterval(config.loginThrottleWindow) + 1)
            guard case .proceed = try await LoginThrottle.reserve(username: "admin", address: "198.51.100.5", config: config, on: app.db, now: later) else {
                Issue.record("the window passed but the attempt still waits")
                return
            }
            // Only the new attempt's three slots are left.
            let left = try await LoginAttemptSlot.query(on: app.db).all()
            #expect(left.count == 3 && left.allSatisfy { $0.reservedAt == later || abs($0.reservedAt.timeIntervalSince(later)) < 1 })
        }
    }
}
