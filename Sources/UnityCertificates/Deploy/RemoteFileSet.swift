import Foundation
import UnitySSH

/// One file of a set written together.
public struct RemoteFile: Sendable {
    public var path: String
    public var contents: String
    public var mode: String

    public init(path: String, contents: String, mode: String) {
        self.path = path
        self.contents = contents
        self.mode = mode
    }
}

/// Writes several files on a server as one change (a daemon's CA, certificate and key must match
/// each other): every file is staged next to its path first, each replaced file is copied aside
/// before the rename, and any failure puts the copies back, removes files that did not exist
/// before and deletes the staged ones. Every value goes to the remote shell quoted; contents go on
/// stdin, never in a command line.
public struct RemoteFileSetWriter: Sendable {
    public var executor: any SSHExecutor
    public var commandTimeout: Duration

    public init(executor: any SSHExecutor, commandTimeout: Duration = .seconds(60)) {
        self.executor = executor
        self.commandTimeout = commandTimeout
    }

    static func backupPath(_ path: String) -> String { path + ".unity-previous" }

    /// nil when every file is in place; `.writeFailed` naming the file that failed otherwise, with
    /// the server left as it was.
    public func write(_ files: [RemoteFile], owner: String?, creatingDirectory directory: String? = nil,
                      on target: SSHTarget) async -> DeploymentOutcome? {
        if let directory, let failure = await run(RemoteCommand(argv: ["mkdir", "-p", "--", directory], privileged: true), on: target) {
            return .writeFailed(path: directory, message: failure)
        }
        var staged: [(temp: String, path: String)] = []
        for file in files {
            do {
                let command = try RemoteFileWrite.stage(path: file.path, contents: Data(file.contents.utf8), mode: file.mode, owner: owner)
                let result = try await executor.run(command, on: target, timeout: commandTimeout, maxOutput: 1 << 16)
                let temp = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                guard result.succeeded, temp.hasPrefix("/") else {
                    await discard(staged.map(\.temp), on: target)
                    return .writeFailed(path: file.path, message: Self.excerpt(result, fallback: "exit \(result.exitStatus)"))
                }
                staged.append((temp, file.path))
            } catch {
                await discard(staged.map(\.temp), on: target)
                return .writeFailed(path: file.path, message: String(describing: error))
            }
        }
        // Replaced so far, and whether each had a previous version copied aside.
        var replaced: [(path: String, hadPrevious: Bool)] = []
        for (index, file) in staged.enumerated() {
            let failure: String?
            var hadPrevious = false
            do {
                // A directory at the path would swallow the rename (`mv` moves into it): refused.
                let keep = try RemoteCommand(template: """
                    if test -d {path}; then echo "is a directory" >&2; exit 75; fi
                    if test -f {path}; then cp -p {path} {backup} && echo kept; else echo none; fi
                    """,
                                             ["path": file.path, "backup": Self.backupPath(file.path)], privileged: true)
                let kept = try await executor.run(keep, on: target, timeout: commandTimeout, maxOutput: 1 << 16)
                hadPrevious = kept.stdoutText.hasPrefix("kept")
                if !kept.succeeded {
                    failure = Self.excerpt(kept, fallback: "cannot keep a copy of the previous file")
                } else {
                    failure = await run(RemoteFileWrite.commit(temp: file.temp, path: file.path), on: target)
                }
            } catch {
                failure = String(describing: error)
            }
            if let failure {
                // This file's rename did not happen: its copy is only dropped; the ones before it go back.
                if hadPrevious { _ = await run(RemoteCommand(argv: ["rm", "-f", "--", Self.backupPath(file.path)], privileged: true), on: target) }
                await restore(replaced, on: target)
                await discard(staged[index...].map(\.temp), on: target)
                return .writeFailed(path: file.path, message: failure)
            }
            replaced.append((file.path, hadPrevious))
        }
        let copies = replaced.filter(\.hadPrevious).map { Self.backupPath($0.path) }
        if !copies.isEmpty { _ = await run(RemoteCommand(argv: ["rm", "-f", "--"] + copies, privileged: true), on: target) }
        return nil
    }

    /// Puts each replaced file's previous version back, or removes a file that was new.
    private func restore(_ files: [(path: String, hadPrevious: Bool)], on target: SSHTarget) async {
        for file in files.reversed() {
            let command = file.hadPrevious
                ? RemoteCommand(argv: ["mv", "-f", "--", Self.backupPath(file.path), file.path], privileged: true)
                : RemoteCommand(argv: ["rm", "-f", "--", file.path], privileged: true)
            _ = await run(command, on: target)
        }
    }

    private func discard(_ temps: [String], on target: SSHTarget) async {
        guard !temps.isEmpty else { return }
        _ = await run(RemoteFileWrite.discard(temps), on: target)
    }

    /// nil on success, else what went wrong in a few words.
    private func run(_ command: RemoteCommand, on target: SSHTarget) async -> String? {
        do {
            let result = try await executor.run(command, on: target, timeout: commandTimeout, maxOutput: 1 << 16)
            return result.succeeded ? nil : Self.excerpt(result, fallback: "exit \(result.exitStatus)")
        } catch {
            return String(describing: error)
        }
    }

    static func excerpt(_ result: CommandResult, fallback: String) -> String {
        let text = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? fallback : String(text.prefix(2000))
    }
}
