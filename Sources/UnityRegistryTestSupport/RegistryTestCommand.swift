import Foundation
import UnityCore
#if canImport(Glibc)
import Glibc
#endif

/// Local programs for registry test set-up (openssl, htpasswd, skopeo, curl, apt-get), through
/// UnityCore's posix_spawn.
public enum RegistryTestCommand {
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let output = try ChildProcess.pipe(), errors = try ChildProcess.pipe()
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let pid = try ChildProcess.spawn(executable, arguments, stdin: null, stdout: output.write, stderr: errors.write,
                                         environment: environment)
        [null, output.write, errors.write].forEach { close($0) }
        let (out, err) = ChildProcess.drain(output.read, errors.read, limit: 1 << 24) {}
        [output.read, errors.read].forEach { close($0) }
        let status = ChildProcess.wait(pid)
        guard status == 0 else {
            // Arguments are left out: some carry the test registries' credentials.
            throw RegistryTestSupportError("\(executable) \(arguments.first ?? "") exited \(status): \(String(decoding: err, as: UTF8.self).prefix(2000))")
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func temporaryDirectory(_ prefix: String) throws -> String {
        let path = "/tmp/\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Installs the Debian packages whose marker file is missing (policy-rc.d keeps apt from starting
    /// the packaged registry on :5000, as scripts/test.sh does).
    static func ensurePackages(_ markers: [String: String]) throws {
        let missing = markers.filter { !FileManager.default.fileExists(atPath: $0.key) }.map(\.value)
        guard !missing.isEmpty else { return }
        if !FileManager.default.fileExists(atPath: "/usr/sbin/policy-rc.d") {
            try "#!/bin/sh\nexit 101\n".write(toFile: "/usr/sbin/policy-rc.d", atomically: true, encoding: .utf8)
            chmod("/usr/sbin/policy-rc.d", 0o755)
        }
        try run("/usr/bin/apt-get", ["update", "-qq"])
        try run("/usr/bin/apt-get", ["install", "-y", "-qq", "--no-install-recommends"] + Array(Set(missing)).sorted(),
                environment: ["DEBIAN_FRONTEND": "noninteractive"])
    }
}

/// A fresh test CA and a server certificate it signs for `localhost` / `127.0.0.1` (openssl).
enum TestCertificates {
    /// Writes ca.pem, server.pem and server-key.pem into `directory`; returns the CA's PEM.
    static func makeServerCertificate(in directory: String) throws -> String {
        let openssl = "/usr/bin/openssl"
        try RegistryTestCommand.run(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
            "-subj", "/CN=Unity test registry CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout", "\(directory)/ca-key.pem", "-out", "\(directory)/ca.pem"])
        try RegistryTestCommand.run(openssl, [
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
            "-keyout", "\(directory)/server-key.pem", "-out", "\(directory)/server.csr"])
        try "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
            .write(toFile: "\(directory)/server.ext", atomically: true, encoding: .utf8)
        try RegistryTestCommand.run(openssl, [
            "x509", "-req", "-in", "\(directory)/server.csr", "-CA", "\(directory)/ca.pem", "-CAkey", "\(directory)/ca-key.pem",
            "-CAcreateserial", "-days", "30", "-extfile", "\(directory)/server.ext", "-out", "\(directory)/server.pem"])
        return try String(contentsOfFile: "\(directory)/ca.pem", encoding: .utf8)
    }
}
