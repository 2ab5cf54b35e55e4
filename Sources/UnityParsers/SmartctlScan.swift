/// Parses `smartctl --scan-open --json` (or `--scan --json`): the devices smartctl can see, with the
/// `-d` type to pass back when querying each one.
public enum SmartctlScanParser {
    static let source = "smartctl --scan-open --json"

    public static func parse(_ output: String) throws(ParseError) -> SmartctlScan {
        guard let root = SmartJSON.parse(output), root.isObject else {
            throw ParseError(source: source, reason: "output is not a JSON object")
        }
        guard root["smartctl"].isObject || root["devices"].value != nil else {
            throw ParseError(source: source, reason: "neither \"smartctl\" nor \"devices\" present; not smartctl scan output")
        }
        let devices = root["devices"].array.compactMap { entry -> SmartctlScan.Device? in
            guard let name = entry["name"].string else { return nil }
            return SmartctlScan.Device(
                device: SmartDevice(
                    name: name, infoName: entry["info_name"].string,
                    type: entry["type"].string, protocol: entry["protocol"].string),
                openError: entry["open_error"].string)
        }
        return SmartctlScan(
            exitStatus: SmartctlExitStatus(rawValue: root["smartctl"]["exit_status"].int ?? 0),
            devices: devices)
    }
}

public struct SmartctlScan: Sendable, Equatable, Codable {
    public struct Device: Sendable, Equatable, Codable {
        public var device: SmartDevice
        /// `--scan-open` only: why smartctl could not open the device (e.g. a USB bridge
        /// needing `-d sat`). Such a device is listed but cannot be queried as is.
        public var openError: String?

        public init(device: SmartDevice, openError: String? = nil) {
            self.device = device
            self.openError = openError
        }
    }

    public var exitStatus: SmartctlExitStatus
    public var devices: [Device]

    public init(exitStatus: SmartctlExitStatus = [], devices: [Device] = []) {
        self.exitStatus = exitStatus
        self.devices = devices
    }
}
