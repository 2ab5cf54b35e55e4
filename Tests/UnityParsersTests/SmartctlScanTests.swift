import Testing
@testable import UnityParsers

@Suite struct SmartctlScanTests {
    @Test func scanListsSATAAndNVMeDevices() throws {
        let scan = try SmartctlScanParser.parse(FixtureLoader.text("smartctl-json/scan-sata-and-nvme.json"))
        #expect(scan.exitStatus == [])
        #expect(scan.devices == [
            .init(device: SmartDevice(name: "/dev/sda", infoName: "/dev/sda [SAT]", type: "sat", protocol: "ATA")),
            .init(device: SmartDevice(name: "/dev/nvme0", infoName: "/dev/nvme0", type: "nvme", protocol: "NVMe")),
        ])
        #expect(scan.devices.map(\.device.protocolKind) == [.ata, .nvme])
    }

    @Test func scanOpenKeepsOpenErrors() throws {
        let json = #"""
        {"smartctl": {"version": [7, 4], "exit_status": 0},
         "devices": [
          {"name": "/dev/sdb", "info_name": "/dev/sdb", "type": "scsi", "protocol": "SCSI",
           "open_error": "DEVICE OPEN FAILED: Permission denied"},
          {"name": 5}, {"info_name": "no name"}
         ]}
        """#
        let scan = try SmartctlScanParser.parse(json)
        #expect(scan.devices.count == 1)
        #expect(scan.devices.first?.openError == "DEVICE OPEN FAILED: Permission denied")
    }

    @Test func scanWithNoDevicesIsEmpty() throws {
        let scan = try SmartctlScanParser.parse(#"{"smartctl": {"exit_status": 0}, "devices": []}"#)
        #expect(scan.devices.isEmpty)
        #expect(try SmartctlScanParser.parse(#"{"smartctl": {"exit_status": 0}}"#).devices.isEmpty)
    }

    @Test(arguments: ["", "   ", "not json", "[]", "{}", #"{"foo": 1}"#, "null", "42"])
    func scanRejectsNonScanOutput(_ input: String) {
        #expect(throws: ParseError.self) { try SmartctlScanParser.parse(input) }
    }
}
