/// Parser for `mdadm --detail /dev/mdX`.
public enum MdadmDetail {
    static let source = "mdadm --detail"

    public static func parse(_ output: String) throws(ParseError) -> MDArrayDetail {
        var detail = MDArrayDetail()
        var inMemberTable = false
        for line in TextScanning.lines(output) {
            let text = TextScanning.trimmed(line.text)
            if text.isEmpty { continue }
            // mdadm reports its own failures on stdout/stderr as "mdadm: …"; pass them on whole.
            if text.hasPrefix("mdadm:") {
                throw ParseError(source: source, line: line.number, reason: String(text.prefix(200)))
            }
            let fields = TextScanning.fields(text)
            if fields == ["Number", "Major", "Minor", "RaidDevice", "State"] {
                inMemberTable = true
            } else if inMemberTable {
                if let member = member(fields) {
                    detail.members.append(member)
                } else {
                    detail.warnings.append("line \(line.number): unreadable device row")
                }
            } else if let separator = text.firstRange(of: " : ") {
                let key = String(TextScanning.trimmed(text[..<separator.lowerBound]))
                let value = String(TextScanning.trimmed(text[separator.upperBound...]))
                if detail.fields[key] == nil { detail.fields[key] = value }
            } else if detail.device == nil, detail.fields.isEmpty, text.hasPrefix("/"), text.hasSuffix(":") {
                detail.device = String(text.dropLast())
            }
            // Anything else (e.g. the "(Linux-MD …)" continuation under Container GUID) is noise.
        }
        guard detail.fields["Raid Level"] != nil || detail.fields["State"] != nil else {
            throw ParseError(source: source, reason: "no 'Raid Level' or 'State' line; not mdadm --detail output")
        }
        interpret(&detail)
        return detail
    }

    /// Lifts the modelled keys out of `fields`.
    private static func interpret(_ detail: inout MDArrayDetail) {
        let fields = detail.fields
        func count(_ key: String) -> Int? { fields[key].flatMap { TextScanning.int(Substring($0)) } }
        detail.metadataVersion = fields["Version"]
        detail.raidLevel = fields["Raid Level"]
        detail.arraySizeBytes = kibibytes(fields["Array Size"])
        detail.usedDeviceSizeBytes = kibibytes(fields["Used Dev Size"])
        detail.raidDevices = count("Raid Devices")
        detail.totalDevices = count("Total Devices")
        detail.activeDevices = count("Active Devices")
        detail.workingDevices = count("Working Devices")
        detail.failedDevices = count("Failed Devices")
        detail.spareDevices = count("Spare Devices")
        detail.layout = fields["Layout"]
        detail.chunkSize = fields["Chunk Size"]
        detail.consistencyPolicy = fields["Consistency Policy"]
        detail.name = fields["Name"].map(withoutHostNote)
        detail.events = fields["Events"]
        detail.uuid = fields["UUID"].map(withoutHostNote).map { firstWord($0) }
        if let state = fields["State"] {
            detail.state = state
            detail.stateFlags = state.split(separator: ",")
                .map { TextScanning.trimmed($0).lowercased() }
                .filter { !$0.isEmpty }
        }
        if let container = fields["Container"] {
            // "/dev/md0, member 0"
            let parts = container.split(separator: ",", maxSplits: 1)
            detail.container = parts.first.map { String(TextScanning.trimmed($0)) }
            if parts.count == 2 {
                let words = TextScanning.fields(parts[1])
                if words.count == 2, words[0] == "member" { detail.containerMember = TextScanning.int(words[1]) }
            }
        }
        let statusKeys: [(String, MDSyncAction)] = [
            ("Rebuild Status", .recovery), ("Resync Status", .resync), ("Reshape Status", .reshape),
            ("Check Status", .check), ("Repair Status", .repair),
        ]
        for (key, action) in statusKeys {
            guard let value = fields[key] else { continue }
            let percentText = firstWord(value)
            if percentText.hasSuffix("%"), let percent = TextScanning.decimal(Substring(percentText.dropLast())) {
                detail.syncStatus = MDDetailSyncStatus(action: action, percent: percent)
            } else {
                detail.warnings.append("\(key) '\(value.prefix(40))' has no percentage")
            }
        }
    }

    /// "786432 (768.00 MiB 805.31 MB)" → 786432 KiB in bytes.
    private static func kibibytes(_ value: String?) -> UInt64? {
        guard let value, let kib = TextScanning.unsigned(Substring(firstWord(value))) else { return nil }
        return TextScanning.multiply(kib, 1024)
    }

    private static func firstWord(_ value: String) -> String {
        TextScanning.fields(Substring(value)).first.map(String.init) ?? ""
    }

    /// "0 254 1 0 active sync /dev/vda1", "- 0 0 1 removed", "3 254 4 - spare /dev/vda4".
    private static func member(_ fields: [Substring]) -> MDDetailMember? {
        guard fields.count >= 5,
              let major = TextScanning.int(fields[1]), let minor = TextScanning.int(fields[2])
        else { return nil }
        func slot(_ field: Substring) -> Int?? {
            field == "-" ? .some(nil) : TextScanning.int(field).map { .some($0) }
        }
        guard let number = slot(fields[0]), let raidDevice = slot(fields[3]) else { return nil }
        var words = fields.dropFirst(4)
        var device: String?
        if let last = words.last, last.hasPrefix("/") {
            device = String(last)
            words = words.dropLast()
        }
        return MDDetailMember(
            number: number, major: major, minor: minor, raidDevice: raidDevice,
            state: words.map(String.init), device: device
        )
    }

    /// "nas:0  (local to host nas)" → "nas:0"; mdadm appends the note to Name (1.x) and UUID (0.90).
    static func withoutHostNote(_ value: String) -> String {
        guard let range = value.range(of: "(local to host") else { return value }
        return value[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
    }
}
