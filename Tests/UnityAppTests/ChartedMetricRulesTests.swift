import Foundation
import Testing
import UnityTestSupport
@testable import UnityApp

/// The server page charts CPU, memory and load: rules on exactly those series must be accepted.
@Suite struct ChartedMetricRulesTests {
    @Test func theFirstRulesAnyoneWritesAreAccepted() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            for metric in ["load.1", "memory.used_percent", "cpu.percent"] {
                let response = try await client.send(.POST, "/api/v1/alert-rules", token: admin, json: [
                    "name": "My \(metric)", "metric": metric, "operator": ">", "threshold": 4, "severity": "warning"])
                #expect(response.status == .created, "\(metric): \(response.body)")
            }
        }
    }
}
