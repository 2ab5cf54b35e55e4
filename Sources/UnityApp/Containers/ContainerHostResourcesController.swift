import Fluent
import UnityContainers
import Vapor

/// `GET /api/v1/container-hosts/{id}/images|volumes|networks`: images from the inventory (as of the
/// last discovery), volumes and networks asked of the engine now.
enum ContainerHostResourcesController {
    static func images(_ request: Request) async throws -> [ContainerImageDTO] {
        let host = try await ContainerHostsController.find(request)
        return try await ContainerImageRecord.query(on: request.db).filter(\.$hostID == host.requireID()).filter(\.$removedAt == nil)
            .sort(\.$imageID).all().map(ContainerImageDTO.init)
    }

    static func volumes(_ request: Request) async throws -> [ContainerVolumeDTO] {
        try await onEngine(request) { try await $0.volumes().map(ContainerVolumeDTO.init) }
    }

    static func networks(_ request: Request) async throws -> [ContainerNetworkDTO] {
        try await onEngine(request) { try await $0.networks().map(ContainerNetworkDTO.init) }
    }

    private static func onEngine<T>(_ request: Request, _ body: (any ContainerEngine) async throws -> T) async throws -> T {
        let host = try await ContainerHostsController.find(request)
        do {
            let engine = try await request.application.containerEngines.engine(for: host, application: request.application)
            return try await body(engine)
        } catch let error as ContainerEngineError {
            throw error.apiError
        }
    }
}
