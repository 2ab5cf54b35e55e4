import Foundation
import Testing
@testable import UnityInfrastructure

@Suite struct CollectionScriptTests {
    static let nonce = CollectionNonce("TESTNONCE0123456789abcdefABCDEF0")

    @Test func fullScriptWithSudoMatchesTheReviewedTextExactly() throws {
        let script = CollectionScript(nonce: try #require(Self.nonce), sudo: .nonInteractive)
        #expect(script.text == (try FixtureLoader.text("collection-script-sudo.golden.sh")))
    }

    @Test func sudoPrefixesOnlyPrivilegedCommands() throws {
        let lines = CollectionScript(nonce: try #require(Self.nonce), sudo: .nonInteractive).text.split(separator: "\n")
        let sudoLines = lines.filter { $0.contains("sudo -n") }
        for command in ["smartctl --scan-open", "smartctl --json -x", "zpool list", "zpool status", "mdadm --detail",
                        "ss -H -ltnp", "netstat -ltnp"] {
            #expect(sudoLines.contains { $0.contains("sudo -n \(command)") }, "\(command)")
        }
        for read in ["cat /proc/", "cat /etc/os-release", "df -P", "lsblk --json", "ps -eo", "uname"] {
            #expect(!sudoLines.contains { $0.contains(read) }, "\(read) must not use sudo")
        }
        let plain = CollectionScript(nonce: try #require(Self.nonce), sudo: .none).text
        #expect(!plain.contains("sudo"))
        #expect(plain.contains("u_sec zpool-list u_run 20 zpool list -Hp\n"))
    }

    @Test func groupsSelectSectionsAndTimeoutsAreApplied() throws {
        let script = CollectionScript(
            nonce: try #require(Self.nonce), groups: [.host, .databases], timeoutSeconds: 7, smartTimeoutSeconds: 90)
        #expect(script.expectedSections == [
            "os-release", "uname", "hostname", "proc-stat", "proc-meminfo", "proc-loadavg", "proc-uptime",
            "listeners", "processes",
        ])
        #expect(script.text.contains("u_sec proc-stat u_run 7 cat /proc/stat\n"))
        #expect(!script.text.contains("smartctl") && !script.text.contains("lsblk") && !script.text.contains("df -P"))
        let smart = CollectionScript(nonce: try #require(Self.nonce), groups: [.smart], smartTimeoutSeconds: 90).text
        #expect(smart.contains(#"u_sec "smartctl:$u_dev -d $u_typ" u_run 90 smartctl --json -x -d "$u_typ" "$u_dev""#))
        #expect(smart.hasSuffix("printf '%s DONE\\n' \"$u_m\"\n"))
    }

    @Test func scriptIsValidPOSIXShell() throws {
        let script = CollectionScript(sudo: .nonInteractive)
        for shell in ["/bin/sh", "/bin/dash", "/bin/bash"] where FileManager.default.isExecutableFile(atPath: shell) {
            let check = try Shell.run(shell, ["-n"], stdin: script.text)
            #expect(check.status == 0, "\(shell): \(check.stderr)")
        }
    }

    /// The SMART loop for real: a stand-in smartctl prints the recorded scan and reports, and the
    /// script must query each scanned device with its -d type, device names quoted.
    @Test func smartLoopQueriesEveryScannedDevice() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-fake-smartctl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fixtures = try FixtureLoader.root().appendingPathComponent("smartctl-json").path
        let fake = """
            #!/bin/sh
            echo "$*" >>'\(dir.path)/calls'
            case "$*" in
              *--scan-open*) cat '\(fixtures)/scan-sata-and-nvme.json' ;;
              "--json -x -d sat /dev/sda") cat '\(fixtures)/ata-seagate-reallocated-304-passed.json' ;;
              "--json -x -d nvme /dev/nvme0") cat '\(fixtures)/nvme-samsung-970evo-media-errors.json'; exit 64 ;;
              *) echo "unexpected: $*" >&2; exit 1 ;;
            esac
            """
        let path = dir.appendingPathComponent("smartctl")
        try Data(fake.utf8).write(to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        let script = CollectionScript(sudo: .none, groups: [.smart])
        let run = try Shell.run("/bin/sh", ["-c", "PATH='\(dir.path)':\"$PATH\" exec /bin/sh -s"], stdin: script.text)
        let sections = CollectionOutput.split(run.stdout, nonce: script.nonce.value, expected: script.expectedSections)
        #expect(sections.map(\.name) == ["smartctl-scan", "smartctl:/dev/sda -d sat", "smartctl:/dev/nvme0 -d nvme"])
        #expect(sections.last?.exitStatus == 64)
        let (snapshot, errors) = HostSnapshot.assemble(sections: sections, previous: nil)
        #expect(errors == [])
        #expect(snapshot.smart.map(\.device) == ["/dev/sda", "/dev/nvme0"])
        let calls = try String(contentsOf: dir.appendingPathComponent("calls"), encoding: .utf8)
        #expect(calls == "--scan-open --json\n--json -x -d sat /dev/sda\n--json -x -d nvme /dev/nvme0\n")
    }
}
