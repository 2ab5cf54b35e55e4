import Foundation

/// The real `openssl` command line, as the reference the parser and issuer are checked against.
enum OpenSSLTool {
    static let path = "/usr/bin/openssl"
    static var available: Bool { Spawn.toolAvailable(path) }

    @discardableResult
    static func run(_ arguments: [String], stdin: String? = nil) throws -> String {
        try Spawn.run(path, arguments, stdin: stdin).stdout
    }

    /// `-newkey` arguments for each key type the tests cover.
    static func newKey(_ kind: String) -> [String] {
        switch kind {
        case "rsa2048": ["-newkey", "rsa:2048"]
        case "rsa3072": ["-newkey", "rsa:3072"]
        case "p256": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        case "p384": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"]
        default: ["-newkey", "ed25519"]
        }
    }

    /// A self-signed certificate made by `openssl req -x509`, with SANs; returns file paths.
    static func selfSigned(
        _ kind: String, in directory: String, name: String = "leaf",
        subject: String = "/CN=test.example/O=Unity Tests",
        sans: String = "DNS:test.example,DNS:www.test.example,IP:127.0.0.1,IP:::1,email:admin@test.example",
        extra: [String] = []
    ) throws -> (certificate: String, key: String) {
        let certificate = "\(directory)/\(name).pem", key = "\(directory)/\(name).key"
        try run(["req", "-x509"] + newKey(kind) + ["-nodes", "-keyout", key, "-out", certificate, "-days", "30",
                 "-subj", subject, "-addext", "subjectAltName=\(sans)"] + extra)
        return (certificate, key)
    }

    /// root → intermediate → leaf, all by openssl, in `directory`. Returns paths.
    static func chain(in directory: String) throws -> (root: String, intermediate: String, leaf: String, leafKey: String) {
        let root = try selfSigned("p384", in: directory, name: "root", subject: "/CN=Test Root", sans: "DNS:root.invalid",
                                  extra: ["-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        let intermediate = try signed("p256", name: "intermediate", subject: "/CN=Test Intermediate", by: root, in: directory,
                                      extensions: "basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n")
        let leaf = try signed("p256", name: "leaf", subject: "/CN=chain.test.example", by: intermediate, in: directory,
                              extensions: "basicConstraints=critical,CA:false\nsubjectAltName=DNS:chain.test.example\n")
        return (root.certificate, intermediate.certificate, leaf.certificate, leaf.key)
    }

    static func signed(
        _ kind: String, name: String, subject: String, by issuer: (certificate: String, key: String),
        in directory: String, extensions: String
    ) throws -> (certificate: String, key: String) {
        let key = "\(directory)/\(name).key", csr = "\(directory)/\(name).csr", certificate = "\(directory)/\(name).pem"
        let extfile = "\(directory)/\(name).ext"
        try extensions.write(toFile: extfile, atomically: true, encoding: .utf8)
        try run(["req", "-new"] + newKey(kind) + ["-nodes", "-keyout", key, "-out", csr, "-subj", subject])
        try run(["x509", "-req", "-in", csr, "-CA", issuer.certificate, "-CAkey", issuer.key, "-CAcreateserial",
                 "-out", certificate, "-days", "30", "-extfile", extfile])
        return (certificate, key)
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
}
