import Testing
@testable import UnityParsers

@Suite struct SmartHealthTests {
    static func assess(_ name: String, previous: SmartReport? = nil) throws -> SmartAssessment {
        SmartHealth.assess(current: try SmartctlParserTests.report(name), previous: previous)
    }

    // MARK: Real captures

    @Test func reallocated304ButPassedIsCritical() throws {
        // 260–1100 reallocated sectors: 57 % annual failure rate (docs/smart-levels.md).
        let assessment = try Self.assess("ata-seagate-reallocated-304-passed.json")
        #expect(assessment.level == .critical)
        #expect(assessment.reasons == ["304 reallocated sectors (5)"])
    }

    @Test func reallocationGrowthOnTheSameDriveIsCritical() throws {
        var previous = try SmartctlParserTests.report("ata-seagate-reallocated-304-passed.json")
        previous.ataAttributes = previous.ataAttributes.map { attribute in
            var attribute = attribute
            if attribute.id == 5 { attribute.rawValue = 296 }
            return attribute
        }
        let assessment = try Self.assess("ata-seagate-reallocated-304-passed.json", previous: previous)
        #expect(assessment.level == .critical)
        #expect(assessment.reasons == ["reallocated sectors (5) grew from 296 to 304 since the previous check"])
    }

    @Test func growthIsNotJudgedAgainstADifferentDrive() throws {
        var other = try SmartctlParserTests.report("ata-seagate-reallocated-304-passed.json")
        other.serialNumber = "SOMEONE-ELSE"
        other.ataAttributes = []
        let assessment = try Self.assess("ata-seagate-reallocated-304-passed.json", previous: other)
        #expect(!assessment.reasons.contains { $0.contains("grew") })
    }

    @Test func smartFailedIsFailed() throws {
        let assessment = try Self.assess("ata-hitachi-usb-jmicron-smart-failed.json")
        #expect(assessment.level == .failed)
        #expect(assessment.reasons.first == "SMART overall-health self-assessment FAILED: the drive predicts its own failure")
        #expect(assessment.reasons.contains("Attribute 5 Reallocated_Sector_Ct is failing now (normalized value at or below threshold)"))
        #expect(assessment.reasons.contains("1975 reallocated sectors (5)"))
        #expect(assessment.reasons.contains("8 current pending sectors (197)"))
        #expect(assessment.reasons.contains("The device error log records errors (56 entries)"))
        #expect(assessment.reasons.contains("The self-test log records failed self-tests"))
    }

    @Test func crcErrorsAreACablingWarningNotAFailure() throws {
        let assessment = try Self.assess("ata-budget-ssd-smartctl75-exit64-errorlog.json")
        #expect(assessment.level == .warning)
        let crc = try #require(assessment.reasons.first { $0.contains("UDMA CRC") })
        #expect(crc.hasPrefix("131 UDMA CRC errors (199)"))
        #expect(crc.contains("cable"))
        #expect(crc.contains("does not mean the drive is failing"))
        #expect(assessment.reasons.contains("The device error log records errors (131 entries)"))
    }

    @Test func healthyNVMeWithMediaErrorsIsAWarning() throws {
        let assessment = try Self.assess("nvme-samsung-970evo-media-errors.json")
        #expect(assessment.level == .warning)
        #expect(assessment.reasons == ["7 NVMe media errors"])
    }

    @Test func growingNVMeMediaErrorsAreCritical() throws {
        var previous = try SmartctlParserTests.report("nvme-samsung-970evo-media-errors.json")
        previous.nvmeHealth?.mediaErrors = 5
        let assessment = try Self.assess("nvme-samsung-970evo-media-errors.json", previous: previous)
        #expect(assessment.level == .critical)
        #expect(assessment.reasons == ["NVMe media errors grew from 5 to 7 since the previous check"])
    }

    @Test func nvmeCriticalWarningBitsFail() throws {
        let assessment = try Self.assess("nvme-samsung-critical-warning-failed.json")
        #expect(assessment.level == .failed)
        #expect(assessment.reasons.contains("NVMe critical warning: volatile memory backup failed"))
    }

    @Test func manyGrownDefectsAndUncorrectedErrorsAreCritical() throws {
        let assessment = try Self.assess("scsi-seagate-grown-defects-260.json")
        #expect(assessment.level == .critical)
        #expect(assessment.reasons == [
            "260 grown defects (SCSI grown defect list)",
            "1 uncorrected SCSI read errors",
            "535 uncorrected SCSI write errors",
        ])
    }

    @Test func virtualDiskWithoutSmartIsUnknownNotFailed() throws {
        let assessment = try Self.assess("scsi-qemu-virtual-disk-no-smart.json")
        #expect(assessment.level == .unknown)
        #expect(assessment.reasons.first?.contains("does not support SMART") == true)
    }

    @Test func openFailureIsUnknownAndNamesTheMessage() throws {
        let assessment = try Self.assess("error-open-device-failed.json")
        #expect(assessment.level == .unknown)
        #expect(assessment.reasons == [#"Device could not be opened: Smartctl open device: /dev/sda failed: \\.\PhysicalDrive0: Open failed, Error=5"#])
    }

    @Test func healthySSD() throws {
        #expect(try Self.assess("ata-samsung-860evo-healthy-full.json") == SmartAssessment(level: .healthy, reasons: []))
    }

    // MARK: Rules on synthetic reports

    static func ata(_ attributes: [(Int, Int)], rpm: Int = 7200, temperature: Int = 30) -> SmartReport {
        SmartReport(
            serialNumber: "X", rotationRateRPM: rpm, smartAvailable: true, smartPassed: true,
            temperatureCelsius: temperature,
            ataAttributes: attributes.map { SmartAttribute(id: $0.0, name: "A\($0.0)", rawValue: $0.1) })
    }

    @Test(arguments: [5, 188])
    func backblazePredictorsWithTolerableFirstCountsWarnThenEscalate(id: Int) {
        #expect(SmartHealth.assess(current: Self.ata([(id, 0)])).level == .healthy)
        #expect(SmartHealth.assess(current: Self.ata([(id, 1)])).level == .warning)
        #expect(SmartHealth.assess(current: Self.ata([(id, 2)]), previous: Self.ata([(id, 2)])).level == .warning)
        #expect(SmartHealth.assess(current: Self.ata([(id, 3)]), previous: Self.ata([(id, 2)])).level == .critical)
    }

    @Test func crcGrowthStaysAWarning() {
        let assessment = SmartHealth.assess(current: Self.ata([(199, 40)]), previous: Self.ata([(199, 2)]))
        #expect(assessment.level == .warning)
        #expect(assessment.reasons.first?.hasSuffix("(still increasing, was 2)") == true)
    }

    @Test(arguments: [
        (SmartMediaType.hdd, 49, SmartHealthLevel.healthy), (.hdd, 50, .warning), (.hdd, 60, .critical),
        (.ssd, 64, .healthy), (.ssd, 65, .warning), (.ssd, 75, .critical),
        (.nvme, 69, .healthy), (.nvme, 70, .warning), (.nvme, 80, .critical),
    ])
    func temperatureLimitsDependOnMedia(media: SmartMediaType, celsius: Int, expected: SmartHealthLevel) {
        var report = Self.ata([], rpm: media == .hdd ? 7200 : 0, temperature: celsius)
        if media == .nvme {
            report.ataAttributes = []
            report.device = SmartDevice(name: "/dev/nvme0", type: "nvme", protocol: "NVMe")
            report.nvmeHealth = NVMeHealthLog(criticalWarning: [])
        }
        #expect(report.mediaType == media)
        #expect(SmartHealth.assess(current: report).level == expected)
    }

    @Test func temperatureLimitsAreConfigurable() {
        let strict = SmartTemperatureLimits(
            hdd: .init(warning: 40, critical: 45), ssd: .init(warning: 40, critical: 45), nvme: .init(warning: 40, critical: 45))
        #expect(SmartHealth.assess(current: Self.ata([], temperature: 42), temperatureLimits: strict).level == .warning)
    }

    static func nvme(_ log: NVMeHealthLog) -> SmartReport {
        SmartReport(device: SmartDevice(name: "/dev/nvme0", protocol: "NVMe"), smartPassed: true, nvmeHealth: log)
    }

    @Test func nvmeEnduranceThresholds() {
        #expect(SmartHealth.assess(current: Self.nvme(.init(percentageUsed: 89))).level == .healthy)
        #expect(SmartHealth.assess(current: Self.nvme(.init(percentageUsed: 90))).level == .warning)
        #expect(SmartHealth.assess(current: Self.nvme(.init(percentageUsed: 100))).level == .critical)
        #expect(SmartHealth.assess(current: Self.nvme(.init(percentageUsed: 255))).level == .critical)
    }

    @Test func nvmeTemperatureBitIsOnlyAWarning() {
        let hot = SmartHealth.assess(current: Self.nvme(.init(criticalWarning: .temperatureOutOfRange)))
        #expect(hot == SmartAssessment(level: .warning, reasons: ["NVMe critical warning: temperature out of range"]))
        let readOnly = SmartHealth.assess(current: Self.nvme(.init(criticalWarning: [.readOnly, .temperatureOutOfRange])))
        #expect(readOnly.level == .critical)
        #expect(readOnly.reasons == ["NVMe critical warning: media read-only", "NVMe critical warning: temperature out of range"])
    }

    @Test func nvmeSpareBelowThresholdIsCritical() {
        let assessment = SmartHealth.assess(current: Self.nvme(.init(availableSpare: 5, availableSpareThreshold: 10)))
        #expect(assessment.level == .critical)
        #expect(assessment.reasons == ["NVMe available spare 5% is below the vendor threshold of 10%"])
    }

    @Test func reportWithoutHealthDataIsUnknown() {
        #expect(SmartHealth.assess(current: SmartReport(modelName: "x")).level == .unknown)
    }

    @Test func absurdCountersDoNotOverflow() {
        let current = Self.ata([(5, Int.max), (197, Int.min), (199, Int.max)], temperature: Int.max)
        let previous = Self.ata([(5, Int.min), (197, Int.max), (199, Int.min)], temperature: Int.min)
        #expect(SmartHealth.assess(current: current, previous: previous).level == .critical)
        #expect(SmartHealth.assess(current: Self.nvme(.init(
            criticalWarning: NVMeCriticalWarning(rawValue: Int.min), availableSpare: Int.min,
            availableSpareThreshold: Int.max, percentageUsed: Int.min, mediaErrors: Int.max))).level == .critical)
    }

    @Test func levelsAreOrderedBySeverity() {
        #expect(SmartHealthLevel.allCases.sorted() == [.unknown, .healthy, .warning, .critical, .failed])
    }
}
