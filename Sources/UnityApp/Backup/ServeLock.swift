import Foundation
import UnityCore
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// One `unity serve` per SQLite database: serve holds an exclusive lock on `<database>.lock` for its
/// life, so a second server (or a restore) on the same file is refused instead of corrupting it. The
/// kernel drops the lock when the process dies, kill -9 included, so it never needs cleaning up.
final class ServeLock: LifecycleHandler, @unchecked Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    static func path(forDatabase database: String) -> String { database + ".lock" }

    static func acquire(database: String) throws -> ServeLock {
        let descriptor = open(path(forDatabase: database), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ConfigError(setting: "UNITY_DATA_DIR", reason: "cannot open \(path(forDatabase: database))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ConfigError(setting: "UNITY_DATA_DIR", reason: "another unity serve is using \(database); stop it first")
        }
        return ServeLock(descriptor: descriptor)
    }

    /// True when a running `unity serve` holds the database (checked without taking the lock for long).
    static func isHeld(database: String) -> Bool {
        let descriptor = open(path(forDatabase: database), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return true }
        flock(descriptor, LOCK_UN)
        return false
    }

    func shutdown(_ application: Application) { close(descriptor) }
}
