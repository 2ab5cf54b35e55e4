import Foundation
import Testing
import UnityParsers
@testable import UnityInfrastructure

/// Two disks behind one MegaRAID controller, as Scrutiny captured them (Fixtures/SOURCES.md): the
/// scan lists `/dev/bus/0` twice, told apart only by `-d megaraid,0` / `-d megaraid,1`. The
/// script runs for real under /bin/sh; the controller is simulated by a `smartctl` shim first in
/// PATH that prints the captured answers for exactly the arguments the script passes.
@Suite struct RaidControllerScanTests {
    static func shim() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-fake-megaraid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fixtures = try FixtureLoader.root().appendingPathComponent("smartctl-json").path
        let script = """
        #!/bin/sh
        case "$*" in
          *--scan-open*) cat '\(fixtures)/scan-megaraid-two-disks-one-node.json' ;;
          *"-d megaraid,0 /dev/bus/0") cat '\(fixtures)/ata-wd-behind-megaraid-0.json'; exit 4 ;;
          *"-d megaraid,1 /dev/bus/0") cat '\(fixtures)/ata-wd-behind-megaraid-1-reallocated-387.json'; exit 4 ;;
          *) echo "unexpected smartctl arguments: $*" >&2; exit 1 ;;
        esac
        """
        let path = dir.appendingPathComponent("smartctl")
        try Data(script.utf8).write(to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        return dir
    }

    static func collect() throws -> (HostSnapshot, [CollectionError]) {
        let dir = try shim()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = CollectionScript(groups: [.smart])
        let run = try Shell.run("/bin/sh", ["-c", "PATH='\(dir.path)':\"$PATH\" exec /bin/sh -s"], stdin: script.text)
        let sections = CollectionOutput.split(run.stdout, nonce: script.nonce.value, expected: script.expectedSections)
        return HostSnapshot.assemble(sections: sections, previous: nil)
    }

    @Test func twoDisksOnOneControllerNodeAreTwoDisks() throws {
        let (snapshot, errors) = try Self.collect()
        #expect(errors == [])
        #expect(snapshot.smart.count == 2)
        #expect(snapshot.smart.map(\.report.reallocatedSectors) == [0, 387])
        #expect(snapshot.smart.map(\.device) == ["/dev/bus/0", "/dev/bus/0"])
    }
}
