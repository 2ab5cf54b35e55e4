import Fluent
import SQLKit
import UnityCore
import Vapor

struct HealthDTO: Content, APIExample {
    var status: String
    var version: String
    var checks: [String: String]?
    static var example: HealthDTO { .init(status: "ok", version: UnityVersion.current, checks: ["database": "ok", "migrations": "ok"]) }
}

/// Liveness, readiness, Prometheus metrics and the API description.
enum HealthController {
    static func live(_ request: Request) async throws -> HealthDTO {
        HealthDTO(status: "ok", version: UnityVersion.current, checks: nil)
    }

    /// Ready when the database answers and every migration this binary knows has been applied.
    static func ready(_ request: Request) async throws -> Response {
        var checks: [String: String] = [:]
        var ready = true
        do {
            let applied = try await request.db.query(MigrationLog.self).all().map(\.name)
            let missing = AllMigrations.list.map(\.name).filter { !applied.contains($0) }
            checks["database"] = "ok"
            checks["migrations"] = missing.isEmpty ? "ok" : "pending: \(missing.joined(separator: ", "))"
            ready = missing.isEmpty
        } catch {
            checks["database"] = "unreachable"
            ready = false
        }
        let response = Response(status: ready ? .ok : .serviceUnavailable)
        try response.content.encode(HealthDTO(status: ready ? "ok" : "unavailable", version: UnityVersion.current, checks: checks))
        return response
    }

    static func metrics(_ request: Request) async throws -> Response {
        var buffer: [UInt8] = []
        request.unity.metrics.registry.emit(into: &buffer)
        // The inventory series name servers, disks, mounts, databases, certificates and containers: only for a
        // signed-in caller (any role; Prometheus sends a read-scope API key) unless the admin opened
        // them. A bearer that is present but wrong is a 401 (thrown by `principal`), never the subset.
        let caller = try await Authenticate.principal(of: request, cached: true)
        if caller != nil || request.unity.config.metricsPublic {
            buffer += Array(FleetMetricsExporter.render(try await FleetMetricsExporter.load(on: request.db)).utf8)
            buffer += Array(try await CertificateExpiry.prometheus(on: request.db).utf8)
            buffer += Array(try await ContainerMetricsExporter.render(on: request.db, samples: request.application.containerResourceSamples.snapshot).utf8)
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(data: Data(buffer)))
    }

    static func openAPI(_ request: Request) async throws -> Response {
        let document = OpenAPIDocument.build(routes: request.application.routes.all)
        // A plain encoder: the document's keys are already final and must not be re-cased.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(document)
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
