import Foundation
import UnityCore
import UnityRegistry
import UnityRegistryTestSupport

/// A clock tests move by hand: `sleep` advances it instead of waiting.
final class ManualRegistryClock: RegistryClock, @unchecked Sendable {
    private let state = LockedValue((now: Date(timeIntervalSince1970: 1_800_000_000), slept: [Double]()))

    func now() -> Date { state.withLock { $0.now } }
    func sleep(seconds: Double) async throws { state.withLock { $0.now.addTimeInterval(seconds); $0.slept.append(seconds) } }
    func advance(_ seconds: Double) { state.withLock { $0.now.addTimeInterval(seconds) } }
    var slept: [Double] { state.withLock { $0.slept } }
}

/// Runs `body` with a client and always shuts it down.
@discardableResult
func withRegistryClient<T>(access: RegistryAccess?, options: RegistryClient.Options = RegistryClient.Options(),
                           clock: any RegistryClock = SystemRegistryClock(),
                           _ body: (RegistryClient) async throws -> T) async throws -> T {
    let client = RegistryClient(access: { _ in access }, options: options, clock: clock)
    do {
        let value = try await body(client)
        await client.shutdown()
        return value
    } catch {
        await client.shutdown()
        throw error
    }
}

/// A repository name no other test uses on the shared registries.
func uniqueRepository(_ prefix: String = "homelab") -> String {
    "\(prefix)/app-\(UUID().uuidString.prefix(8).lowercased())"
}

func newLayout() throws -> TestOCILayout {
    try TestOCILayout(directory: RegistryTestCommand.temporaryDirectory("unity-oci"))
}

func reference(_ host: String, _ repository: String, tag: String) throws -> ImageReference {
    try ImageReference.parse("\(host)/\(repository):\(tag)")
}

/// The open registry, anonymous, plain HTTP by explicit opt-in.
let openAccess = RegistryAccess(allowInsecureHTTP: true)
