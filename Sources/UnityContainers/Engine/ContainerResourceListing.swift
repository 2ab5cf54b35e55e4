import UnityParsers

/// Per-host resources beside containers and images: volumes and networks. `ContainerEngine`
/// refines it, so every engine lists them; kept apart so the engine protocol grows in small files.
public protocol ContainerResourceListing: Sendable {
    func volumes() async throws -> [VolumeSummary]
    func networks() async throws -> [NetworkSummary]
}
