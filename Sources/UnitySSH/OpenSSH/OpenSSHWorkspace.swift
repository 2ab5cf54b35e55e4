import Foundation

/// Where the OpenSSH transport keeps its private files (control sockets, known_hosts, and key
/// files while a command runs): one `ssh-XXXXXX` folder per transport under `root` (the app uses
/// `<data dir>/run`, mode 0700), never the shared /tmp. A process that crashes leaves its folder
/// behind; `sweepLeftovers()` at the next start removes it.
///
/// A folder is live while its transport holds an exclusive `flock` on its `.lock` file, so a sweep
/// by another process on the same data folder (a second replica, a CLI command) never removes a
/// live folder; the lock goes with the process, however it ends.
public struct OpenSSHWorkspace: Sendable {
    public let root: String

    /// `ssh-` plus mkdtemp's six characters: the only names a sweep touches.
    static let prefix = "ssh-"
    static let lockName = ".lock"
    /// A unix socket path holds at most 107 bytes; ssh binds `<root>/ssh-XXXXXX/<16 hex>/c` plus a
    /// 17-byte temporary suffix, which leaves this much for `root`.
    public static let maximumRootLength = 107 - 11 - 19 - 17

    public init(root: String) throws(SSHError) {
        guard root.hasPrefix("/") else { throw .transport("the OpenSSH folder \(root) must be an absolute path") }
        guard root.utf8.count <= Self.maximumRootLength else {
            throw .transport("the OpenSSH folder \(root) is too long for control sockets (at most \(Self.maximumRootLength) characters)")
        }
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .transport("cannot create \(root)")
        }
        // An existing folder keeps its mode otherwise; key files inside it are 0600 either way.
        guard chmod(root, 0o700) == 0 else { throw .transport("cannot make \(root) private") }
        self.root = root
    }

    /// Removes every `ssh-XXXXXX` folder under `root` that no live transport holds: the key files
    /// and control sockets of a process that crashed. Returns the folders removed.
    @discardableResult
    public func sweepLeftovers() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter(Self.isTransportFolder).compactMap { name -> String? in
            let folder = "\(root)/\(name)"
            var info = stat()
            guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
            let lock = open("\(folder)/\(Self.lockName)", O_RDWR | O_NOFOLLOW | O_CLOEXEC)
            // No lock file: folders become visible only after their lock is taken, so this one is dead too.
            if lock >= 0 {
                defer { close(lock) }
                guard flock(lock, LOCK_EX | LOCK_NB) == 0 else { return nil }
            }
            try? FileManager.default.removeItem(atPath: folder)
            return folder
        }
    }

    static func isTransportFolder(_ name: String) -> Bool {
        name.hasPrefix(prefix) && name.count == prefix.count + 6
            && name.dropFirst(prefix.count).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// A new private folder for one transport, locked for as long as the returned value lives.
    func makeTransportFolder() throws(SSHError) -> TransportFolder {
        // Created hidden, locked, then renamed into view, so a concurrent sweep never sees it unlocked.
        var template = Array("\(root)/.\(Self.prefix)XXXXXX".utf8CString)
        let hidden = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return nil }
            return String(cString: made)
        }
        guard let hidden else { throw .transport("cannot create a private folder under \(root)") }
        let lock = open("\(hidden)/\(Self.lockName)", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            if lock >= 0 { close(lock) }
            try? FileManager.default.removeItem(atPath: hidden)
            throw .transport("cannot lock a private folder under \(root)")
        }
        let visible = "\(root)/\(hidden.dropFirst(root.count + 2))"
        guard rename(hidden, visible) == 0 else {
            close(lock)
            try? FileManager.default.removeItem(atPath: hidden)
            throw .transport("cannot create a private folder under \(root)")
        }
        return TransportFolder(path: visible, lock: lock)
    }
}

/// One transport's folder and the lock that marks it live; removed by `remove()`, released on deinit.
final class TransportFolder: Sendable {
    let path: String
    private let lock: Int32

    init(path: String, lock: Int32) {
        self.path = path
        self.lock = lock
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    deinit { close(lock) }
}
