import Foundation
import UnityCore
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// Who uses a SQLite database: every `unity serve` holds a shared lock on `<database>.lock` for its
/// life (several processes may share one file: SQLite locks itself), and a restore takes the lock
/// exclusively while it replaces the file, so it is refused while any server runs and no server can
/// start half-way through. The kernel drops the lock when a process dies, kill -9 included.
final class ServeLock: LifecycleHandler, @unchecked Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    static func path(forDatabase database: String) -> String { database + ".lock" }

    /// For `serve`: fails only while a restore replaces the database.
    static func shared(database: String) throws -> ServeLock {
        guard let lock = try take(database, LOCK_SH) else {
            throw ConfigError(setting: "UNITY_DATA_DIR", reason: "unity restore is replacing \(database); start Unity when it has finished")
        }
        return lock
    }

    /// For `restore`: nil while any `unity serve` uses the database.
    static func exclusive(database: String) throws -> ServeLock? { try take(database, LOCK_EX) }

    private static func take(_ database: String, _ mode: Int32) throws -> ServeLock? {
        let descriptor = open(path(forDatabase: database), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ConfigError(setting: "UNITY_DATA_DIR", reason: "cannot open \(path(forDatabase: database))") }
        guard flock(descriptor, mode | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return ServeLock(descriptor: descriptor)
    }

    func release() { close(descriptor) }

    func shutdown(_ application: Application) { release() }
}
