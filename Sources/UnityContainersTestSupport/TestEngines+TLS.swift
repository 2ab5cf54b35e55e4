import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A test CA with a server certificate for 127.0.0.1/localhost and a client certificate, plus a
/// second, unrelated CA (the "wrong CA" case); made with the openssl CLI, EC P-256, valid 2 days.
public struct TestTLSMaterial: Sendable {
    public let directory: String
    public let caPEM: String
    public let clientCertificatePEM: String
    public let clientKeyPEM: String
    /// A client certificate signed by the unrelated CA (the daemon must refuse it).
    public let strangerCertificatePEM: String
    public let strangerKeyPEM: String
    public let unrelatedCAPEM: String
    var caPath: String { "\(directory)/ca.pem" }
    var serverCertificatePath: String { "\(directory)/server.pem" }
    var serverKeyPath: String { "\(directory)/server-key.pem" }

    public static func make() throws -> TestTLSMaterial {
        let dir = try TestCommand.temporaryDirectory("unity-tls")
        func openssl(_ arguments: [String]) throws { try TestCommand.run("/usr/bin/openssl", arguments) }
        func makeCA(_ name: String, _ subject: String) throws {
            try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                         "-keyout", "\(dir)/\(name)-key.pem", "-out", "\(dir)/\(name).pem", "-subj", subject,
                         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        func issue(_ name: String, by ca: String, subject: String, extensions: String) throws {
            try extensions.write(toFile: "\(dir)/\(name).ext", atomically: true, encoding: .utf8)
            try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                         "-keyout", "\(dir)/\(name)-key.pem", "-out", "\(dir)/\(name).csr", "-subj", subject])
            try openssl(["x509", "-req", "-in", "\(dir)/\(name).csr", "-CA", "\(dir)/\(ca).pem", "-CAkey", "\(dir)/\(ca)-key.pem",
                         "-CAcreateserial", "-days", "2", "-out", "\(dir)/\(name).pem", "-extfile", "\(dir)/\(name).ext"])
        }
        try makeCA("ca", "/CN=Unity test CA")
        try makeCA("other-ca", "/CN=Unrelated test CA")
        try issue("server", by: "ca", subject: "/CN=localhost",
                  extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        try issue("client", by: "ca", subject: "/CN=unity", extensions: "extendedKeyUsage=clientAuth\n")
        try issue("stranger", by: "other-ca", subject: "/CN=stranger", extensions: "extendedKeyUsage=clientAuth\n")
        func read(_ name: String) throws -> String { try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8) }
        return TestTLSMaterial(directory: dir, caPEM: try read("ca.pem"), clientCertificatePEM: try read("client.pem"),
                               clientKeyPEM: try read("client-key.pem"), strangerCertificatePEM: try read("stranger.pem"),
                               strangerKeyPEM: try read("stranger-key.pem"), unrelatedCAPEM: try read("other-ca.pem"))
    }
}

extension TestEngine {
    /// A private dockerd that also listens on `tcp://127.0.0.1:PORT` with `--tlsverify` (client
    /// certificates required, signed by `material`'s CA). The caller stops it with `kill()`.
    public static func privateDockerWithTLS(_ material: TestTLSMaterial, importImage: Bool = false) throws -> (engine: TestEngine, port: Int) {
        let port = try freeTCPPort()
        // On the command line: dockerd 20.10 does not turn on client-certificate checking from a
        // daemon.json "tlsverify" alone (without the flag it only verifies certificates if given).
        let arguments = ["--tlsverify", "--tlscacert", material.caPath, "--tlscert", material.serverCertificatePath,
                         "--tlskey", material.serverKeyPath]
        let engine = try startDocker(importImage: importImage, extraHosts: ["tcp://127.0.0.1:\(port)"], extraArguments: arguments)
        return (engine, port)
    }

    /// A private dockerd configured the way README tells a user (the files Unity deployed named in
    /// daemon.json, `--tlsverify` as a flag), listening on `tcp://address:port` too.
    public static func privateDockerWithDeployedTLS(directory: String, address: String = "127.0.0.1", port: Int) throws -> TestEngine {
        let files = #","tlscacert":"\#(directory)/ca.pem","tlscert":"\#(directory)/server-cert.pem","tlskey":"\#(directory)/server-key.pem""#
        return try startDocker(importImage: false, extraConfig: files, extraHosts: ["tcp://\(address):\(port)"], extraArguments: ["--tlsverify"])
    }

    /// A port the kernel just handed out on 127.0.0.1 (closed again; reused by the daemon at once).
    public static func freeTCPPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw TestCommand.Failure(description: "no free TCP port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
