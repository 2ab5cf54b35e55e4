import Testing
@testable import UnityParsers

/// Real smartctl 7.1–7.4 answers from prometheus-community/smartctl_exporter's testdata (Apache-2.0;
/// serials redacted by that project, see Fixtures/SOURCES.md): SATA HDDs and SSDs, SAS/SCSI disks,
/// enterprise and consumer NVMe. Each read field by field, and judged.
@Suite struct SmartExporterFixtureTests {
    struct Expected: Sendable, CustomStringConvertible {
        var file: String
        var version: String
        var exit: Int
        var device: String
        var type: String
        var model: String
        var passed: Bool?
        var temperature: Int
        var rpm: Int?
        var powerOnHours: Int?
        var level: SmartHealthLevel
        var description: String { file }
    }

    static let expected: [Expected] = [
        .init(file: "exporter-HGST_HUS724020ALE640_28.json", version: "7.3", exit: 64, device: "/dev/sdb", type: "sat", model: "HGST HUS724020ALE640", passed: true, temperature: 26, rpm: 7200, powerOnHours: 83425, level: .warning),
        .init(file: "exporter-HITACHI_H109060SESUN600G_9.json", version: "7.3", exit: 0, device: "/dev/sda", type: "scsi", model: "HITACHI H109060SESUN600G", passed: true, temperature: 27, rpm: 10020, powerOnHours: 982, level: .healthy),
        .init(file: "exporter-HP_73.4G_MAS3735NC_25.json", version: "7.4", exit: 0, device: "/dev/sdc", type: "scsi", model: "HP 73.4G MAS3735NC", passed: true, temperature: 28, rpm: 15000, powerOnHours: nil, level: .healthy),
        .init(file: "exporter-Hitachi_HUA722020ALA330_29.json", version: "7.3", exit: 0, device: "/dev/sda", type: "sat", model: "Hitachi HUA722020ALA330", passed: true, temperature: 28, rpm: 7200, powerOnHours: 78405, level: .healthy),
        .init(file: "exporter-INTEL_SSDPE2KX080T8_1.json", version: "7.3", exit: 0, device: "/dev/nvme0", type: "nvme", model: "INTEL SSDPE2KX080T8", passed: true, temperature: 29, rpm: nil, powerOnHours: 12164, level: .healthy),
        .init(file: "exporter-KXG60ZNV512G_TOSHIBA_2.json", version: "7.3", exit: 0, device: "/dev/nvme2", type: "nvme", model: "KXG60ZNV512G TOSHIBA", passed: true, temperature: 37, rpm: nil, powerOnHours: 12173, level: .healthy),
        .init(file: "exporter-MB0500EBNCR_13.json", version: "7.3", exit: 0, device: "/dev/sdb", type: "sat", model: "MB0500EBNCR", passed: true, temperature: 26, rpm: 7200, powerOnHours: 89214, level: .critical),
        .init(file: "exporter-SAMSUNG_MZ7WD240HAFV-00003_21.json", version: "7.3", exit: 0, device: "/dev/sda", type: "sat", model: "SAMSUNG MZ7WD240HAFV-00003", passed: true, temperature: 27, rpm: 0, powerOnHours: 84619, level: .healthy),
        .init(file: "exporter-SAMSUNG_MZVL21T0HCLR-00B00_23.json", version: "7.3", exit: 0, device: "/dev/nvme0", type: "nvme", model: "SAMSUNG MZVL21T0HCLR-00B00", passed: true, temperature: 29, rpm: nil, powerOnHours: 10423, level: .healthy),
        .init(file: "exporter-SEAGATE_ST373453LC_27.json", version: "7.4", exit: 0, device: "/dev/sda", type: "scsi", model: "SEAGATE ST373453LC", passed: true, temperature: 34, rpm: 15015, powerOnHours: 91691, level: .healthy),
        .init(file: "exporter-ST3200820AS_15.json", version: "7.3", exit: 0, device: "/dev/sda", type: "sat", model: "ST3200820AS", passed: true, temperature: 35, rpm: nil, powerOnHours: 100216, level: .healthy),
        .init(file: "exporter-WDC_WD20EFRX-68EUZN0_17.json", version: "7.3", exit: 0, device: "/dev/sdb", type: "sat", model: "WDC WD20EFRX-68EUZN0", passed: true, temperature: 34, rpm: 5400, powerOnHours: 47657, level: .healthy),
        .init(file: "exporter-nvme-null-CT250P2SSD8-nvme0.json", version: "7.3", exit: 0, device: "/dev/nvme0", type: "nvme", model: "CT250P2SSD8", passed: true, temperature: 26, rpm: nil, powerOnHours: 10147, level: .healthy),
        .init(file: "exporter-nvme-null-INTEL_SSDPEDMD400G4-nvme0.json", version: "7.1", exit: 0, device: "/dev/nvme0", type: "nvme", model: "INTEL SSDPEDMD400G4", passed: true, temperature: 28, rpm: nil, powerOnHours: 41951, level: .healthy),
        .init(file: "exporter-nvme-null-Micron_7300_MTFDHBE1T6TDG-nvme0.json", version: "7.3", exit: 0, device: "/dev/nvme0", type: "nvme", model: "Micron_7300_MTFDHBE1T6TDG", passed: true, temperature: 22, rpm: nil, powerOnHours: 5100, level: .healthy),
    ]

    @Test(arguments: expected)
    func readsEveryField(_ want: Expected) throws {
        let report = try SmartctlParserTests.report(want.file)
        #expect(report.smartctlVersion == want.version)
        #expect(report.exitStatus.rawValue == want.exit)
        #expect(report.device?.name == want.device && report.device?.type == want.type)
        #expect(report.modelName == want.model)
        #expect(report.serialNumber == "REDACTED")
        #expect(report.smartPassed == want.passed)
        #expect((report.temperatureCelsius ?? report.nvmeHealth?.temperatureCelsius) == want.temperature)
        #expect(report.rotationRateRPM == want.rpm)
        #expect(report.powerOnHours == want.powerOnHours)
        #expect(SmartHealth.assess(current: report).level == want.level, "\(SmartHealth.assess(current: report).reasons)")
    }

    @Test func countersThatDecideTheVerdicts() throws {
        let crc = try SmartctlParserTests.report("exporter-HGST_HUS724020ALE640_28.json")
        #expect(crc.udmaCRCErrors == 12 && crc.reallocatedSectors == 0 && crc.currentPendingSectors == 0)
        // One reported-uncorrectable error: 33.9 % annual failure rate in Backblaze's data.
        let uncorrectable = try SmartctlParserTests.report("exporter-MB0500EBNCR_13.json")
        #expect(uncorrectable.reportedUncorrectable == 1 && uncorrectable.commandTimeouts == 0)
        #expect(SmartHealth.assess(current: uncorrectable).reasons == ["1 reported uncorrectable errors (187)"])
        let sas = try SmartctlParserTests.report("exporter-SEAGATE_ST373453LC_27.json")
        #expect(sas.scsiGrownDefectList == 0 && sas.scsiUncorrectedReadErrors == 0 && sas.scsiUncorrectedWriteErrors == 0
                && sas.scsiUncorrectedVerifyErrors == 0)
        let worn = try #require(try SmartctlParserTests.report("exporter-SAMSUNG_MZVL21T0HCLR-00B00_23.json").nvmeHealth)
        #expect(worn.percentageUsed == 16 && worn.availableSpare == 100 && worn.mediaErrors == 0 && worn.criticalWarning?.rawValue == 0)
    }
}
