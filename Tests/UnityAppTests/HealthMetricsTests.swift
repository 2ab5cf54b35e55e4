import Foundation
import Testing
import UnityTestSupport
import UnityCore
import Vapor
@testable import UnityApp

@Suite struct HealthMetricsTests {
    @Test(arguments: TestDatabase.available)
    func readinessChecksTheDatabaseAndMigrations(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            #expect(try await client.send(.GET, "/healthz").json["status"] as? String == "ok")
            let ready = try await client.send(.GET, "/readyz")
            #expect(ready.status == .ok)
            #expect((ready.json["checks"] as? [String: String]) == ["database": "ok", "migrations": "ok"])
            #expect(ready.headers.first(name: "X-Request-Id") != nil)
        }
    }

    @Test func metricsCountRequestsByRoutePatternAndTaskRuns() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            _ = try await client.send(.GET, "/api/v1/users/\(UUID())", token: admin)
            _ = try await client.send(.POST, "/api/v1/tasks/token-cleanup/run", token: admin)
            let metrics = try await client.send(.GET, "/metrics")
            #expect(metrics.headers.contentType?.description.hasPrefix("text/plain") == true)
            #expect(metrics.body.contains(#"unity_build_info{version="\#(UnityCore.UnityVersion.current)"} 1"#))
            #expect(metrics.body.contains(#"unity_http_requests_total{method="GET",route="/api/v1/users/:id",status="404"} 1"#))
            #expect(metrics.body.contains(#"unity_task_runs_total{task="token-cleanup",status="succeeded"} 1"#))
            #expect(metrics.body.contains("# HELP unity_http_request_duration_seconds"))
            #expect(!metrics.body.contains("route=\"/api/v1/users/") || !metrics.body.contains(#"route="/api/v1/users/0"#))
        }
    }
}
