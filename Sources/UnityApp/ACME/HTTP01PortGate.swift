import Foundation

/// One HTTP-01 listener per port at a time in this process: the renewal task and an operator's
/// "renew now" may otherwise both try to bind port 80, and the second would fail with
/// "address in use" instead of waiting a few seconds.
actor HTTP01PortGate {
    static let shared = HTTP01PortGate()

    private var busy: Set<Int> = []
    private var waiters: [Int: [CheckedContinuation<Void, Never>]] = [:]

    func exclusive<T: Sendable>(_ port: Int?, _ body: @Sendable () async throws -> T) async throws -> T {
        guard let port else { return try await body() }
        while busy.contains(port) {
            await withCheckedContinuation { waiters[port, default: []].append($0) }
        }
        busy.insert(port)
        defer {
            busy.remove(port)
            for waiter in waiters.removeValue(forKey: port) ?? [] { waiter.resume() }
        }
        return try await body()
    }
}
