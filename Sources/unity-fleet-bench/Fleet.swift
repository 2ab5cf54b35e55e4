import Foundation

/// N real sshd hosts on 127.0.1.1…, each with its own ed25519 host key, one client key for all.
final class Fleet {
    let directory: String
    let count: Int
    let port = 2200
    /// A plain account with /bin/sh: root's .bashrc here runs `pyenv init` (~0.7 s) on every ssh command,
    /// which would measure pyenv, not SSH. Homelab servers are closer to a plain shell.
    static let user = "unitybench"
    private(set) var pids: [pid_t] = []

    init(count: Int, directory: String) throws {
        self.count = count
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        if Spawn.run("/usr/bin/id", [Fleet.user]) != 0 {
            Spawn.run("/usr/sbin/useradd", ["-m", "-s", "/bin/sh", "-p", "*", Fleet.user])
        }
        if !FileManager.default.fileExists(atPath: "\(directory)/client") {
            Spawn.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", "\(directory)/client"])
        }
        try FileManager.default.copyItem(atPath: "\(directory)/client.pub", toPath: "\(directory)/authorized_keys")
    }

    func address(_ index: Int) -> String { "127.0.1.\(index + 1)" }
    var clientKeyPath: String { "\(directory)/client" }
    var knownHostsPath: String { "\(directory)/known_hosts" }

    /// Generates host keys and starts every sshd; writes the known_hosts file all clients share.
    func start() throws {
        var known = ""
        for index in 0..<count {
            let host = "\(directory)/h\(index)"
            try FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: true)
            Spawn.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", "\(host)/key"])
            // Subsystem sftp: Debian's default; Ansible's script module copies the script over SFTP.
            let config = """
            ListenAddress \(address(index)):\(port)
            HostKey \(host)/key
            PidFile none
            AuthorizedKeysFile \(directory)/authorized_keys
            StrictModes no
            UsePAM no
            PermitRootLogin no
            AllowUsers \(Fleet.user)
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            MaxSessions 10
            LogLevel ERROR
            Subsystem sftp /usr/lib/openssh/sftp-server

            """
            try config.write(toFile: "\(host)/sshd_config", atomically: true, encoding: .utf8)
            guard let pid = Spawn.start("/usr/sbin/sshd", ["-D", "-f", "\(host)/sshd_config", "-E", "\(host)/log"]) else {
                throw BenchError("cannot start sshd \(index)")
            }
            pids.append(pid)
            let pub = try String(contentsOfFile: "\(host)/key.pub", encoding: .utf8).split(separator: " ")
            known += "[\(address(index))]:\(port) \(pub[0]) \(pub[1])\n"
        }
        try known.write(toFile: knownHostsPath, atomically: true, encoding: .utf8)
        Thread.sleep(forTimeInterval: 0.5 + Double(count) / 200)
    }

    func pin(_ index: Int) -> String {
        (try? String(contentsOfFile: "\(directory)/h\(index)/key.pub", encoding: .utf8)) ?? ""
    }

    /// Kills every sshd and its session children, by pid.
    func stop() {
        let table = Proc.all()
        for pid in pids {
            for child in Proc.tree(pid, marker: nil, in: table) where child != pid { kill(child, SIGKILL) }
            kill(pid, SIGKILL)
            _ = Spawn.wait(pid)
        }
        pids = []
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
