import Foundation

/// A value behind a lock, shared by reference between threads, timers and handlers that cannot
/// await an actor (a blocking reader thread, a termination handler, a cancellation handler).
public final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
