import Foundation
import UnitySSH

/// Updates one compose-managed service through Compose on its own host, over SSH, when the compose
/// files named by the container's labels are readable there. Going through Compose (rather than
/// recreating through the engine API) keeps the file, the project and the container in agreement: a
/// later `docker compose up -d` finds nothing to change.
///
/// The file is edited only when the service pins a tag that differs from the candidate's; the
/// operator's original is kept beside it as `FILE.unity-bak` until the update is judged healthy.
public struct ComposeServiceUpdater: Sendable {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Compose cannot be used here; the caller takes the API path. Nothing was changed.
        case notApplicable(String)
        /// A command failed; `output` is its stderr (bounded), for the journal.
        case commandFailed(step: String, status: Int32, output: String)

        public var description: String {
            switch self {
            case .notApplicable(let why): "compose update not possible: \(why)"
            case .commandFailed(let step, let status, let output): "\(step) exited \(status): \(output)"
            }
        }
    }

    /// What `prepare` found: the program, and the file edit to make (nil when the file already names
    /// the candidate, as with a floating tag).
    public struct Plan: Sendable, Equatable {
        public var invocation: ComposeInvocation
        public var file: String
        public var editedText: String?
        public var previousImage: String
        public var backupFile: String { file + ".unity-bak" }
    }

    public var executor: any SSHExecutor
    public var target: SSHTarget
    public var engineSocket: String?
    /// Compose pulls and recreates; both can take minutes on a slow link.
    public var commandTimeout: Duration

    public init(executor: any SSHExecutor, target: SSHTarget, engineSocket: String?, commandTimeout: Duration = .seconds(600)) {
        self.executor = executor
        self.target = target
        self.engineSocket = engineSocket
        self.commandTimeout = commandTimeout
    }

    /// Reads the host: the Compose program, the file, and the edit. Changes nothing.
    public func prepare(_ service: ComposeService, candidate: String) async throws -> Plan {
        guard let file = service.primaryFile, !service.workingDirectory.isEmpty else {
            throw Failure.notApplicable("the container's labels name no compose file or project directory")
        }
        let probe = ComposeProbe.parse(try await run(ComposeProbe.command(files: service.configFiles, engineSocket: engineSocket),
                                                     step: "probe").stdoutText)
        guard let tool = probe.tool else { throw Failure.notApplicable("no docker compose, docker-compose or podman-compose on the host") }
        let unreadable = service.configFiles.filter { !probe.readable.contains($0) }
        guard unreadable.isEmpty else { throw Failure.notApplicable("not readable on the host: \(unreadable.joined(separator: ", "))") }
        let text = try await run(RemoteCommand(argv: ["cat", "--", file]), step: "read \(file)").stdoutText
        let edit: ComposeFileImageEdit.Outcome
        let previous: String
        do {
            previous = try ComposeFileImageEdit.currentImage(in: text, service: service.service)
            edit = try ComposeFileImageEdit.setImage(candidate, in: text, service: service.service)
        } catch {
            throw Failure.notApplicable("\(file): \(error)")
        }
        var editedText: String?
        if case .edited(let newText, _) = edit {
            guard probe.writable.contains(file) else { throw Failure.notApplicable("\(file) is not writable on the host") }
            editedText = newText
        }
        return Plan(invocation: ComposeInvocation(tool: tool, service: service, engineSocket: engineSocket),
                    file: file, editedText: editedText, previousImage: previous)
    }

    /// Keeps the original as `FILE.unity-bak` and writes the edited file in place (same inode, so its
    /// owner and mode stay; the backup is a full copy should the write be cut short).
    public func writeFile(_ plan: Plan) async throws {
        guard let editedText = plan.editedText else { return }
        try await run(RemoteCommand(argv: ["cp", "-p", "--", plan.file, plan.backupFile]), step: "keep \(plan.backupFile)")
        let write = RemoteCommand(argv: ["sh", "-c", "cat > \"$1\"", "sh", plan.file]).withInput(Data(editedText.utf8))
        try await run(write, step: "write \(plan.file)")
    }

    /// `pull SERVICE`: when it fails, nothing but the file was touched (and `restoreFile` undoes that).
    public func pull(_ plan: Plan) async throws {
        try await run(plan.invocation.pull, step: "compose pull")
    }

    /// `up -d --no-deps SERVICE`: Compose recreates the service's container with the new image.
    public func up(_ plan: Plan) async throws {
        try await run(plan.invocation.up, step: "compose up")
    }

    /// Puts the operator's file back (when it was edited) and removes the backup copy.
    public func restoreFile(_ plan: Plan) async throws {
        guard plan.editedText != nil else { return }
        // Repeatable: once the original is back and its copy gone, there is nothing left to do.
        try await run(RemoteCommand(argv: ["sh", "-c", "[ ! -e \"$1\" ] || { cat -- \"$1\" > \"$2\" && rm -f -- \"$1\"; }", "sh", plan.backupFile, plan.file]),
                      step: "restore \(plan.file)")
    }

    /// After a healthy update the backup copy has done its job.
    public func discardBackup(_ plan: Plan) async throws {
        guard plan.editedText != nil else { return }
        try await run(RemoteCommand(argv: ["rm", "-f", "--", plan.backupFile]), step: "remove \(plan.backupFile)")
    }

    @discardableResult
    private func run(_ command: RemoteCommand, step: String) async throws -> CommandResult {
        let result = try await executor.run(command, on: target, timeout: commandTimeout, maxOutput: 4 << 20)
        guard result.succeeded else {
            throw Failure.commandFailed(step: step, status: result.exitStatus, output: String(result.stderrText.suffix(2_000)))
        }
        return result
    }
}
