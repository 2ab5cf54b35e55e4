import Foundation
import Testing
@testable import UnityParsers

/// One test per real smartctl capture, asserting the state that capture shows.
@Suite struct SmartctlParserTests {
    static func report(_ name: String) throws -> SmartReport {
        try SmartctlParser.parse(FixtureLoader.text("smartctl-json/\(name)"))
    }

    @Test func samsung860EvoHealthyFullOutput() throws {
        let report = try Self.report("ata-samsung-860evo-healthy-full.json")
        #expect(report.smartctlVersion == "7.0")
        #expect(report.exitStatus == [])
        #expect(report.device == SmartDevice(name: "/dev/sda", infoName: "/dev/sda [SAT]", type: "sat", protocol: "ATA"))
        #expect(report.modelFamily == "Samsung based SSDs")
        #expect(report.modelName == "Samsung SSD 860 EVO 500GB")
        #expect(report.serialNumber == "S3YZNB0KB00864E")
        #expect(report.firmwareVersion == "RVT02B6Q")
        #expect(report.capacityBytes == 500_107_862_016)
        #expect(report.rotationRateRPM == 0)
        #expect(report.mediaType == .ssd)
        #expect(report.smartPassed == true)
        #expect(report.temperatureCelsius == 36)
        #expect(report.powerOnHours == 14551)
        #expect(report.powerCycleCount == 13)
        #expect(report.ataAttributes.count == 14)
        #expect(report.reallocatedSectors == 0)
        #expect(report.reportedUncorrectable == 0)
        #expect(report.udmaCRCErrors == 0)
        #expect(report.currentPendingSectors == nil)  // Samsung SSDs do not report 197
        #expect(report.ataErrorLogCount == 0)
        let wear = try #require(report.attribute(id: 177))
        #expect(wear == SmartAttribute(id: 177, name: "Wear_Leveling_Count", normalized: 81, worst: 81, threshold: 0,
                                       whenFailed: nil, rawValue: 278, rawString: "278", prefailure: true))
        #expect(SmartHealth.assess(current: report) == SmartAssessment(level: .healthy))
    }

    @Test func hitachiBehindUSBBridgeFailedSmart() throws {
        let report = try Self.report("ata-hitachi-usb-jmicron-smart-failed.json")
        #expect(report.smartctlVersion == "7.1")
        #expect(report.exitStatus.rawValue == 216)
        #expect(report.exitStatus == [.diskFailing, .prefailAttributesAtThreshold, .errorLogHasErrors, .selfTestLogHasErrors])
        #expect(report.device?.type == "usbjmicron")
        #expect(report.device?.infoName == "/dev/sdc [USB JMicron]")
        #expect(report.mediaType == .hdd)
        #expect(report.rotationRateRPM == 7200)
        #expect(report.smartPassed == false)
        #expect(report.smartAvailable == nil)  // smartctl 7.1 -a omitted smart_support here
        #expect(report.powerOnHours == 65592)
        #expect(report.ataErrorLogCount == 56)
        let reallocated = try #require(report.attribute(id: 5))
        #expect(reallocated.normalized == 1)
        #expect(reallocated.threshold == 5)
        #expect(reallocated.isFailingNow)
        #expect(reallocated.rawValue == 1975)
        #expect(report.reallocatedSectors == 1975)
        #expect(report.currentPendingSectors == 8)
        #expect(report.offlineUncorrectable == 0)
        // Temperature raw packs min/max; the top-level temperature is the usable reading.
        #expect(report.attribute(id: 194)?.rawString == "25 (Min/Max 19/39)")
        #expect(report.temperatureCelsius == 25)
    }

    @Test func seagateWithReallocated304ButPassed() throws {
        let report = try Self.report("ata-seagate-reallocated-304-passed.json")
        #expect(report.smartctlVersion == "7.3")
        #expect(report.exitStatus == [])
        #expect(report.smartPassed == true)
        #expect(report.smartAvailable == true)
        #expect(report.modelName == "ST3500418AS")
        #expect(report.serialNumber == "REDACTED")
        #expect(report.reallocatedSectors == 304)
        #expect(report.attribute(id: 5)?.normalized == 93)
        #expect(report.attribute(id: 5)?.threshold == 36)
        #expect(report.reportedUncorrectable == 0)
        #expect(report.commandTimeouts == 0)
        #expect(report.currentPendingSectors == 0)
        #expect(report.offlineUncorrectable == 0)
        #expect(report.udmaCRCErrors == 0)
        #expect(report.powerOnHours == 44668)
        #expect(report.temperatureCelsius == 33)
        #expect(report.ataAttributes.count == 22)
    }

    @Test func budgetSSDWithErrorLogAndCRCErrors() throws {
        let report = try Self.report("ata-budget-ssd-smartctl75-exit64-errorlog.json")
        #expect(report.smartctlVersion == "7.5")
        #expect(report.exitStatus == .errorLogHasErrors)
        #expect(report.exitStatus.setBitNames == ["error log has errors"])
        #expect(report.messages == [SmartctlMessage(text: "Warning: This result is based on an Attribute check.", severity: "warning")])
        #expect(report.deviceOpenFailure == nil)
        #expect(report.modelName == "P3-2TB")
        #expect(report.capacityBytes == 2_048_408_248_320)
        #expect(report.smartPassed == true)
        #expect(report.ataErrorLogCount == 131)
        #expect(report.udmaCRCErrors == 131)
        #expect(report.reallocatedSectors == 0)
        #expect(report.attribute(id: 160)?.name == "Unknown_Attribute")
        #expect(report.temperatureCelsius == 31)
        #expect(report.powerOnHours == 7344)
    }

    @Test func nvme970EvoWithMediaErrors() throws {
        let report = try Self.report("nvme-samsung-970evo-media-errors.json")
        #expect(report.device?.protocolKind == .nvme)
        #expect(report.mediaType == .nvme)
        #expect(report.modelName == "Samsung SSD 970 EVO 500GB")
        #expect(report.firmwareVersion == "2B2QEXE7")
        #expect(report.capacityBytes == 500_107_862_016)
        #expect(report.smartPassed == true)
        #expect(report.ataAttributes.isEmpty)
        let log = try #require(report.nvmeHealth)
        #expect(log == NVMeHealthLog(
            criticalWarning: [], temperatureCelsius: 35, availableSpare: 99, availableSpareThreshold: 10,
            percentageUsed: 3, powerCycles: 25, powerOnHours: 12798, unsafeShutdowns: 10,
            mediaErrors: 7, errorLogEntries: 62))
    }

    @Test func nvmeCriticalWarningVolatileMemoryBackupFailed() throws {
        let report = try Self.report("nvme-samsung-critical-warning-failed.json")
        #expect(report.exitStatus == .diskFailing)
        #expect(report.smartPassed == false)
        #expect(report.capacityBytes == 3_200_631_791_616)  // only nvme_total_capacity in this capture
        let warning = try #require(report.nvmeHealth?.criticalWarning)
        #expect(warning.rawValue == 16)
        #expect(warning == .volatileMemoryBackupFailed)
        #expect(warning.setBitNames == ["volatile memory backup failed"])
        #expect(report.nvmeHealth?.unsafeShutdowns == 4)
        #expect(report.nvmeHealth?.mediaErrors == 0)
        #expect(report.nvmeHealth?.availableSpare == 100)
        #expect(report.powerOnHours == 18376)
    }

    @Test func scsiSeagateWithGrownDefects260() throws {
        let report = try Self.report("scsi-seagate-grown-defects-260.json")
        #expect(report.device?.protocolKind == .scsi)
        #expect(report.mediaType == .hdd)
        #expect(report.rotationRateRPM == 15015)
        #expect(report.modelName == "SEAGATE ST373453LC")
        #expect(report.firmwareVersion == "DX10")
        #expect(report.capacityBytes == 73_407_820_800)
        #expect(report.smartPassed == true)
        #expect(report.scsiGrownDefectList == 260)
        #expect(report.scsiUncorrectedReadErrors == 1)
        #expect(report.scsiUncorrectedWriteErrors == 535)
        #expect(report.powerOnHours == 102880)
        #expect(report.temperatureCelsius == 33)
    }

    @Test func qemuVirtualDiskWithoutSmart() throws {
        let report = try Self.report("scsi-qemu-virtual-disk-no-smart.json")
        #expect(report.exitStatus == .smartCommandFailed)
        #expect(report.smartAvailable == false)
        #expect(report.smartPassed == nil)
        #expect(report.modelName == "QEMU QEMU HARDDISK")
        #expect(report.capacityBytes == 34_359_738_368)
        #expect(report.deviceOpenFailure == nil)
    }

    @Test func deviceOpenFailureIsATypedOutcome() throws {
        let report = try Self.report("error-open-device-failed.json")
        #expect(report.exitStatus == .deviceOpenFailed)
        #expect(report.exitStatus.rawValue == 2)
        #expect(report.device == nil)
        #expect(report.deviceOpenFailure == #"Smartctl open device: /dev/sda failed: \\.\PhysicalDrive0: Open failed, Error=5"#)
        #expect(report.messages.first?.severity == "error")
    }

    @Test func everySmartctlFixtureIsCoveredByATest() throws {
        let files = try FixtureLoader.files(in: "smartctl-json")
        // 10 from the shared corpus, 15 from Scrutiny (SmartScrutinyFixtureTests).
        #expect(files.count == 40)  // + 15 from smartctl_exporter (SmartExporterFixtureTests)
        for file in files where !file.contains("scan-") {
            _ = try SmartctlParser.parse(FixtureLoader.text(file))
        }
    }

    @Test func exitStatusBitsDecodeIndividually() {
        #expect(SmartctlExitStatus(rawValue: 1) == .commandLineError)
        #expect(SmartctlExitStatus(rawValue: 32) == .attributesWereAtThreshold)
        #expect(SmartctlExitStatus(rawValue: 255).setBitNames.count == 8)
        #expect(SmartctlExitStatus(rawValue: 216).setBitNames == [
            "disk failing", "prefail attributes at or below threshold", "error log has errors", "self-test log has errors",
        ])
    }

    @Test func reportRoundTripsThroughCodable() throws {
        let report = try Self.report("ata-hitachi-usb-jmicron-smart-failed.json")
        let decoded = try JSONDecoder().decode(SmartReport.self, from: JSONEncoder().encode(report))
        #expect(decoded == report)
    }
}
