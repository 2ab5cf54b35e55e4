import Fluent
import Foundation
import NIOCore
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The sign-in throttle under parallel guessing: the attempt is reserved before the password is
/// checked, so a burst gets no more guesses than the limit, and the limit is per username and client
/// address (with a higher per-username ceiling), so one address cannot lock the admin out.
@Suite struct LoginThrottleConcurrencyTests {
    /// A login as if it came from `address`. The in-memory tester carries no client address and every
    /// real loopback connection comes from 127.0.0.1, so the request goes through the application's
    /// whole responder chain (middleware, audit, database) with its remote address set.
    static func login(_ app: Application, _ username: String, _ password: String, from address: String) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        let body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: ["username": username, "password": password]))
        let request = Request(application: app, method: .POST, url: URI(path: "/api/v1/auth/login"), headers: headers,
                              collectedBody: body, remoteAddress: try SocketAddress(ipAddress: address, port: 40_000),
                              logger: app.logger, on: app.eventLoopGroup.any())
        return try await app.responder.current.respond(to: request).get()
    }

    @Test(arguments: TestDatabase.available)
    func aBurstOfWrongPasswordsGetsOnlyTheLimitOfGuessesAndNo5xx(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let responses = try await withThrowingTaskGroup(of: Response.self) { group in
                for index in 0..<40 {
                    group.addTask { try await Self.login(app, "admin", "wrong password \(index)", from: "198.51.100.7") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let statuses = responses.map(\.status.code)
            #expect(statuses.filter { $0 >= 500 }.isEmpty, "server errors: \(statuses)")
            #expect(statuses.filter { $0 == 401 }.count <= 5, "guesses verified: \(statuses.filter { $0 == 401 }.count)")
            #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 }, "\(statuses)")
            for refused in responses where refused.status == .tooManyRequests {
                #expect(refused.headers.first(name: "Retry-After").flatMap(Int.init).map { $0 > 0 } == true)
            }
            let denied = try await AuditEvent.query(on: app.db).filter(\.$action == "auth.login").filter(\.$statusCode == 401).count()
            #expect(denied <= 5)

            // The owner, from another address, still signs in.
            let owner = try await Self.login(app, "admin", TestClient.adminPassword, from: "203.0.113.9")
            #expect(owner.status == .ok, "\(owner.body.string ?? "")")
        }
    }

    @Test(arguments: TestDatabase.available)
    func thePerUsernameCeilingHoldsAcrossAddresses(database: TestDatabase) async throws {
        let settings = ["UNITY_LOGIN_MAX_FAILURES": "2", "UNITY_LOGIN_MAX_FAILURES_PER_USER_TOTAL": "4"]
        try await withUnityApp(database, settings: settings) { app in
            for address in ["198.51.100.1", "198.51.100.2"] {
                for _ in 0..<2 { do { let value = try await Self.login(app, "admin", "wrong password!", from: address).status; #expect(value == .unauthorized) } }
                // The third guess from one address waits, even with the right password.
                let third = try await Self.login(app, "admin", TestClient.adminPassword, from: address)
                #expect(third.status == .tooManyRequests)
            }
            // Four failures in all: every address now waits for this username, others still work.
            let elsewhere = try await Self.login(app, "admin", TestClient.adminPassword, from: "198.51.100.3")
            #expect(elsewhere.status == .tooManyRequests)
            #expect(elsewhere.headers.first(name: "Retry-After").flatMap(Int.init).map { $0 > 0 && $0 <= 900 } == true)
            do { let value = try await Self.login(app, "someone-else", "wrong password!", from: "198.51.100.3").status; #expect(value == .unauthorized) }
        }
    }

    @Test func aSuccessfulSignInFreesItsReservation() async throws {
        try await withUnityApp(settings: ["UNITY_LOGIN_MAX_FAILURES": "2"]) { app in
            for _ in 0..<3 { do { let value = try await Self.login(app, "admin", TestClient.adminPassword, from: "198.51.100.4").status; #expect(value == .ok) } }
            do { let value = try await Self.login(app, "admin", "wrong password!", from: "198.51.100.4").status; #expect(value == .unauthorized) }
            do { let value = try await Self.login(app, "admin", TestClient.adminPassword, from: "198.51.100.4").status; #expect(value == .ok) }
        }
    }
}
