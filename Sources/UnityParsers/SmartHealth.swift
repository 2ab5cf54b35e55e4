/// Classifies one drive from its latest SMART report and, optionally, the previous one.
///
/// Rule set, and why:
///
/// 1. No verdict (`unknown`) when smartctl could not open the device, the device has no SMART
///    (virtual disks: QEMU/VirtIO, many USB bridges) or the report carries no health data. Calling
///    these "failed" would page people about every VM; calling them "healthy" would hide them.
/// 2. `failed` when the drive's own overall assessment failed (`smart_status.passed == false`,
///    exit bit 3). The vendor knows its firmware's thresholds better than we do.
/// 3. `critical` when a pre-failure attribute is at/below its threshold now (exit bit 4 or
///    `when_failed == "now"`); `warning` when one was in the past (bit 5 / "past").
/// 4. The five ATA counters Backblaze found to predict failure across vendors — 5 reallocated,
///    187 reported uncorrectable, 188 command timeout, 197 current pending, 198 offline
///    uncorrectable — are almost always 0 on healthy drives. Each has a count from which it is
///    `critical` (`SmartCounterPolicy.ata`): any 187, 197 or 198 (Backblaze/Scrutiny annual
///    failure rates of 34 %, 34 % and 81 % from the first sector, against 2–3 % at zero), 16 or
///    more reallocated sectors (24 %). Below that a non-zero value is a `warning`, and growth since
///    the previous sample of the same drive is `critical` (a drive that keeps remapping is
///    failing; a stable handful of remaps often runs for years). docs/smart-levels.md has the table.
/// 5. 199 UDMA CRC errors are transfer errors between drive and controller: a `warning` that
///    names the cable/backplane, never a drive failure.
/// 6. ATA/SCSI error log entries (exit bit 6) and self-test log errors (bit 7) are `warning`:
///    real events, but frequently historic. NVMe error-log entries are not judged — they count
///    rejected admin commands too.
/// 7. NVMe: any critical-warning bit other than temperature (spare exhausted, reliability
///    degraded, read-only, backup capacitor failed, PMR unreliable) is `critical`; the temperature
///    bit is a `warning`. Spare below the vendor threshold is `critical`. `percentage_used` ≥ 90 is
///    a `warning`, ≥ 100 (rated endurance exhausted) `critical`. Media errors are unrecovered data
///    errors: non-zero `warning`, growth `critical` (same reasoning as rule 4).
/// 8. SCSI: the grown defect list follows rule 4 (critical from 100 defects or on growth);
///    uncorrected read/write/verify errors are unrecovered data, so any is `critical`.
/// 9. Temperature at/above the per-medium limits (see `SmartTemperatureLimits.defaults`) is a
///    `warning`/`critical`; 0 or below means "not reported" (QEMU prints 0) and is ignored.
///
/// Growth is only judged against a previous report of the same drive (same serial number, or a
/// serial missing on either side): comparing two different drives would invent trends.
/// Comparisons never subtract, so absurd values from a broken device cannot overflow.
public enum SmartHealth {
    public static func assess(
        current: SmartReport,
        previous: SmartReport? = nil,
        temperatureLimits: SmartTemperatureLimits = .defaults
    ) -> SmartAssessment {
        if let failure = current.deviceOpenFailure {
            return SmartAssessment(level: .unknown, reasons: ["Device could not be opened: \(failure)"])
        }
        if current.smartAvailable == false {
            return SmartAssessment(level: .unknown, reasons: [
                "Device does not support SMART (virtual disk or bridge without pass-through); health cannot be judged",
            ])
        }
        guard hasHealthData(current) else {
            return SmartAssessment(level: .unknown, reasons: ["smartctl returned no health data for this device"])
        }

        let baseline = previous.flatMap { sameDrive(current, $0) ? $0 : nil }
        var findings = SmartFindings()
        assessOverallStatus(current, into: &findings)
        assessATA(current, baseline: baseline, into: &findings)
        assessNVMe(current, baseline: baseline, into: &findings)
        assessSCSI(current, baseline: baseline, into: &findings)
        assessTemperature(current, limits: temperatureLimits, into: &findings)
        return findings.assessment
    }

    private static func hasHealthData(_ report: SmartReport) -> Bool {
        report.smartPassed != nil || !report.ataAttributes.isEmpty || report.nvmeHealth != nil
            || report.scsiGrownDefectList != nil
    }

    private static func sameDrive(_ a: SmartReport, _ b: SmartReport) -> Bool {
        guard let serialA = a.serialNumber, let serialB = b.serialNumber else { return true }
        return serialA == serialB
    }

    private static func assessOverallStatus(_ report: SmartReport, into findings: inout SmartFindings) {
        if report.smartPassed == false || report.exitStatus.contains(.diskFailing) {
            findings.raise(.failed, "SMART overall-health self-assessment FAILED: the drive predicts its own failure")
        }
        if report.exitStatus.contains(.selfTestLogHasErrors) {
            findings.raise(.warning, "The self-test log records failed self-tests")
        }
    }

    private static func assessATA(_ report: SmartReport, baseline: SmartReport?, into findings: inout SmartFindings) {
        if report.exitStatus.contains(.prefailAttributesAtThreshold) {
            findings.raise(.critical, "Pre-failure attributes are at or below their vendor threshold")
        }
        for attribute in report.ataAttributes {
            if attribute.isFailingNow {
                findings.raise(.critical, "Attribute \(attribute.id) \(attribute.name) is failing now (normalized value at or below threshold)")
            } else if attribute.failedInPast {
                findings.raise(.warning, "Attribute \(attribute.id) \(attribute.name) was at or below its threshold in the past")
            }
        }
        if report.exitStatus.contains(.attributesWereAtThreshold) {
            findings.raise(.warning, "Some attributes were at or below their threshold in the past")
        }

        for predictor in SmartCounterPolicy.ata {
            findings.judgeCounter(
                predictor.label,
                current: report.attribute(id: predictor.id)?.rawValue,
                previous: baseline?.attribute(id: predictor.id)?.rawValue,
                criticalAt: predictor.criticalAt)
        }

        if let crc = report.udmaCRCErrors, crc > 0 {
            var reason = "\(crc) UDMA CRC errors (199): data was corrupted between drive and controller — check or replace the SATA cable, backplane or port; this does not mean the drive is failing"
            if let before = baseline?.udmaCRCErrors, crc > before { reason += " (still increasing, was \(before))" }
            findings.raise(.warning, reason)
        }
        if report.exitStatus.contains(.errorLogHasErrors), report.mediaType != .nvme {
            let count = report.ataErrorLogCount.map { " (\($0) entries)" } ?? ""
            findings.raise(.warning, "The device error log records errors\(count)")
        }
    }

    private static func assessNVMe(_ report: SmartReport, baseline: SmartReport?, into findings: inout SmartFindings) {
        guard let log = report.nvmeHealth else { return }
        if let warning = log.criticalWarning {
            let degradation = warning.deviceDegradationBits
            if !degradation.isEmpty {
                findings.raise(.critical, "NVMe critical warning: \(degradation.setBitNames.joined(separator: ", "))")
            }
            if warning.contains(.temperatureOutOfRange) {
                findings.raise(.warning, "NVMe critical warning: temperature out of range")
            }
        }
        if let spare = log.availableSpare, let threshold = log.availableSpareThreshold, spare < threshold {
            findings.raise(.critical, "NVMe available spare \(spare)% is below the vendor threshold of \(threshold)%")
        }
        if let used = log.percentageUsed {
            if used >= 100 {
                findings.raise(.critical, "NVMe endurance used \(used)%: rated write endurance exhausted")
            } else if used >= 90 {
                findings.raise(.warning, "NVMe endurance used \(used)%: approaching rated write endurance")
            }
        }
        findings.judgeCounter("NVMe media errors", current: log.mediaErrors, previous: baseline?.nvmeHealth?.mediaErrors)
    }

    private static func assessSCSI(_ report: SmartReport, baseline: SmartReport?, into findings: inout SmartFindings) {
        findings.judgeCounter("grown defects (SCSI grown defect list)",
                              current: report.scsiGrownDefectList, previous: baseline?.scsiGrownDefectList,
                              criticalAt: SmartCounterPolicy.scsiGrownDefectsCritical)
        findings.judgeCounter("uncorrected SCSI read errors",
                              current: report.scsiUncorrectedReadErrors, previous: baseline?.scsiUncorrectedReadErrors, criticalAt: 1)
        findings.judgeCounter("uncorrected SCSI write errors",
                              current: report.scsiUncorrectedWriteErrors, previous: baseline?.scsiUncorrectedWriteErrors, criticalAt: 1)
        findings.judgeCounter("uncorrected SCSI verify errors",
                              current: report.scsiUncorrectedVerifyErrors, previous: baseline?.scsiUncorrectedVerifyErrors, criticalAt: 1)
    }

    private static func assessTemperature(_ report: SmartReport, limits: SmartTemperatureLimits, into findings: inout SmartFindings) {
        guard let celsius = report.temperatureCelsius ?? report.nvmeHealth?.temperatureCelsius, celsius > 0 else { return }
        let media = report.mediaType
        let limit = limits.limit(for: media)
        if celsius >= limit.critical {
            findings.raise(.critical, "Temperature \(celsius) °C is at or above the \(media.rawValue) critical limit of \(limit.critical) °C")
        } else if celsius >= limit.warning {
            findings.raise(.warning, "Temperature \(celsius) °C is at or above the \(media.rawValue) warning limit of \(limit.warning) °C")
        }
    }
}

/// Accumulates reasons and keeps the worst level seen.
struct SmartFindings {
    private(set) var level: SmartHealthLevel = .healthy
    private var reasons: [(level: SmartHealthLevel, text: String)] = []

    mutating func raise(_ level: SmartHealthLevel, _ reason: String) {
        self.level = max(self.level, level)
        reasons.append((level, reason))
    }

    /// Rule 4: a failure counter that should stay at 0. Non-zero warns; `criticalAt` or more, or
    /// growth against the same drive's previous sample, is critical.
    mutating func judgeCounter(_ label: String, current: Int?, previous: Int?, criticalAt: Int = .max) {
        guard let current, current > 0 else { return }
        if let previous, current > previous {
            raise(.critical, "\(label) grew from \(previous) to \(current) since the previous check")
        } else if current >= criticalAt {
            raise(.critical, "\(current) \(label)")
        } else {
            raise(.warning, "\(current) \(label)")
        }
    }

    /// Most severe reasons first; the sort is stable, so equal levels keep rule order.
    var assessment: SmartAssessment {
        let ordered = reasons.enumerated()
            .sorted { ($0.element.level, $1.offset) > ($1.element.level, $0.offset) }
            .map(\.element.text)
        return SmartAssessment(level: level, reasons: ordered)
    }
}
