import Testing
@testable import UnityParsers

/// The verdict table of docs/smart-levels.md, calibrated to Backblaze's failure rates per raw value
/// as Scrutiny publishes them (a 20 % annual failure rate or more is `critical`).
@Suite struct SmartLevelTableTests {
    static func ata(_ attributes: [(Int, Int)]) -> SmartReport {
        SmartReport(serialNumber: "X", rotationRateRPM: 7200, smartAvailable: true, smartPassed: true, temperatureCelsius: 30,
                    ataAttributes: attributes.map { SmartAttribute(id: $0.0, name: "A\($0.0)", rawValue: $0.1) })
    }

    /// The disk from the issue: the drive still says PASSED, but it is degrading now.
    @Test func reallocatedPendingAndOfflineUncorrectableIsCritical() {
        let assessment = SmartHealth.assess(current: Self.ata([(5, 1040), (197, 878), (198, 1272)]))
        #expect(assessment.level == .critical)
        #expect(assessment.reasons.contains("878 current pending sectors (197)"))
        #expect(assessment.reasons.contains("1272 offline uncorrectable sectors (198)"))
        #expect(assessment.reasons.contains("1040 reallocated sectors (5)"))
    }

    @Test(arguments: [(5, 1, SmartHealthLevel.warning), (5, 15, .warning), (5, 16, .critical),
                      (187, 1, .critical), (188, 1, .warning), (197, 1, .critical), (198, 1, .critical)])
    func countFromWhichACounterIsCritical(id: Int, raw: Int, level: SmartHealthLevel) {
        #expect(SmartHealth.assess(current: Self.ata([(id, raw)])).level == level)
    }

    @Test func aSinglePendingSectorIsCriticalEvenWithoutHistory() {
        #expect(SmartHealth.assess(current: Self.ata([(197, 1)])).level == .critical)
    }

    @Test func scsiUncorrectedErrorsAreCritical() {
        let report = SmartReport(serialNumber: "S", smartAvailable: true, smartPassed: true, scsiGrownDefectList: 3,
                                 scsiUncorrectedReadErrors: 1)
        #expect(SmartHealth.assess(current: report).level == .critical)
        let defects = SmartReport(serialNumber: "S", smartAvailable: true, smartPassed: true, scsiGrownDefectList: 100)
        #expect(SmartHealth.assess(current: defects).level == .critical)
    }
}
