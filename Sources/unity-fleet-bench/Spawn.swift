import Foundation
import UnityCore

/// UnitySSH's posix_spawn for the bench: sshd closes every inherited descriptor, which hangs
/// Foundation's Process on Linux, so the fleet and the peers are started directly.
enum Spawn {
    static func start(_ path: String, _ args: [String], env: [String: String] = [:], stdoutPath: String = "/dev/null",
                      stdinPath: String = "/dev/null") -> pid_t? {
        let input = open(stdinPath, O_RDONLY | O_CLOEXEC)
        let output = open(stdoutPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { [input, output].filter { $0 >= 0 }.forEach { close($0) } }
        guard input >= 0, output >= 0 else { return nil }
        return try? ChildProcess.spawn(path, args, stdin: input, stdout: output, stderr: output, environment: env)
    }

    /// Waits for `pid`; returns its status and the CPU seconds of it and its waited-for descendants.
    static func wait(_ pid: pid_t) -> (status: Int32, cpu: Double) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        return ((status >> 8) & 0xff, seconds(usage))
    }

    /// Runs to completion, output to `log`.
    @discardableResult
    static func run(_ path: String, _ args: [String], log: String = "/dev/null", stdinPath: String = "/dev/null") -> Int32 {
        guard let pid = start(path, args, stdoutPath: log, stdinPath: stdinPath) else { return -1 }
        return wait(pid).status
    }

    static func seconds(_ usage: rusage) -> Double {
        Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// /proc readings: CPU and RSS of process trees, for the peers (whose ssh masters outlive the run).
enum Proc {
    static let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))

    struct Info { var ppid: Int32; var cpu: Double; var rssKB: Int; var cmdline: String }

    static func all() -> [Int32: Info] {
        var result: [Int32: Info] = [:]
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return result }
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 22, let ppid = Int32(fields[1]), let utime = Double(fields[11]), let stime = Double(fields[12]),
                  let rssPages = Int(fields[21]) else { continue }
            let cmd = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(entry)/cmdline"))).map { String(decoding: $0, as: UTF8.self) } ?? ""
            result[pid] = Info(ppid: ppid, cpu: (utime + stime) / ticks, rssKB: rssPages * 4, cmdline: cmd)
        }
        return result
    }

    /// The pids in the tree under `root` plus any process whose command line contains `marker`
    /// (detached ssh ControlPersist masters, reparented to init).
    static func tree(_ root: pid_t, marker: String?, in table: [Int32: Info]) -> [Int32] {
        var children: [Int32: [Int32]] = [:]
        for (pid, info) in table { children[info.ppid, default: []].append(pid) }
        var result: [Int32] = [root], queue = [root]
        while let next = queue.popLast() {
            let kids = children[next] ?? []
            result += kids
            queue += kids
        }
        if let marker { result += table.filter { $0.value.cmdline.contains(marker) }.map(\.key) }
        return Array(Set(result))
    }

    static func selfPeakRSSMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }

    /// Resets VmHWM so each phase reports its own peak.
    static func resetSelfPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// CPU seconds of the calling thread.
    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func selfCPU() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Spawn.seconds(usage)
    }
}
