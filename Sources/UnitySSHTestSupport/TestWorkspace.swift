import Foundation
import UnitySSH

extension OpenSSHWorkspace {
    /// Tests' OpenSSH folders: one root in the temp folder shared by every test process (each
    /// transport's folder is locked while it lives, so a sweep never takes another run's).
    public static let forTests: OpenSSHWorkspace = {
        do {
            let workspace = try OpenSSHWorkspace(root: "/tmp/unity-ssh-tests")
            workspace.sweepLeftovers()
            return workspace
        } catch {
            preconditionFailure("cannot prepare the tests' OpenSSH folder: \(error)")
        }
    }()
}

// Tests make executors without wiring; the app always passes the workspace under its data folder.
extension AutomaticExecutor {
    public convenience init() throws {
        try self.init(workspace: .forTests)
    }
}

extension OpenSSHTransport {
    public convenience init() throws {
        try self.init(workspace: .forTests)
    }
}
