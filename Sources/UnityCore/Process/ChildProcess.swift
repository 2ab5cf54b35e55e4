import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a local program could not be run to the end.
public enum ProcessError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotStart(String)
    case timeout
    case outputTooLarge(limit: Int)
    case cancelled

    public var description: String {
        switch self {
        case .cannotStart(let reason): reason
        case .timeout: "the program did not finish in time and was stopped"
        case .outputTooLarge(let limit): "the program wrote more than \(limit) bytes and was stopped"
        case .cancelled: "cancelled"
        }
    }
}

/// posix_spawn-based child processes, for every program Unity or its tests start. Foundation's
/// `Process` on Linux is unusable with ssh and sshd: both close every inherited descriptor at
/// start-up (`closefrom`), including the socket Foundation watches for exit, after which Foundation
/// blocks its only monitor thread in `waitpid` and every other `Process` in the program stops completing.
public enum ChildProcess {
    /// Starts `path` with `arguments`, wiring the given descriptors to 0/1/2 and closing all others.
    /// The child's environment is `ChildEnvironment.make(environment)`: PATH, HOME, LANG and what
    /// the caller adds for this child, never this process's own environment.
    public static func spawn(_ path: String, _ arguments: [String], stdin: Int32, stdout: Int32, stderr: Int32,
                             environment: [String: String] = [:]) throws(ProcessError) -> pid_t {
        let envp = try ChildEnvironment.make(environment).map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // Nothing of ours (NIO sockets, other children's pipes) leaks into the child.
        _ = GlibcExtras.addCloseFrom?(&actions, 3)
        // Default signal handling and nothing blocked: Dispatch's and Swift concurrency's worker
        // threads block signals, and a blocked mask (like an ignored signal) survives exec, so an
        // ssh, a DNS hook or a test's server would otherwise ignore SIGTERM, and so would its children.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw .cannotStart("cannot start \(path) (errno \(result))") }
        return pid
    }

    /// A pipe whose ends are close-on-exec, so concurrent spawns never inherit each other's pipes.
    public static func pipe() throws(ProcessError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        if let pipe2 = GlibcExtras.pipe2 {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { throw .cannotStart("cannot create a pipe") }
        } else {
            guard Glibc.pipe(&fds) == 0 else { throw .cannotStart("cannot create a pipe") }
            fds.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
        }
        return (fds[0], fds[1])
    }

    /// Reads both descriptors to EOF (poll, on the calling thread), stopping early past `limit` bytes or
    /// once `shouldStop` says so. The early stop matters: with ControlMaster, ssh hands our pipes to the
    /// master process, so killing the client does not close them until the remote command ends.
    public static func drain(
        _ out: Int32, _ err: Int32, limit: Int, shouldStop: () -> Bool = { false }, onOverflow: () -> Void
    ) -> (Data, Data) {
        var stdout = Data(), stderr = Data()
        var fds = [pollfd(fd: out, events: Int16(POLLIN), revents: 0), pollfd(fd: err, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65536)
        var overflowed = false
        while fds.contains(where: { $0.fd >= 0 }), !shouldStop() {
            guard poll(&fds, nfds_t(fds.count), 100) >= 0 || errno == EINTR else { break }
            for index in fds.indices where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = read(fds[index].fd, &buffer, buffer.count)
                if count <= 0 {
                    if count < 0 && errno == EINTR { continue }
                    fds[index].fd = -1
                    continue
                }
                if index == 0 { stdout.append(buffer, count: count) } else { stderr.append(buffer, count: count) }
                if !overflowed, stdout.count + stderr.count > limit {
                    overflowed = true
                    onOverflow()
                }
            }
        }
        return (stdout, stderr)
    }

    /// Waits for `pid` (blocking), returning its exit status, or 128+signal when it was killed.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// glibc functions the Swift Glibc module hides behind _GNU_SOURCE (glibc ≥ 2.34 has both), looked up once.
enum GlibcExtras {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    static let pipe2: Pipe2? = lookup("pipe2")
    static let addCloseFrom: AddCloseFrom? = lookup("posix_spawn_file_actions_addclosefrom_np")

    private static func lookup<T>(_ name: String) -> T? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: T.self)
    }
}
