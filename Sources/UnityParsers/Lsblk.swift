/// Parser for `lsblk --json -b` (with or without -O / -o columns), across util-linux releases:
/// booleans as JSON booleans or "0"/"1" strings (before 2.33), sizes as numbers or strings,
/// `mountpoint` (string or null) or `mountpoints` (array that may hold null, 2.37+).
public enum Lsblk {
    static let source = "lsblk --json"
    /// Real trees are 3-4 levels (disk → part → crypt → lvm); the cap keeps recursion bounded
    /// on hostile input.
    static let maximumDepth = 32

    public static func parse(_ output: String) throws(ParseError) -> BlockDeviceReport {
        let root = try LooseJSON.decode(output, source: source)
        guard case .array(let entries)? = root["blockdevices"] else {
            throw ParseError(source: source, reason: "no 'blockdevices' array; not lsblk --json output")
        }
        var warnings: [String] = []
        let devices = convert(entries, parent: nil, depth: 0, warnings: &warnings)
        return BlockDeviceReport(devices: devices, warnings: warnings)
    }

    private static func convert(
        _ entries: [LooseJSON], parent: BlockDeviceMedia?, depth: Int, warnings: inout [String]
    ) -> [BlockDevice] {
        guard depth < maximumDepth else {
            warnings.append("device tree deeper than \(maximumDepth) levels; the rest was skipped")
            return []
        }
        var devices: [BlockDevice] = []
        for (position, entry) in entries.enumerated() {
            guard case .object = entry else {
                warnings.append("blockdevices entry \(position) at depth \(depth) is not an object")
                continue
            }
            guard let device = device(entry, parent: parent, depth: depth, warnings: &warnings) else {
                warnings.append("blockdevices entry \(position) at depth \(depth) has no name, kname or path")
                continue
            }
            devices.append(device)
        }
        return devices
    }

    private static func device(
        _ entry: LooseJSON, parent: BlockDeviceMedia?, depth: Int, warnings: inout [String]
    ) -> BlockDevice? {
        let path = entry["path"]?.text
        let kernelName = entry["kname"]?.text
        let pathName = path.flatMap { $0.split(separator: "/").last.map(String.init) }
        guard let name = entry["name"]?.text ?? kernelName ?? pathName else { return nil }

        let type = entry["type"]?.text ?? "unknown"
        let transport = entry["tran"]?.text
        let rotational = entry["rota"]?.flag
        let model = trimmedText(entry["model"])
        let (size, approximate) = sizeInBytes(entry["size"])
        let media = BlockDeviceClassifier.classify(
            name: name, type: type, transport: transport, rotational: rotational, model: model, parent: parent
        )
        var children: [BlockDevice] = []
        if case .array(let nested)? = entry["children"] {
            children = convert(nested, parent: media, depth: depth + 1, warnings: &warnings)
        }
        return BlockDevice(
            name: name, kernelName: kernelName, path: path, type: type, sizeBytes: size,
            sizeIsApproximate: approximate, isRotational: rotational, isRemovable: entry["rm"]?.flag,
            isReadOnly: entry["ro"]?.flag, transport: transport, model: model,
            serial: trimmedText(entry["serial"]), fsType: entry["fstype"]?.text, label: entry["label"]?.text,
            uuid: entry["uuid"]?.text, mountPoints: mountPoints(entry), media: media, children: children
        )
    }

    /// lsblk pads MODEL (and some SERIALs) with spaces to the field width of the device.
    private static func trimmedText(_ value: LooseJSON?) -> String? {
        guard let text = value?.text else { return nil }
        let trimmed = String(TextScanning.trimmed(Substring(text)))
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func mountPoints(_ entry: LooseJSON) -> [String] {
        if case .array(let list)? = entry["mountpoints"] {
            return list.compactMap(\.text)
        }
        return entry["mountpoint"]?.text.map { [$0] } ?? []
    }

    /// Bytes from a number, a digit string, or a human size like "14.3G" (binary units, as
    /// lsblk prints them). The human form is rounded by lsblk, hence the approximate flag.
    static func sizeInBytes(_ value: LooseJSON?) -> (UInt64?, Bool) {
        switch value {
        case .integer(let bytes)?:
            return (bytes, false)
        case .number(let number)? where number >= 0 && number < Double(UInt64.max) && number.rounded() == number:
            return (UInt64(number), false)
        case .string(let text)?:
            if let bytes = TextScanning.unsigned(Substring(text)) { return (bytes, false) }
            return (humanSize(Substring(text)), true)
        default:
            return (nil, false)
        }
    }

    private static func humanSize(_ text: Substring) -> UInt64? {
        guard let unit = text.last, !text.isEmpty else { return nil }
        let units: [Character] = ["B", "K", "M", "G", "T", "P", "E"]
        guard let power = units.firstIndex(of: unit), let number = TextScanning.decimal(text.dropLast()) else {
            return nil
        }
        var bytes = number
        for _ in 0..<power { bytes *= 1024 }
        guard bytes.isFinite, bytes < Double(UInt64.max) else { return nil }
        return UInt64(bytes.rounded())
    }
}
