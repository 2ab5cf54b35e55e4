import Foundation
import Testing
import UnityParsers
@testable import UnityInfrastructure

/// Disk identity (device + type, then serial/WWN) and the promise that no scanned device
/// disappears without a named error.
@Suite struct DiskIdentityTests {
    @Test func controllerDisksKeepTheirTypeAndDistinctIdentities() throws {
        let (snapshot, _) = try RaidControllerScanTests.collect()
        #expect(snapshot.smart.map(\.type) == ["megaraid,0", "megaraid,1"])
        #expect(snapshot.smart.map(\.slot) == ["/dev/bus/0 megaraid,0", "/dev/bus/0 megaraid,1"])
        // Scrutiny redacted both serials to the same text: the WWN tells them apart.
        #expect(snapshot.smart.map(\.identity) == ["XXXXXXXXXXXX@5 0014ee 26101eee7", "XXXXXXXXXXXX@5 0014ee 2b6578d5f"])
        #expect(snapshot.smart.map(\.assessment.level) == [.healthy, .critical])
    }

    @Test func sectionNamesCarryTheTypeAndReadBack() {
        #expect(SectionName.smartDevice("/dev/bus/0", type: "megaraid,1") == "smartctl:/dev/bus/0 -d megaraid,1")
        #expect(SectionName.smartDevice("/dev/sda", type: nil) == "smartctl:/dev/sda")
        #expect(SectionName.smartDevice(section: "smartctl:/dev/sg2 -d aacraid,0,0,1")! == ("/dev/sg2", "aacraid,0,0,1"))
        #expect(SectionName.smartDevice(section: "smartctl:/dev/sda")! == ("/dev/sda", nil))
        #expect(SectionName.command(for: "smartctl:/dev/twa0 -d 3ware,2") == "smartctl --json -x -d 3ware,2 /dev/twa0")
    }

    @Test func historyFollowsTheDiskWhenItMovesSlot() throws {
        let report = try SmartctlParser.parse(FixtureLoader.text("smartctl-json/ata-wd-behind-megaraid-1-reallocated-387.json"))
        var before = report
        before.ataAttributes = before.ataAttributes.map { var a = $0; if a.id == 5 { a.rawValue = 300 }; return a }
        before.serialNumber = "WD-1"
        var now = report
        now.serialNumber = "WD-1"
        let previous = HostSnapshot(smart: [SmartDiskStatus(device: "/dev/bus/0", type: "megaraid,1", report: before,
                                                            assessment: SmartAssessment(level: .critical))])
        // Same serial in another slot: the growth 300 → 387 is judged against the moved disk.
        let moved = SmartDiskStatus(device: "/dev/bus/1", type: "megaraid,5", report: now, assessment: SmartAssessment(level: .unknown))
        #expect(moved.identity == previous.smart[0].identity)
        let baseline = previous.smart.first { $0.identity == moved.identity }?.report
        let reasons = SmartHealth.assess(current: now, previous: baseline).reasons
        #expect(reasons.contains("reallocated sectors (5) grew from 300 to 387 since the previous check"))
    }

    enum Fate: CaseIterable { case answered, missing, garbage, timedOut, openFailed, truncated }

    /// Property: over generated scans (repeated nodes, every controller type, entries without a
    /// type, duplicates) and every way a device's section can end, each distinct scanned
    /// device + type is a disk or a `CollectionError` naming it; and no two disks share an identity.
    @Test(arguments: 0..<300)
    func noScannedDeviceDisappears(seed: Int) throws {
        // The splitter fuzz tests' SplitMix64: a failing case replays from its seed.
        var random = SplitFuzzTests.SeededGenerator(state: UInt64(seed))
        let nodes = ["/dev/sda", "/dev/bus/0", "/dev/sg1", "/dev/twa0", "/dev/sdb"]
        let types: [String?] = [nil, "sat", "scsi", "nvme", "megaraid,0", "megaraid,1", "sat+megaraid,2", "cciss,0", "areca,1/1",
                                "3ware,2", "hpt,1/1/1", "aacraid,0,0,1", "usbjmicron", "usbsunplus"]
        let answers = try ["ata-wd-behind-megaraid-0.json", "ata-wd-behind-megaraid-1-reallocated-387.json", "ata-seagate-reallocated-304-passed.json"]
            .map { try FixtureLoader.text("smartctl-json/\($0)") }
        let failed = try FixtureLoader.text("smartctl-json/error-open-device-failed.json")
        var entries: [(String, String?)] = []
        for _ in 0..<Int.random(in: 0...8, using: &random) {
            entries.append((nodes.randomElement(using: &random)!, types.randomElement(using: &random)!))
        }
        let devices = entries.map { entry in
            "{\"name\": \"\(entry.0)\"" + (entry.1.map { ", \"type\": \"\($0)\"" } ?? "") + ", \"protocol\": \"ATA\"}"
        }
        var sections = [SectionResult(name: SectionName.smartScan,
                                      stdout: "{\"smartctl\": {\"exit_status\": 0}, \"devices\": [\(devices.joined(separator: ", "))]}",
                                      exitStatus: 0, state: .completed)]
        var distinct: [String] = []
        for entry in entries {
            let name = SectionName.smartDevice(entry.0, type: entry.1)
            guard !distinct.contains(name) else { continue }
            distinct.append(name)
            switch Fate.allCases.randomElement(using: &random)! {
            case .answered: sections.append(.init(name: name, stdout: answers.randomElement(using: &random)!, exitStatus: 4, state: .completed))
            case .missing: break
            case .garbage: sections.append(.init(name: name, stdout: "\u{0}not json{", exitStatus: 0, state: .completed))
            case .timedOut: sections.append(.init(name: name, exitStatus: 124, state: .timedOut))
            case .openFailed: sections.append(.init(name: name, stdout: failed, exitStatus: 2, state: .completed))
            case .truncated: sections.append(.init(name: name, stdout: "{\"smartctl\"", state: .truncated))
            }
        }
        let (snapshot, errors) = HostSnapshot.assemble(sections: sections.shuffled(using: &random), previous: nil)
        let disks = Set(snapshot.smart.map { SectionName.smartDevice($0.device, type: $0.type) })
        let named = Set(errors.map(\.section))
        for name in distinct {
            #expect(disks.contains(name) || named.contains(name), "seed \(seed): \(name) vanished")
        }
        #expect(Set(snapshot.smart.map(\.identity)).count == snapshot.smart.count, "seed \(seed): two disks share an identity")
    }
}
