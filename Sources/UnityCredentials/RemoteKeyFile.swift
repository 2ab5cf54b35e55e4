import Foundation
import UnitySSH

/// The remote side of editing one authorized_keys file. Each operation is one small POSIX `sh`
/// script run as `sh -c SCRIPT unity-keys ARG…`: the script is a constant, every value (path, checksum,
/// backup name) arrives as a positional parameter and file contents arrive on stdin, so no value is
/// ever parsed as shell syntax and no key material shows in `ps`.
///
/// Writes are compare-and-swap: the caller passes the checksum it got from `read`, and the write is
/// refused (exit 10) if the file changed since, so a concurrent edit by an admin is never lost.
/// The checksum is `sha256sum` where available, else POSIX `cksum`; it is opaque to Unity and only
/// ever compared on the same host.
struct RemoteKeyFile: Sendable {
    /// What `read` saw: the contents (nil when the file does not exist) and its checksum token.
    struct Snapshot: Sendable, Equatable {
        var contents: Data?
        var checksum: String
    }

    static let absent = "absent"

    let executor: any SSHExecutor
    let location: AuthorizedKeysLocation
    var timeout: Duration = .seconds(30)

    func read(over target: SSHTarget) async throws(KeyFileError) -> Snapshot {
        let output = try await run(Self.readScript, [], over: target, step: "read")
        let stdout = output.stdout
        guard let newline = stdout.firstIndex(of: UInt8(ascii: "\n")) else {
            throw .unexpectedOutput("read printed no header")
        }
        let header = String(decoding: stdout[..<newline], as: UTF8.self)
        if header == "UNITY-ABSENT" { return Snapshot(contents: nil, checksum: Self.absent) }
        guard header.hasPrefix("UNITY-SUM ") else { throw .unexpectedOutput("read header \(header.prefix(40))") }
        return Snapshot(contents: Data(stdout[stdout.index(after: newline)...]), checksum: String(header.dropFirst(10)))
    }

    /// Copies the file (mode kept) to `<file>.unity-backup-<stamp>`; returns that path, or `absent`
    /// when there was no file (restoring then means removing it).
    func backup(stamp: String, over target: SSHTarget) async throws(KeyFileError) -> String {
        let output = try await run(Self.backupScript, [stamp], over: target, step: "backup")
        return output.stdoutText.trimmingCharacters(in: .newlines)
    }

    /// Replaces the file atomically with `contents` if its checksum is still `expected`; returns the new checksum.
    func write(_ contents: Data, expecting expected: String, over target: SSHTarget) async throws(KeyFileError) -> String {
        let output = try await run(Self.writeScript, [expected], input: contents, over: target, step: "write")
        return output.stdoutText.trimmingCharacters(in: .newlines)
    }

    /// Puts the backup back (atomically) if the file is still what Unity last wrote (`expected`).
    func restore(backup: String, expecting expected: String, over target: SSHTarget) async throws(KeyFileError) -> String {
        let output = try await run(Self.restoreScript, [backup, expected], over: target, step: "restore")
        return output.stdoutText.trimmingCharacters(in: .newlines)
    }

    private func run(
        _ script: String, _ arguments: [String], input: Data? = nil, over target: SSHTarget, step: String
    ) async throws(KeyFileError) -> CommandResult {
        var command = RemoteCommand(argv: ["sh", "-c", Self.prelude + script, "unity-keys", location.path] + arguments)
        if let input { command = command.withInput(input) }
        let result: CommandResult
        do {
            result = try await executor.run(command, on: target, timeout: timeout, maxOutput: 4 << 20)
        } catch let error as SSHError {
            throw .ssh(error)
        } catch {
            throw .ssh(.transport("unexpected \(type(of: error))"))
        }
        switch result.exitStatus {
        case 0: return result
        case 10: throw .changedSinceRead
        default:
            let stderr = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw .remote(step: step, status: result.exitStatus, stderr: String(stderr.prefix(300)))
        }
    }

    // Scripts. $1 is the path; relative paths are under the login user's $HOME.
    // Exit codes: 10 changed since read, 11 mkdir, 12 temp file, 13 replace, 14 backup, 15 backup missing.
    private static let prelude = #"""
        set -u
        case $1 in /*) f=$1 ;; *) f=$HOME/$1 ;; esac
        d=${f%/*}
        shift
        fsum() { if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1; else cksum | tr -d ' \t'; fi; }
        cur() { if [ -e "$f" ]; then fsum < "$f"; else echo absent; fi; }

        """#

    // The checksum is taken before and after cat: if they differ the file changed while being read.
    private static let readScript = #"""
        [ -e "$f" ] || { echo UNITY-ABSENT; exit 0; }
        s=$(cur); printf 'UNITY-SUM %s\n' "$s"
        cat -- "$f" || exit 12
        [ "$(cur)" = "$s" ] || exit 10
        """#

    private static let backupScript = #"""
        [ -e "$f" ] || { echo absent; exit 0; }
        b=$f.unity-backup-$1
        cp -p -- "$f" "$b" || exit 14
        printf '%s\n' "$b"
        """#

    // The temp file lives in the same directory so mv is an atomic rename. An existing file's mode and
    // owner are copied onto it first (cp -p): a root-owned 0644 file under /etc/ssh must stay readable
    // by the user sshd reads it as. A new file is created 0600 in a 0700 directory.
    private static let writeScript = #"""
        if [ ! -d "$d" ]; then (umask 077; mkdir -p -- "$d") || exit 11; fi
        [ "$(cur)" = "$1" ] || exit 10
        t=$d/.unity-keys-tmp.$$
        rm -f -- "$t"
        if [ -e "$f" ]; then cp -p -- "$f" "$t" || exit 12; fi
        (umask 077; cat > "$t") || { rm -f -- "$t"; exit 12; }
        [ -e "$f" ] || chmod 600 "$t"
        [ "$(cur)" = "$1" ] || { rm -f -- "$t"; exit 10; }
        mv -f -- "$t" "$f" || { rm -f -- "$t"; exit 13; }
        cur
        """#

    private static let restoreScript = #"""
        [ "$(cur)" = "$2" ] || exit 10
        if [ "$1" = absent ]; then rm -f -- "$f" || exit 13; echo absent; exit 0; fi
        [ -f "$1" ] || exit 15
        t=$d/.unity-keys-tmp.$$
        rm -f -- "$t"
        cp -p -- "$1" "$t" || exit 12
        mv -f -- "$t" "$f" || { rm -f -- "$t"; exit 13; }
        cur
        """#
}

/// Why an authorized_keys operation failed.
public enum KeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case ssh(SSHError)
    /// The file changed between Unity's read and its write: someone else edited it; nothing was overwritten.
    case changedSinceRead
    case remote(step: String, status: Int32, stderr: String)
    case unexpectedOutput(String)

    public var description: String {
        switch self {
        case .ssh(let error): error.description
        case .changedSinceRead: "authorized_keys changed since it was read (concurrent edit); nothing was overwritten"
        case .remote(let step, let status, let stderr): "\(step) failed with status \(status)\(stderr.isEmpty ? "" : ": \(stderr)")"
        case .unexpectedOutput(let what): "unexpected output: \(what)"
        }
    }
}
