import Foundation
import NIOConcurrencyHelpers
import UnityRegistry

/// A FAKE registry for the detection logic only: it answers from a table and counts the calls. The live
/// client (`UnityRegistry/Client`) is tested against real registries in its own suite; here the point is
/// what the cycle asks and how it reads the answers.
final class FakeRegistry: RegistryQuerying, @unchecked Sendable {
    private let lock = NIOLock()
    private var manifests: [String: Result<RegistryManifest, RegistryError>] = [:]
    private var tagLists: [String: Result<[String], RegistryError>] = [:]
    private(set) var manifestCalls: [String] = []
    private(set) var tagCalls: [String] = []
    private var inFlight = 0
    /// The most requests that were in progress at once.
    private(set) var maxInFlight = 0
    /// Each answer waits this long, so overlapping requests can be seen.
    var delay: Duration = .zero

    func setManifest(_ reference: String, _ answer: Result<RegistryManifest, RegistryError>) {
        let key = (try? ImageReference.parse(reference).canonical) ?? reference
        lock.withLock { manifests[key] = answer }
    }

    func setTags(_ repository: String, _ answer: Result<[String], RegistryError>) {
        lock.withLock { tagLists[repository] = answer }
    }

    func resetCounts() { lock.withLock { manifestCalls = []; tagCalls = [] } }
    var counts: (manifests: Int, tags: Int) { lock.withLock { (manifestCalls.count, tagCalls.count) } }

    func manifest(for reference: ImageReference) async throws(RegistryError) -> RegistryManifest {
        let answer = lock.withLock {
            manifestCalls.append(reference.canonical)
            inFlight += 1
            maxInFlight = max(maxInFlight, inFlight)
            return manifests[reference.canonical]
        }
        if delay > .zero { try? await Task.sleep(for: delay) }
        lock.withLock { inFlight -= 1 }
        guard let answer else { throw .notFound(reference: reference.canonical) }
        return try answer.get()
    }

    func tags(of reference: ImageReference, limit: Int) async throws(RegistryError) -> [String] {
        let key = "\(reference.registry)/\(reference.repository)"
        let answer = lock.withLock {
            tagCalls.append(key)
            return tagLists[key]
        }
        guard let answer else { throw .notFound(reference: key) }
        return Array(try answer.get().prefix(limit))
    }
}

enum Digests {
    /// A well-formed digest from a short seed (`d("a1")`).
    static func d(_ seed: String) -> String { "sha256:" + String(repeating: seed, count: 64 / seed.count + 1).prefix(64) }
}
