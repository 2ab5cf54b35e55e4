import Foundation
import Testing
@testable import UnityCertificates

/// The inventory script, run by a real `sh` on a directory tree made here, and its parser.
struct InventoryTests {
    @Test func scriptFindsCertificateFilesAndNeverPrintsKeys() throws {
        let root = try Spawn.temporaryDirectory("unity-certs-inventory")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ca = try InternalCA.create(keyAlgorithm: .p256)
        let one = try ca.issue(LeafRequest(dnsNames: ["one.test"]))
        let two = try ca.issue(LeafRequest(dnsNames: ["two.test"]))
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/live/one.test", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/archive", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/haproxy", withIntermediateDirectories: true)
        try one.fullChainPEM.write(toFile: root + "/archive/fullchain1.pem", atomically: true, encoding: .utf8)
        // Let's Encrypt style: live/ holds only symlinks into archive/.
        try fm.createSymbolicLink(atPath: root + "/live/one.test/fullchain.pem", withDestinationPath: "../../archive/fullchain1.pem")
        try one.privateKeyPEM.write(toFile: root + "/live/one.test/privkey.pem", atomically: true, encoding: .utf8)
        try (two.fullChainPEM + two.privateKeyPEM).write(toFile: root + "/haproxy/two.pem", atomically: true, encoding: .utf8)
        try "not a certificate\n".write(toFile: root + "/haproxy/haproxy.cfg", atomically: true, encoding: .utf8)
        try String(repeating: "-----BEGIN CERTIFICATE-----\n", count: 100).write(toFile: root + "/haproxy/huge.pem", atomically: true, encoding: .utf8)

        let script = PEMInventoryScript(
            directories: [root + "/live", root + "/haproxy", root + "/absent", "/etc/ssl/certs", "relative"],
            maxFileBytes: 2000)
        #expect(script.effectiveDirectories == [root + "/live", root + "/haproxy", root + "/absent"])
        let output = try Spawn.run("/bin/sh", ["-s"], stdin: script.text).stdout
        #expect(!output.contains("PRIVATE KEY"))

        let inventory = PEMInventory(output: output, script: script)
        #expect(inventory.complete && !inventory.reachedFileLimit)
        #expect(inventory.missingDirectories == [root + "/absent"])
        #expect(inventory.oversized.map(\.path) == [root + "/haproxy/huge.pem"])
        let byPath = Dictionary(uniqueKeysWithValues: inventory.files.map { ($0.path, $0) })
        #expect(byPath.keys.sorted() == [root + "/haproxy/two.pem", root + "/live/one.test/fullchain.pem"])
        #expect(byPath[root + "/live/one.test/fullchain.pem"]?.certificates == [one.certificate, ca.root])
        #expect(byPath[root + "/haproxy/two.pem"]?.certificates.first?.dnsNames == ["two.test"])
    }

    @Test func stopsAtTheFileLimit() throws {
        let root = try Spawn.temporaryDirectory("unity-certs-limit")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for index in 0..<3 {
            try InternalCASample.leafPEM.write(toFile: "\(root)/c\(index).pem", atomically: true, encoding: .utf8)
        }
        let script = PEMInventoryScript(directories: [root], maxFiles: 2)
        let inventory = PEMInventory(output: try Spawn.run("/bin/sh", ["-s"], stdin: script.text).stdout, script: script)
        #expect(inventory.files.count == 2 && inventory.reachedFileLimit && inventory.complete)
    }

    @Test func parserKeepsFinishedFilesOfACutStreamAndReportsBrokenOnes() {
        let marker = "@@UNITY-CERTS-abc"
        let output = """
        \(marker) FILE /etc/nginx/good.pem
        \(InternalCASample.leafPEM)
        \(marker) ENDFILE
        \(marker) FILE /etc/nginx/broken.pem
        -----BEGIN CERTIFICATE-----
        AAAA
        \(marker) ENDFILE
        @@UNITY-CERTS-other FILE /forged
        \(marker) FILE /etc/nginx/cut.pem
        -----BEGIN CERTIFICATE-----
        """
        let inventory = PEMInventory(output: output, marker: marker)
        #expect(!inventory.complete)
        #expect(inventory.files.map(\.path) == ["/etc/nginx/good.pem", "/etc/nginx/broken.pem"])
        #expect(inventory.files[0].certificates.count == 1)
        #expect(inventory.files[1].error == .truncatedPEM(label: "CERTIFICATE"))
    }

    @Test func scriptQuotesDirectoriesAndRunsPrivileged() {
        let script = PEMInventoryScript(directories: ["/srv/it's $(here)"], nonce: "n1")
        #expect(script.text.contains(#"'/srv/it'\''s $(here)'"#))
        #expect(script.command.commandLine == "sh -s" && script.command.privileged)
        #expect(script.command.input == Data(script.text.utf8))
    }
}
