import Crypto
import Foundation

/// A manifest body as fetched: its digest (checked against the body) and, for an index, its entries.
struct ManifestDocument: Sendable {
    var digest: String
    var mediaType: String
    var entries: [Entry]
    var rateLimit: RegistryRateLimit?

    var isIndex: Bool { ManifestMediaType.indexTypes.contains(mediaType) }

    struct Entry: Decodable, Sendable {
        var mediaType: String?
        var digest: String
        var platform: Platform?
        var annotations: [String: String]?

        struct Platform: Decodable, Sendable {
            var os: String
            var architecture: String
            var variant: String?
        }

        /// BuildKit's provenance/SBOM entries: `unknown/unknown`, marked `attestation-manifest`.
        var isAttestation: Bool {
            annotations?["vnd.docker.reference.type"] == "attestation-manifest"
                || (platform?.os == "unknown" && platform?.architecture == "unknown")
        }
    }

    struct Body: Decodable {
        var mediaType: String?
        var manifests: [Entry]?
    }
}

extension RegistryClient {
    /// GET of one manifest; a body that does not hash to the digest it was asked by (or that the
    /// registry named) is refused.
    func fetchManifest(_ target: String, _ context: RegistryRequestContext) async throws(RegistryError) -> ManifestDocument {
        let response = try await exchange(.GET, context.url(manifest: target), context, accept: Self.manifestAccept)
        let computed = "sha256:" + SHA256.hash(data: response.body).map { String(format: "%02x", $0) }.joined()
        let header = RegistryHeaders.contentDigest(response.headers)
        for expected in [ImageReference.isDigest(target) ? target : nil, header].compactMap({ $0 }) where expected.hasPrefix("sha256:") {
            guard expected == computed else {
                throw .invalidResponse(registry: context.registry, message: "manifest body does not match digest \(expected)")
            }
        }
        guard let body = try? JSONDecoder().decode(ManifestDocument.Body.self, from: response.body) else {
            throw .invalidResponse(registry: context.registry, message: "manifest is not JSON")
        }
        let mediaType = body.mediaType ?? RegistryHeaders.mediaType(response.headers)
            ?? (body.manifests == nil ? ManifestMediaType.ociManifest : ManifestMediaType.ociIndex)
        return ManifestDocument(digest: header ?? computed, mediaType: mediaType,
                                entries: Array((body.manifests ?? []).prefix(Self.maxIndexEntries)),
                                rateLimit: RegistryHeaders.rateLimit(response.headers))
    }

    static let maxIndexEntries = 512

    /// The platform entries of an index, nested indexes resolved up to `maxIndexDepth`, attestation
    /// and platform-less entries left out, each digest once.
    func platforms(of index: ManifestDocument, _ context: RegistryRequestContext, depth: Int) async throws(RegistryError) -> [PlatformManifest] {
        var budget = 16
        return try await platforms(of: index, context, depth: depth, budget: &budget)
    }

    private func platforms(of index: ManifestDocument, _ context: RegistryRequestContext, depth: Int,
                           budget: inout Int) async throws(RegistryError) -> [PlatformManifest] {
        var result: [PlatformManifest] = []
        var seen = Set<PlatformManifest>()
        for entry in index.entries where !entry.isAttestation {
            if let type = entry.mediaType, ManifestMediaType.indexTypes.contains(type) {
                guard depth < options.maxIndexDepth, budget > 0, ImageReference.isDigest(entry.digest) else { continue }
                budget -= 1
                let child = try await fetchManifest(entry.digest, context)
                for platform in try await platforms(of: child, context, depth: depth + 1, budget: &budget)
                where seen.insert(platform).inserted {
                    result.append(platform)
                }
                continue
            }
            guard let platform = entry.platform else { continue }
            let manifest = PlatformManifest(digest: entry.digest, os: platform.os, architecture: platform.architecture,
                                            variant: platform.variant)
            if seen.insert(manifest).inserted { result.append(manifest) }
        }
        return result
    }
}
