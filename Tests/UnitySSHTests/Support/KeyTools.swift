import Foundation
import UnitySSHTestSupport
@testable import UnitySSH

/// The real ssh-keygen and openssl as the reference for Unity's key handling.
enum KeyTools {
    static let keygen = "/usr/bin/ssh-keygen"
    static let openssl = "/usr/bin/openssl"

    /// Suites run when the tools exist, and always under CI, where a missing tool must fail the run.
    static let enabled = (FileManager.default.isExecutableFile(atPath: keygen)
        && FileManager.default.isExecutableFile(atPath: openssl)) || ProcessInfo.processInfo.environment["CI"] != nil

    /// A fresh path in the run's key directory (tests run in parallel: never reuse a name).
    static func path(_ name: String) -> String { "\(TestKeys.directory)/\(name)-\(UUID().uuidString.prefix(8))" }

    /// Writes key text to a new 0600 file (ssh-keygen refuses private keys readable by others).
    static func writePrivate(_ text: String, name: String) throws -> String {
        let path = path(name)
        try PrivateFile.write(text, to: path)
        return path
    }

    /// What `ssh-keygen -y` prints for a private-key file.
    static func publicLine(ofPrivate path: String, passphrase: String? = nil) throws -> String {
        let args = ["-y"] + (passphrase.map { ["-P", $0] } ?? []) + ["-f", path]
        return try Shell.run(keygen, args).trimmingCharacters(in: .newlines)
    }

    /// Bits and `SHA256:` fingerprint from `ssh-keygen -l` (of a public or unencrypted private key file).
    static func fingerprint(of path: String) throws -> (bits: Int, fingerprint: String) {
        let fields = try Shell.run(keygen, ["-l", "-E", "sha256", "-f", path]).split(separator: " ")
        guard fields.count >= 2, let bits = Int(fields[0]) else { throw Shell.Failure(description: "unexpected ssh-keygen -l output") }
        return (bits, String(fields[1]))
    }

    /// Fingerprint of a public-key line, via a .pub file.
    static func fingerprint(ofLine line: String) throws -> String {
        let path = path("line") + ".pub"
        try line.write(toFile: path, atomically: true, encoding: .utf8)
        return try fingerprint(of: path).fingerprint
    }

    /// Signs with the private-key file through OpenSSH and verifies the signature: proves the private
    /// numbers (not only the public ones) are right.
    static func signAndVerify(privateKeyAt path: String) throws {
        let data = path + ".data"
        try "unity signs this".write(toFile: data, atomically: true, encoding: .utf8)
        try Shell.run(keygen, ["-Y", "sign", "-q", "-f", path, "-n", "unity-test", data])
        try Shell.run(keygen, ["-Y", "check-novalidate", "-n", "unity-test", "-s", data + ".sig"],
                      stdin: "unity signs this")
    }

    /// ssh-keygen writes a key; returns the private-key path (the .pub sits beside it).
    static func generate(_ name: String, type: String, bits: String? = nil, passphrase: String = "",
                         arguments: [String] = []) throws -> String {
        let path = path(name)
        var args = ["-q", "-t", type, "-N", passphrase, "-C", "unity-\(name)", "-f", path] + arguments
        if let bits { args += ["-b", bits] }
        try Shell.run(keygen, args)
        return path
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
}
