import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells whether a replica named by the default id (`<host>-<pid>`) is gone: on the same host, a
/// pid that no longer exists cannot be working on anything. This lets a restarted single-host
/// Unity mark its predecessor's jobs interrupted at once instead of waiting for the heartbeat to
/// go stale. Any other id (another host, a configured `UNITY_REPLICA_ID`) is never judged here.
enum ReplicaLiveness {
    static func isGone(_ owner: String) -> Bool {
        let prefix = ProcessInfo.processInfo.hostName + "-"
        guard owner.hasPrefix(prefix), let pid = Int32(owner.dropFirst(prefix.count)), pid > 0,
              pid != ProcessInfo.processInfo.processIdentifier else { return false }
        // Signal 0 checks existence only. EPERM means it exists under another user: not gone.
        return kill(pid, 0) == -1 && errno == ESRCH
    }
}
