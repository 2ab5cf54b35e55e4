import Foundation

/// HTTP-01 through another web server: writes `<webroot>/.well-known/acme-challenge/<token>`
/// with injected closures, so the app can write over SSH (or locally) without this module
/// knowing how. The web server must serve that path for every name in the order.
public struct WebrootHTTP01Solver: ChallengeSolver {
    public let challengeType = "http-01"
    public let webroot: String
    private let write: @Sendable (_ path: String, _ contents: String) async throws -> Void
    private let remove: @Sendable (_ path: String) async throws -> Void

    public init(webroot: String,
                write: @escaping @Sendable (_ path: String, _ contents: String) async throws -> Void,
                remove: @escaping @Sendable (_ path: String) async throws -> Void) {
        self.webroot = webroot.hasSuffix("/") ? String(webroot.dropLast()) : webroot
        self.write = write
        self.remove = remove
    }

    /// Full path of the challenge file for a task (tokens are base64url, so no path tricks).
    public func path(for task: ChallengeTask) -> String {
        webroot + task.httpPath
    }

    public func present(_ task: ChallengeTask) async throws {
        // The token becomes a file name on someone's server: accept only base64url (RFC 8555 §8.3).
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        guard !task.token.isEmpty, task.token.allSatisfy({ allowed.contains($0) }) else {
            throw ACMEError.malformedResponse("challenge token is not base64url")
        }
        try await write(path(for: task), task.keyAuthorization)
    }

    public func cleanUp(_ task: ChallengeTask) async {
        try? await remove(path(for: task))
    }

    /// The write closure, for tests that wrap it.
    func writeForTesting(_ path: String, _ contents: String) async throws {
        try await write(path, contents)
    }

    /// Closures for a local directory (a web server on the Unity host itself).
    public static func local(webroot: String) -> WebrootHTTP01Solver {
        WebrootHTTP01Solver(webroot: webroot, write: { path, contents in
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }, remove: { path in
            try FileManager.default.removeItem(atPath: path)
        })
    }
}
