import Foundation
import NIOConcurrencyHelpers
import UnityCore
#if canImport(Glibc)
import Glibc
#endif

/// Real `docker-registry` (distribution 2.8.2, shared/TESTBED.md §4) processes for tests, each started
/// once per test process on first use, on 127.0.0.1 with a port the registry itself picks, and
/// stopped by pid at exit:
///
/// * `open()`: no auth, plain HTTP, access log on (`manifestRequestCount` counts at the registry);
/// * `tokenAuth()`: `auth.token` with `TestTokenServer` as realm (`http://localhost:PORT/token`);
///   anonymous pull of `public/…`, credentialed pull and push of everything;
/// * `basicTLS()`: htpasswd Basic auth over HTTPS with a certificate from a fresh test CA.
public final class TestRegistry: Sendable {
    public enum Kind: String, Sendable { case open, token, basicTLS = "basic-tls" }

    /// Credentials of the token and Basic registries (a canary: the suite's logs are grepped for it).
    public static let username = "unity"
    public static let password = "reg-UNITYCANARY-s3cret"

    public let kind: Kind
    public let directory: String
    public let port: Int
    public let pid: pid_t
    /// The test CA that signed the HTTPS registry's certificate.
    public let caCertificatePEM: String?
    public let tokenServer: TestTokenServer?

    /// `127.0.0.1:PORT`.
    public var host: String { "127.0.0.1:\(port)" }
    /// `localhost:PORT`: the same registry under the host name its token realm uses.
    public var localhostHost: String { "localhost:\(port)" }

    public static func open() throws -> TestRegistry { try sharedOpen.get() }
    public static func tokenAuth() throws -> TestRegistry { try sharedToken.get() }
    public static func basicTLS() throws -> TestRegistry { try sharedBasicTLS.get() }

    private static let sharedOpen = Result { try start(.open) }
    private static let sharedToken = Result { try start(.token) }
    private static let sharedBasicTLS = Result { try start(.basicTLS) }

    private init(kind: Kind, directory: String, port: Int, pid: pid_t, caCertificatePEM: String?, tokenServer: TestTokenServer?) {
        self.kind = kind
        self.directory = directory
        self.port = port
        self.pid = pid
        self.caCertificatePEM = caCertificatePEM
        self.tokenServer = tokenServer
    }

    static let binary = "/usr/bin/docker-registry"

    private static func start(_ kind: Kind) throws -> TestRegistry {
        try RegistryTestCommand.ensurePackages([binary: "docker-registry", "/usr/bin/skopeo": "skopeo",
                                                "/usr/bin/htpasswd": "apache2-utils", "/usr/bin/openssl": "openssl"])
        let dir = try RegistryTestCommand.temporaryDirectory("unity-registry-\(kind.rawValue)")
        var http = "http:\n  addr: 127.0.0.1:0\n"
        var auth = ""
        var ca: String?
        var tokenServer: TestTokenServer?
        switch kind {
        case .open: break
        case .token:
            try RegistryTestCommand.run("/usr/bin/openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
                "-subj", "/CN=Unity test token signer", "-keyout", "\(dir)/token-key.pem", "-out", "\(dir)/token-cert.pem"])
            let server = try TestTokenServer(keyPEM: try String(contentsOfFile: "\(dir)/token-key.pem", encoding: .utf8),
                                             certificatePEM: try String(contentsOfFile: "\(dir)/token-cert.pem", encoding: .utf8),
                                             username: username, password: password)
            tokenServer = server
            auth = """
            auth:
              token:
                realm: \(server.realm)
                service: \(TestTokenServer.service)
                issuer: \(TestTokenServer.issuer)
                rootcertbundle: \(dir)/token-cert.pem

            """
        case .basicTLS:
            ca = try TestCertificates.makeServerCertificate(in: dir)
            http += "  tls:\n    certificate: \(dir)/server.pem\n    key: \(dir)/server-key.pem\n"
            let line = try RegistryTestCommand.run("/usr/bin/htpasswd", ["-Bbn", username, password])
            try line.trimmingCharacters(in: .whitespacesAndNewlines).appending("\n").write(toFile: "\(dir)/htpasswd", atomically: true, encoding: .utf8)
            auth = "auth:\n  htpasswd:\n    realm: unity-test-registry\n    path: \(dir)/htpasswd\n"
        }
        let config = """
        version: 0.1
        log:
          level: info
          accesslog:
            disabled: false
        storage:
          filesystem:
            rootdirectory: \(dir)/storage
          delete:
            enabled: true
        \(http)\(auth)
        """
        try config.write(toFile: "\(dir)/config.yml", atomically: true, encoding: .utf8)
        let logPath = "\(dir)/registry.log"
        let log = Glibc.open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let null = Glibc.open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(log); close(null) }
        let pid = try ChildProcess.spawn(binary, ["serve", "\(dir)/config.yml"], stdin: null, stdout: log, stderr: log)
        RegistryReaper.register(pid: pid, directory: dir)
        let port = try waitForPort(pid: pid, log: logPath)
        return TestRegistry(kind: kind, directory: dir, port: port, pid: pid, caCertificatePEM: ca, tokenServer: tokenServer)
    }

    /// The registry logs `listening on 127.0.0.1:PORT` once it accepts connections.
    private static func waitForPort(pid: pid_t, log: String) throws -> Int {
        for _ in 0..<200 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on 127\.0\.0\.1:[0-9]+"#, options: .regularExpression),
               let port = Int(text[range].split(separator: ":").last ?? "") {
                return port
            }
            guard kill(pid, 0) == 0 else { break }
            usleep(50_000)
        }
        throw RegistryTestSupportError("docker-registry did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    public var log: String { (try? String(contentsOfFile: "\(directory)/registry.log", encoding: .utf8)) ?? "" }

    /// Manifest requests (HEAD and GET) for `repository` the registry has served, from its access log;
    /// `userAgentPrefix` keeps only one client's (`Unity-Registry` leaves out the pushes by skopeo).
    public func manifestRequestCount(repository: String, userAgentPrefix: String? = nil) -> Int {
        log.split(separator: "\n").filter { line in
            (line.contains("\"HEAD /v2/\(repository)/manifests/") || line.contains("\"GET /v2/\(repository)/manifests/"))
                && (userAgentPrefix.map { line.contains("\"\($0)") } ?? true)
        }.count
    }
}

/// Stops every started registry at process exit (atexit), by pid, and removes its directory.
enum RegistryReaper {
    private static let started = NIOLockedValueBox<[(pid_t, String)]>([])
    private static let installed = NIOLockedValueBox(false)

    static func register(pid: pid_t, directory: String) {
        started.withLockedValue { $0.append((pid, directory)) }
        let first = installed.withLockedValue { done -> Bool in defer { done = true }; return !done }
        if first { atexit { RegistryReaper.stopAll() } }
    }

    static func stopAll() {
        for (pid, directory) in started.withLockedValue({ list -> [(pid_t, String)] in defer { list = [] }; return list }) {
            kill(pid, SIGTERM)
            var exited = false
            for _ in 0..<40 {
                if waitpid(pid, nil, WNOHANG) == pid { exited = true; break }
                usleep(25_000)
            }
            if !exited {
                kill(pid, SIGKILL)
                _ = waitpid(pid, nil, 0)
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}
