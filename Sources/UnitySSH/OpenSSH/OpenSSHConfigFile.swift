import Foundation

/// Writes the per-call `ssh -F` config: every option Unity relies on is explicit, and the system's
/// /etc/ssh/ssh_config (which on Debian hashes known_hosts, for one) is never read.
enum OpenSSHConfigFile {
    static let targetAlias = "unity-target"
    static let jumpAlias = "unity-jump"

    struct Paths {
        let directory: String
        let knownHosts: String
        let controlPath: String?
        let identity: String?
        let jumpIdentity: String?
        /// The bastion hop's own diagnostics. ssh sends a proxy's stderr to /dev/null once a ControlPersist
        /// master is asked for, which would hide the bastion's host-key refusal; the hop writes here instead.
        var jumpLog: String? = nil
        var sshPath = "/usr/bin/ssh"
        var config = ""
    }

    /// Host and user names become config values: refuse anything that could break the file's syntax.
    static func checkSafe(_ target: SSHTarget) throws(SSHError) {
        for value in [target.host, target.username] {
            guard !value.isEmpty, !value.hasPrefix("-"), value.unicodeScalars.allSatisfy(isSafe) else {
                throw .transport("host or user name contains characters not allowed in an ssh config")
            }
        }
        if let jump = target.jump { try checkSafe(jump) }
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", ":", "@", "%", "[", "]": true
        default: false
        }
    }

    /// Each hop is checked by its own policy: `accept-new` (on a per-call, empty-for-that-host file)
    /// only for a hop under trust on first use, strict `yes` for a pinned one.
    static func render(target: SSHTarget, paths: Paths) -> String {
        var text = ""
        if let jump = target.jump {
            text += block(alias: jumpAlias, target: jump, identity: paths.jumpIdentity, paths: paths,
                          strict: strictness(jump), controlPath: nil, proxyCommand: nil)
        }
        text += block(alias: targetAlias, target: target, identity: paths.identity, paths: paths,
                      strict: strictness(target), controlPath: paths.controlPath,
                      proxyCommand: target.jump == nil ? nil : jumpCommand(paths))
        return text
    }

    /// What `ProxyJump unity-jump` runs, with the hop's stderr kept (see `Paths.jumpLog`).
    private static func jumpCommand(_ paths: Paths) -> String {
        let log = paths.jumpLog.map { " 2>>" + ShellQuote.quote($0) } ?? ""
        // ssh itself runs the line as `exec <line>` in a shell.
        return "\(ShellQuote.quote(paths.sshPath)) -F \(ShellQuote.quote(paths.config)) -W '[%h]:%p' \(jumpAlias)\(log)"
    }

    private static func strictness(_ hop: SSHTarget) -> String {
        hop.hostKeyPolicy == .trustOnFirstUse ? "accept-new" : "yes"
    }

    /// The name ssh gives a host in its messages and known_hosts: `host`, or `[host]:port` off port 22.
    static func knownHostsName(_ hop: SSHTarget) -> String {
        hop.port == 22 ? hop.host : "[\(hop.host)]:\(hop.port)"
    }

    private static func block(
        alias: String, target: SSHTarget, identity: String?, paths: Paths,
        strict: String, controlPath: String?, proxyCommand: String?
    ) -> String {
        var lines = [
            "Host \(alias)",
            "  HostName \(target.host)",
            "  Port \(target.port)",
            "  User \(target.username)",
            "  BatchMode yes",
            "  StrictHostKeyChecking \(strict)",
            "  UserKnownHostsFile \(paths.knownHosts)",
            "  GlobalKnownHostsFile /dev/null",
            "  HashKnownHosts no",
            "  UpdateHostKeys no",
            "  CheckHostIP no",
            "  IdentitiesOnly yes",
            "  IdentityAgent none",
            "  PasswordAuthentication no",
            "  KbdInteractiveAuthentication no",
            "  ConnectTimeout \(max(1, Int(target.connectTimeout.components.seconds)))",
            "  ServerAliveInterval 15",
            "  ServerAliveCountMax 3",
            "  LogLevel ERROR",
        ]
        lines.append(identity.map { "  IdentityFile \($0)" } ?? "  IdentityFile none")
        if let controlPath {
            lines += ["  ControlMaster auto", "  ControlPath \(controlPath)", "  ControlPersist 60"]
        } else {
            lines += ["  ControlMaster no", "  ControlPath none"]
        }
        if let proxyCommand { lines.append("  ProxyCommand \(proxyCommand)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// known_hosts lines for the target's and the bastion's pins; nothing else is trusted.
    static func knownHosts(for target: SSHTarget) -> String {
        var lines = target.hostKeyPolicy.pins.map { $0.knownHostsLine(host: target.host, port: target.port) }
        if let jump = target.jump { lines += jump.hostKeyPolicy.pins.map { $0.knownHostsLine(host: jump.host, port: jump.port) } }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }
}

/// Files with secrets or trust data: created 0600 (never readable by others, not even briefly).
enum PrivateFile {
    static func write(_ text: String, to path: String) throws(SSHError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .transport("cannot create a private file") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw .transport("cannot write a private file") }
    }

    static func makeDirectory(_ path: String) throws(SSHError) {
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw .transport("cannot create \(path)") }
    }

    static func remove(_ path: String) {
        unlink(path)
    }
}
