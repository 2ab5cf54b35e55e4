/// Parser for `df -P -B1` (and, because the header says which block size was used, for plain
/// `df`, `df -P`, `df -PT` and `df -B1` output too). Human-readable `df -h` output is refused:
/// "5.5G" is rounded and would make byte totals and alerts drift.
public enum DiskFree {
    static let source = "df"

    public static func parse(_ output: String) throws(ParseError) -> DiskFreeReport {
        let lines = TextScanning.lines(output).filter { !TextScanning.trimmed($0.text).isEmpty }
        guard let header = lines.first else {
            throw ParseError(source: source, reason: "empty output")
        }
        let layout = try Layout(header: header)

        var entries: [DiskFreeEntry] = []
        var warnings: [String] = []
        // Without -P, GNU df puts a filesystem name longer than its column on a line of its own
        // and the numbers on the next line; carry the name over.
        var pendingFilesystem: Substring?
        for line in lines.dropFirst() {
            var fields = TextScanning.fields(line.text)
            if fields.count == 1, pendingFilesystem == nil {
                pendingFilesystem = fields[0]
                continue
            }
            if let pending = pendingFilesystem {
                fields.insert(pending, at: 0)
                pendingFilesystem = nil
            }
            switch row(fields, layout: layout) {
            case .success(let entry): entries.append(entry)
            case .failure(let problem): warnings.append("line \(line.number): \(problem.reason)")
            }
        }
        if let pending = pendingFilesystem {
            warnings.append("filesystem '\(pending.prefix(64))' has no numbers (output cut short?)")
        }
        return DiskFreeReport(entries: entries, warnings: warnings)
    }

    /// Column positions and block size, read from the header.
    struct Layout {
        let hasType: Bool
        let blockSize: UInt64

        init(header: NumberedLine) throws(ParseError) {
            let fields = TextScanning.fields(header.text)
            guard fields.first == "Filesystem", fields.count >= 6 else {
                throw ParseError(source: DiskFree.source, line: header.number, reason: "missing df header line")
            }
            hasType = fields[1] == "Type"
            let sizeColumn = fields[hasType ? 2 : 1]
            if sizeColumn == "Size" {
                throw ParseError(
                    source: DiskFree.source, line: header.number,
                    reason: "human-readable sizes (df -h) are rounded; run df -P -B1 for exact bytes"
                )
            }
            guard let size = DiskFree.blockSize(sizeColumn) else {
                throw ParseError(
                    source: DiskFree.source, line: header.number,
                    reason: "unsupported size column '\(sizeColumn.prefix(32))' (inode listing? run df -P -B1)"
                )
            }
            blockSize = size
        }
    }

    /// "1B-blocks" → 1, "1K-blocks"/"1024-blocks" → 1024, "512-blocks" → 512, "1kB-blocks" → 1000.
    static func blockSize(_ column: Substring) -> UInt64? {
        guard column.hasSuffix("-blocks") else { return nil }
        let spec = column.dropLast("-blocks".count)
        let digits = spec.prefix(while: { $0.isASCII && $0.isNumber })
        guard let count = TextScanning.unsigned(digits), count > 0 else { return nil }
        let suffix = spec.dropFirst(digits.count)
        let powers: [Character] = ["K", "M", "G", "T", "P", "E"]
        var multiplier: UInt64 = 1
        if !suffix.isEmpty, suffix != "B" {
            guard let letter = suffix.first?.uppercased().first, let power = powers.firstIndex(of: letter) else {
                return nil
            }
            let rest = suffix.dropFirst()
            guard rest.isEmpty || rest == "B" else { return nil }
            let base: UInt64 = rest == "B" ? 1000 : 1024  // GNU: "kB" is SI, "K" is binary
            for _ in 0...power { multiplier *= base }
        }
        return TextScanning.multiply(count, multiplier)
    }

    private static func row(_ fields: [Substring], layout: Layout) -> Result<DiskFreeEntry, ParseError> {
        let first = layout.hasType ? 2 : 1
        guard fields.count >= first + 5 else {
            return .failure(ParseError(source: source, reason: "expected at least \(first + 5) columns, found \(fields.count)"))
        }
        var numbers: [UInt64] = []
        for field in fields[first..<(first + 3)] {
            guard let blocks = TextScanning.unsigned(field) else {
                return .failure(ParseError(source: source, reason: "'\(field.prefix(32))' is not a block count"))
            }
            guard let bytes = TextScanning.multiply(blocks, layout.blockSize) else {
                return .failure(ParseError(source: source, reason: "size overflows 64 bits"))
            }
            numbers.append(bytes)
        }
        let capacityField = fields[first + 3]
        let capacity: Int?
        if capacityField == "-" {
            capacity = nil
        } else if capacityField.hasSuffix("%"), let value = TextScanning.int(capacityField.dropLast()) {
            capacity = value
        } else {
            return .failure(ParseError(source: source, reason: "'\(capacityField.prefix(32))' is not a percentage"))
        }
        // The mount point is everything after the capacity column, spaces included.
        let base = fields[first + 4].base
        let mountPoint = String(base[fields[first + 4].startIndex..<fields[fields.count - 1].endIndex])
        return .success(DiskFreeEntry(
            filesystem: String(fields[0]), type: layout.hasType ? String(fields[1]) : nil,
            sizeBytes: numbers[0], usedBytes: numbers[1], availableBytes: numbers[2],
            capacityPercent: capacity, mountPoint: mountPoint
        ))
    }
}
