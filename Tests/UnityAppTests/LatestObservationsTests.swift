import Fluent
import Foundation
import Testing
import UnityAlerts
import UnityTestSupport
@testable import UnityApp

/// The latest value per (metric, resource) is written as one upsert per batch; a newer batch
/// replaces the value in place and the newest wins inside a batch, on SQLite and PostgreSQL.
@Suite struct LatestObservationsTests {
    @Test(arguments: TestDatabase.available)
    func oneRowPerMetricAndResourceWithTheNewestValue(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let nas = ResourceRef(type: "server", id: "nas", name: "nas")
            let pi = ResourceRef(type: "server", id: "pi", name: "pi")
            let now = Date()
            func seen(_ resource: ResourceRef, _ value: Double, _ offset: TimeInterval) -> Observation {
                Observation(resource: resource, key: "host.cpu", value: value, detail: nil, at: now.addingTimeInterval(offset))
            }
            try await LatestObservations.record([seen(nas, 10, 0), seen(pi, 20, 0), seen(nas, 5, -60)], on: app.db)
            try await LatestObservations.record([seen(nas, 30, 60)], on: app.db)
            let rows = try await LatestObservation.query(on: app.db).all()
            #expect(rows.count == 2)
            let values = try await LatestObservations.all(metric: "host.cpu", on: app.db)
            #expect(Dictionary(uniqueKeysWithValues: values.map { ($0.resource.id, $0.value) }) == ["nas": 30, "pi": 20])
        }
    }
}
