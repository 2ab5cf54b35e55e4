import Foundation

/// An `openssl s_server -www` on its own loopback address, serving whatever certificate and key
/// files are at `certificatePath` / `keyPath`. Its "reload" is `reloadScript`: a small sh script
/// that stops the running server (pid from a file) and starts a new one on the current files,
/// exactly like the reload command of a real service, so a deploy test can run it over SSH.
final class TestTLSServer: @unchecked Sendable {
    let directory: String
    let address: String
    let port: Int
    var certificatePath: String { directory + "/served/cert.pem" }
    var keyPath: String { directory + "/served/key.pem" }
    var reloadScript: String { directory + "/reload.sh" }
    var pidFile: String { directory + "/server.pid" }
    var log: String { (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? "" }

    init() throws {
        directory = try Spawn.temporaryDirectory("unity-certs-tls")
        try FileManager.default.createDirectory(atPath: directory + "/served", withIntermediateDirectories: true)
        address = Spawn.uniqueLoopbackAddress()
        port = try Spawn.freePort(on: address)
        // setsid + redirects: the server outlives the SSH session that ran the script, and holds
        // none of its descriptors (sshd would otherwise wait for them to close).
        let script = """
        #!/bin/sh
        d=\(directory)
        if [ -f "$d/server.pid" ]; then
          old=$(cat "$d/server.pid")
          kill "$old" 2>/dev/null
          i=0
          while [ $i -lt 50 ] && kill -0 "$old" 2>/dev/null && ! grep -q Z /proc/"$old"/stat 2>/dev/null; do sleep 0.1; i=$((i+1)); done
        fi
        setsid \(OpenSSLTool.path) s_server -accept \(address):\(port) -cert "$d/served/cert.pem" -key "$d/served/key.pem" -www -quiet </dev/null >>"$d/server.log" 2>&1 &
        echo $! > "$d/server.pid"

        """
        try script.write(toFile: reloadScript, atomically: true, encoding: .utf8)
        chmod(reloadScript, 0o755)
    }

    /// Installs the first certificate and starts the server; returns once it accepts connections.
    func start(certificatePEM: String, keyPEM: String) async throws {
        try certificatePEM.write(toFile: certificatePath, atomically: true, encoding: .utf8)
        try keyPEM.write(toFile: keyPath, atomically: true, encoding: .utf8)
        try Spawn.run("/bin/sh", [reloadScript])
        for _ in 0..<100 {
            if Spawn.canConnect(address, port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Spawn.Failure(description: "openssl s_server did not start: \(log)")
    }

    /// Kills the current server by the pid the script recorded.
    func stop() {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { return }
        kill(pid, SIGKILL)
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
