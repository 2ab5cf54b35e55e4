import Foundation

/// Time for rate limiting, back-off and token expiry, injected so tests move it instead of sleeping.
public protocol RegistryClock: Sendable {
    func now() -> Date
    func sleep(seconds: Double) async throws
}

/// The wall clock and `Task.sleep`.
public struct SystemRegistryClock: RegistryClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .milliseconds(Int((seconds * 1000).rounded(.up))))
    }
}
