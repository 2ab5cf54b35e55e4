import Testing
@testable import UnityParsers

/// Real smartctl answers stored by Scrutiny (AnalogJ/scrutiny testdata, MIT; see Fixtures/SOURCES.md),
/// each read field by field: disks behind a MegaRAID controller, smartctl 6.7's JSON format 0.1,
/// a stored answer without the `smartctl` run block, USB SAT bridges, NVMe, and a RAID volume
/// without SMART.
@Suite struct SmartScrutinyFixtureTests {
    struct Expected: Sendable, CustomStringConvertible {
        var file: String
        var version: String?
        var exit: Int
        var device: String
        var type: String
        var model: String?
        var serial: String?
        var wwn: String?
        var passed: Bool?
        var temperature: Int?
        var rpm: Int?
        var capacity: Int?
        var powerOnHours: Int?
        var firmware: String?
        var level: SmartHealthLevel
        var description: String { file }
    }

    static let expected: [Expected] = [
        .init(file: "ata-wd-behind-megaraid-0.json", version: "7.1", exit: 4, device: "/dev/sda", type: "sat+megaraid,0",
              model: "WD4000FYYX", serial: "XXXXXXXXXXXX", wwn: "5 0014ee 26101eee7", passed: true, temperature: 36, rpm: 7200,
              capacity: 4_000_787_030_016, powerOnHours: 37787, firmware: "00.0D1K4", level: .healthy),
        .init(file: "ata-wd-behind-megaraid-1-reallocated-387.json", version: "7.1", exit: 4, device: "/dev/sda", type: "sat+megaraid,1",
              model: "WD4000FYYX", serial: "XXXXXXXXXXXX", wwn: "5 0014ee 2b6578d5f", passed: true, temperature: 36, rpm: 7200,
              capacity: 4_000_787_030_016, powerOnHours: 37788, firmware: "00.0D1K4", level: .critical),
        .init(file: "scsi-seagate-smartctl67-json-0.1.json", version: "6.7", exit: 0, device: "/dev/sdb", type: "scsi",
              model: "SEAGATE ST1200MM0088", serial: "Z4028VRY0000C810BZXB", wwn: nil, passed: true, temperature: 31, rpm: 10500,
              capacity: 1_200_243_695_616, powerOnHours: 5675, firmware: nil, level: .healthy),
        .init(file: "scsi-seagate-no-run-block-grown-56.json", version: nil, exit: 0, device: "/dev/sdg", type: "scsi",
              model: "SEAGATE ST4000NM0043", serial: "Z1Z5DWJK0000XXXXXXXX", wwn: nil, passed: true, temperature: 34, rpm: 7200,
              capacity: 4_000_787_030_016, powerOnHours: 43549, firmware: nil, level: .warning),
        .init(file: "ata-usb-sat-bridge-healthy.json", version: "7.0", exit: 0, device: "/dev/sdc", type: "sat",
              model: nil, serial: nil, wwn: nil, passed: nil, temperature: 29, rpm: nil,
              capacity: nil, powerOnHours: nil, firmware: nil, level: .healthy),
        .init(file: "ata-wd-14tb-healthy.json", version: "7.0", exit: 0, device: "/dev/sdb", type: "sat",
              model: "WDC WD140EDFZ-11A0VA0", serial: "9RK1XXXX", wwn: "5 000cca 264eb01d7", passed: true, temperature: 32, rpm: 5400,
              capacity: 14_000_519_643_136, powerOnHours: 1730, firmware: "81.00A81", level: .healthy),
        .init(file: "ata-samsung-850pro-healthy.json", version: "7.0", exit: 0, device: "/dev/sda", type: "ata",
              model: "X SSD 850 PRO 128GB", serial: "S24ZN902000L", wwn: "5 002538 840293c45", passed: true, temperature: 32, rpm: 0,
              capacity: 128_035_676_160, powerOnHours: 846, firmware: "EB6Q", level: .healthy),
        .init(file: "ata-samsung-840-crc-108.json", version: "7.0", exit: 0, device: "/dev/sda", type: "sat",
              model: "Samsung SSD 840 Series", serial: "S14LNEACC02756X", wwn: "5 002538 5500ccc29", passed: true, temperature: 33, rpm: 0,
              capacity: 500_107_862_016, powerOnHours: 19497, firmware: "DXT06B0Q", level: .warning),
        .init(file: "nvme-intel-660p-healthy.json", version: "7.1", exit: 0, device: "/dev/testfoobarpass", type: "nvme",
              model: "INTEL SSDPEKNW010T8", serial: "BTNH93710FS91P0B", wwn: nil, passed: true, temperature: 36, rpm: nil,
              capacity: 1_024_209_543_168, powerOnHours: 2401, firmware: "002C", level: .healthy),
        .init(file: "nvme-corsair-mp510-errorlog-8382.json", version: "7.0", exit: 0, device: "/dev/nvme0", type: "nvme",
              model: "Force MP510", serial: "yes", wwn: nil, passed: true, temperature: 38, rpm: nil,
              capacity: 480_103_981_056, powerOnHours: 6487, firmware: "ECFM12.3", level: .healthy),
        .init(file: "scsi-intel-raid-volume-no-smart.json", version: "7.0", exit: 4, device: "/dev/sdb", type: "scsi",
              model: "Intel Raid 1 Volume", serial: "Volume1", wwn: nil, passed: nil, temperature: 0, rpm: 7200,
              capacity: 1_000_202_043_392, powerOnHours: nil, firmware: nil, level: .unknown),
        .init(file: "info-nvme.json", version: "7.2", exit: 0, device: "/dev/nvme4", type: "nvme",
              model: "KCD61LUL3T84", serial: "61Q0A05UT7B8", wwn: nil, passed: nil, temperature: nil, rpm: nil,
              capacity: nil, powerOnHours: nil, firmware: "8002", level: .unknown),
    ]

    @Test(arguments: expected)
    func readsEveryField(_ want: Expected) throws {
        let report = try SmartctlParserTests.report(want.file)
        #expect(report.smartctlVersion == want.version)
        #expect(report.exitStatus.rawValue == want.exit)
        #expect(report.device?.name == want.device)
        #expect(report.device?.type == want.type)
        #expect(report.modelName == want.model)
        #expect(report.serialNumber == want.serial)
        #expect(report.wwn == want.wwn)
        #expect(report.smartPassed == want.passed)
        #expect(report.temperatureCelsius == want.temperature)
        #expect(report.rotationRateRPM == want.rpm)
        if want.type != "nvme" { #expect(report.capacityBytes == want.capacity) }
        #expect((report.powerOnHours ?? report.nvmeHealth?.powerOnHours) == want.powerOnHours)
        #expect(report.firmwareVersion == want.firmware)
        #expect(SmartHealth.assess(current: report).level == want.level, "\(SmartHealth.assess(current: report).reasons)")
    }

    @Test func countersOfTheMegaRAIDAndSCSIDisks() throws {
        let behindRAID = try SmartctlParserTests.report("ata-wd-behind-megaraid-1-reallocated-387.json")
        #expect(behindRAID.reallocatedSectors == 387)
        #expect(behindRAID.currentPendingSectors == 0 && behindRAID.offlineUncorrectable == 0 && behindRAID.udmaCRCErrors == 0)
        #expect(SmartHealth.assess(current: behindRAID).reasons == ["387 reallocated sectors (5)"])

        let old = try SmartctlParserTests.report("scsi-seagate-smartctl67-json-0.1.json")
        #expect(old.scsiGrownDefectList == 0 && old.scsiUncorrectedReadErrors == 0 && old.scsiUncorrectedWriteErrors == 0)
        let stored = try SmartctlParserTests.report("scsi-seagate-no-run-block-grown-56.json")
        #expect(stored.scsiGrownDefectList == 56)
        #expect(SmartHealth.assess(current: stored).reasons == ["56 grown defects (SCSI grown defect list)"])

        let crc = try SmartctlParserTests.report("ata-samsung-840-crc-108.json")
        #expect(crc.udmaCRCErrors == 108)
        let nvme = try #require(try SmartctlParserTests.report("nvme-corsair-mp510-errorlog-8382.json").nvmeHealth)
        #expect(nvme.errorLogEntries == 8382 && nvme.mediaErrors == 0 && nvme.availableSpare == 100
                && nvme.availableSpareThreshold == 5 && nvme.percentageUsed == 1 && nvme.unsafeShutdowns == 4)
    }

    @Test func scansListEveryControllerSlot() throws {
        let megaraid = try SmartctlScanParser.parse(try FixtureLoader.text("smartctl-json/scan-megaraid-two-disks-one-node.json"))
        #expect(megaraid.devices.map(\.device.name) == ["/dev/bus/0", "/dev/bus/0"])
        #expect(megaraid.devices.map(\.device.type) == ["megaraid,0", "megaraid,1"])
        #expect(megaraid.devices.map(\.device.infoName) == ["/dev/bus/0 [megaraid_disk_00]", "/dev/bus/0 [megaraid_disk_01]"])
        let simple = try SmartctlScanParser.parse(try FixtureLoader.text("smartctl-json/scan-simple.json"))
        #expect(simple.devices.map(\.device.name) == ["/dev/sda", "/dev/sdb", "/dev/sdc", "/dev/sdd", "/dev/sde", "/dev/sdf", "/dev/sdg"])
        #expect(Set(simple.devices.compactMap(\.device.type)) == ["scsi"])
        let nvme = try SmartctlScanParser.parse(try FixtureLoader.text("smartctl-json/scan-nvme.json"))
        #expect(nvme.devices == [.init(device: SmartDevice(name: "/dev/nvme0", infoName: "/dev/nvme0", type: "nvme", protocol: "NVMe"))])
    }

    @Test func unreadableSmartctlOutputIsAnErrorNotAValue() {
        #expect(throws: ParseError.self) { try SmartctlParser.parse("smartctl 6.2 2013-07-26 r3841 [x86_64-linux] (local build)\n=== START OF INFORMATION SECTION ===") }
        #expect(throws: ParseError.self) { try SmartctlParser.parse(#"{"device": {"name": "/dev/sda"}}"#) }
    }
}
