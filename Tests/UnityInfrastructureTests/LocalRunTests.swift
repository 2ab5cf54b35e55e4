import Foundation
import Testing
import UnityParsers
@testable import UnityInfrastructure

/// Runs the generated script with /bin/sh on this Linux machine and checks the snapshot against
/// what the test reads from the machine itself.
@Suite struct LocalRunTests {
    static func collect(previous: HostSnapshot? = nil) throws -> (HostSnapshot, [CollectionError], [SectionResult]) {
        let script = CollectionScript(sudo: .none)
        let run = try Shell.run("/bin/sh", ["-s"], stdin: script.text)
        #expect(run.status == 0, "script exit status; stderr: \(run.stderr)")
        #expect(CollectionOutput.isComplete(run.stdout, nonce: script.nonce.value))
        let sections = CollectionOutput.split(run.stdout, nonce: script.nonce.value, expected: script.expectedSections)
        let (snapshot, errors) = HostSnapshot.assemble(sections: sections, previous: previous)
        return (snapshot, errors, sections)
    }

    @Test func scriptRunsCleanlyAndMatchesThisMachine() throws {
        let (snapshot, errors, sections) = try Self.collect()
        #expect(errors == [], "this machine must collect without errors")
        #expect(!sections.contains { $0.isIncomplete })

        let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let memTotalLine = try #require(meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") })
        let kib = try #require(UInt64(memTotalLine.split(separator: " ")[1]))
        #expect(snapshot.memory?.totalBytes == kib * 1024)

        let df = try Shell.run("/bin/df", ["-P", "-B1", "/"])
        let rootRow = try #require(df.stdout.split(separator: "\n").last)
        let rootSize = try #require(UInt64(rootRow.split(separator: " ")[1]))
        let root = try #require(snapshot.filesystems.first { $0.mountPoint == "/" })
        #expect(root.sizeBytes == rootSize)
        #expect(!snapshot.filesystems.contains { $0.type == "tmpfs" || $0.filesystem == "tmpfs" })

        let kernel = try Shell.run("/bin/uname", ["-r"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(snapshot.operatingSystem?.kernelRelease == kernel)
        #expect(snapshot.operatingSystem?.kernelName == "Linux")
        #expect(snapshot.hostname == ProcessInfo.processInfo.hostName || snapshot.hostname?.isEmpty == false)
        #expect(snapshot.operatingSystem?.id != nil)
        #expect((snapshot.cpuCount ?? 0) >= 1)
        #expect(snapshot.cpuPercent == nil, "no previous cycle yet")
        #expect(snapshot.load != nil && (snapshot.uptimeSeconds ?? 0) > 0 && snapshot.bootTime != nil)
        #expect(!snapshot.blockDevices.isEmpty)

        // No SMART devices, no ZFS, no md here: absent or empty, never errors.
        #expect(snapshot.smart.isEmpty && snapshot.zpools.isEmpty && snapshot.mdArrays.isEmpty)
        for name in [SectionName.zpoolList, SectionName.zpoolStatus] {
            let section = try #require(sections.first { $0.name == name })
            #expect(section.notInstalled, "\(name) should be not installed here")
        }
        let mdstat = try #require(sections.first { $0.name == SectionName.mdstat })
        #expect(mdstat.notInstalled || mdstat.succeeded)
        let scan = try #require(sections.first { $0.name == SectionName.smartScan })
        #expect(scan.notInstalled || scan.state == .completed)
    }

    @Test func secondCycleComputesCPUPercentFromTheDelta() throws {
        let (first, _, _) = try Self.collect()
        Thread.sleep(forTimeInterval: 0.3)
        let (second, errors, _) = try Self.collect(previous: first)
        #expect(errors == [])
        let percent = try #require(second.cpuPercent)
        #expect(percent >= 0 && percent <= 100)
    }

    @Test func sudoModeFailsPerSectionWithoutStoppingOthers() throws {
        // A sudo that always refuses, first in PATH: privileged sections fail with the real
        // message while plain reads still fill the snapshot.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-fake-sudo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sudo = dir.appendingPathComponent("sudo")
        try Data("#!/bin/sh\necho 'sudo: a password is required' >&2\nexit 1\n".utf8).write(to: sudo)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sudo.path)
        let script = CollectionScript(sudo: .nonInteractive)
        let run = try Shell.run("/bin/sh", ["-c", "PATH='\(dir.path)':\"$PATH\" exec /bin/sh -s"], stdin: script.text)
        let sections = CollectionOutput.split(run.stdout, nonce: script.nonce.value, expected: script.expectedSections)
        let (snapshot, errors) = HostSnapshot.assemble(sections: sections, previous: nil)
        #expect(snapshot.memory != nil && !snapshot.filesystems.isEmpty)
        // ss falls back to the unprivileged listing, so discovery still works.
        #expect(!errors.contains { $0.section == SectionName.listeners })
        if Shell.which("smartctl") != nil {
            let scanError = try #require(errors.first { $0.section == SectionName.smartScan })
            #expect(scanError.message.contains("a password is required"))
            #expect(scanError.exitStatus == 1)
        }
    }

    @Test func aHangingCommandTimesOutAndTheRunGoesOn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-fake-df-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let df = dir.appendingPathComponent("df")
        try Data("#!/bin/sh\necho partial\nexec sleep 30\n".utf8).write(to: df)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: df.path)
        let script = CollectionScript(groups: [.filesystems, .host], timeoutSeconds: 1)
        let started = Date()
        let run = try Shell.run("/bin/sh", ["-c", "PATH='\(dir.path)':\"$PATH\" exec /bin/sh -s"], stdin: script.text)
        #expect(Date().timeIntervalSince(started) < 10)
        let sections = CollectionOutput.split(run.stdout, nonce: script.nonce.value, expected: script.expectedSections)
        let dfSection = try #require(sections.first { $0.name == "df" })
        #expect(dfSection.timedOut && dfSection.exitStatus == 124 && dfSection.stdout == "partial\n")
        let (snapshot, errors) = HostSnapshot.assemble(sections: sections, previous: nil)
        #expect(errors.map(\.section) == ["df"] && errors.first?.message.hasPrefix("timed out") == true)
        #expect(snapshot.memory != nil && snapshot.uptimeSeconds != nil)
    }
}
