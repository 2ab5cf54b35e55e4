import Foundation
import UnitySSH

/// The steps a server goes through; raw values are stable for the app's job log.
public enum KeyStep: String, Sendable, Codable, CaseIterable {
    case read, backup
    case addKey = "add_key"
    case removeKey = "remove_key"
    /// A fresh login with the key that was just installed (the new key, when rotating).
    case proveKey = "prove_key"
    /// A fresh login with the new key after the old one was removed.
    case reproveKey = "reprove_key"
    /// A fresh login with the revoked / rotated-out key must now be refused.
    case proveRevoked = "prove_revoked"
    /// Unity's own access now uses the new key (rotation of Unity's own key only).
    case switchAccess = "switch_access"
    case restore
    /// A fresh login with the credential the result reports as Unity's access.
    case proveAccess = "prove_access"
}

public enum StepOutcome: String, Sendable, Codable {
    case succeeded, failed, skipped
    /// Did not stop the job, but needs a look (e.g. a revoked key still logs in through another file).
    case warning
}

public struct StepRecord: Sendable, Codable, Equatable {
    public let step: KeyStep
    public let outcome: StepOutcome
    public let message: String
    public let startedAt: Date
    public let duration: Duration
}

public enum ServerOutcome: String, Sendable, Codable {
    /// The change is in place and proven.
    case succeeded
    /// Nothing to do: the key was already installed / already absent.
    case unchanged
    /// A step failed before anything was written; the file is as it was.
    case failedUnchanged = "failed_unchanged"
    /// A step failed after a write; the backup was put back, the file is byte-identical to before.
    case failedRestored = "failed_restored"
    /// A step failed and the file could not be put back (or a conflict forbade it): see the step log.
    case failedNeedsAttention = "failed_needs_attention"

    public var isFailure: Bool { self != .succeeded && self != .unchanged }
}

/// What happened on one server.
public struct ServerResult: Sendable {
    public let serverID: String
    public let outcome: ServerOutcome
    public let steps: [StepRecord]
    /// Unity's access to this server after the job: the target the app should store and use from now
    /// on (its credential may be the new key after a rotation). Nil when no credential could be proven.
    public let access: SSHTarget?
    /// Fingerprint of `access`'s key (nil for password access or when `access` is nil).
    public let accessKeyFingerprint: String?
    /// True when `access` differs from the access the job started with.
    public let accessSwitched: Bool
    /// Path of the backup Unity made (left on the server for the admin), `absent` when there was no file.
    public let backupPath: String?
    public let duration: Duration
}

public enum KeyOperation: String, Sendable, Codable {
    case install, revoke, rotate
}

public enum JobOutcome: String, Sendable, Codable {
    case succeeded
    /// Some servers failed, others succeeded.
    case partial
    case failed
}

public struct KeyJobReport: Sendable {
    public let operation: KeyOperation
    /// In the order the servers were given.
    public let servers: [ServerResult]
    public let duration: Duration

    public var outcome: JobOutcome {
        let failures = servers.filter(\.outcome.isFailure).count
        if failures == 0 { return .succeeded }
        return failures == servers.count ? .failed : .partial
    }

    public func result(for serverID: String) -> ServerResult? { servers.first { $0.serverID == serverID } }
}

/// Live progress for the app/UI: one event per step as it finishes, and one per finished server.
public enum KeyJobEvent: Sendable {
    case serverStarted(serverID: String)
    case stepFinished(serverID: String, record: StepRecord)
    case serverFinished(ServerResult)
    case jobFinished(KeyJobReport)
}

/// Receives progress; called from the servers' tasks, so it must be quick and thread-safe.
public typealias KeyJobProgress = @Sendable (KeyJobEvent) -> Void

extension KeyJobEvent {
    /// An AsyncStream of events and the progress callback that feeds it (finished after `.jobFinished`).
    public static func stream() -> (events: AsyncStream<KeyJobEvent>, progress: KeyJobProgress) {
        let (stream, continuation) = AsyncStream.makeStream(of: KeyJobEvent.self, bufferingPolicy: .unbounded)
        return (stream, { event in
            continuation.yield(event)
            if case .jobFinished = event { continuation.finish() }
        })
    }
}
