import Fluent
import Foundation
import UnityAlerts

/// The last value seen per (metric, resource): what a rule's dry run evaluates against, and what
/// a new or edited rule starts from.
final class LatestObservation: Model, @unchecked Sendable {
    static let schema = "alert_observations"

    @ID(key: .id) var id: UUID?
    @Field(key: "metric") var metric: String
    @Field(key: "resource_key") var resourceKey: String
    @Field(key: "observation") var observation: String
    @Field(key: "observed_at") var observedAt: Date

    init() {}

    var value: Observation? { try? JSONDecoder().decode(Observation.self, from: Data(observation.utf8)) }

    func update(from observation: Observation) throws {
        metric = observation.key
        resourceKey = observation.resource.key
        self.observation = String(decoding: try JSONEncoder().encode(observation), as: UTF8.self)
        observedAt = observation.at
    }
}
