/// Reads the `errors:` section: the summary line(s) and, with `-v`, the list of damaged files.
enum ZpoolErrorsParser {
    static func parse(_ lines: [String]) -> ZpoolErrors {
        var errors = ZpoolErrors()
        for line in lines.map(ZpoolText.trimmed) where !line.isEmpty {
            if line == "No known data errors" {
                errors.noKnownDataErrors = true
            } else if line.hasPrefix("Permanent errors have been detected") {
                errors.permanentErrorsDetected = true
            } else if let count = dataErrorCount(line) {
                errors.dataErrorCount = count
            } else if errors.permanentErrorsDetected {
                errors.affectedFiles.append(line)
            } else {
                errors.messages.append(line)
            }
        }
        return errors
    }

    /// "1 data errors, use '-v' for a list" → 1.
    private static func dataErrorCount(_ line: String) -> Int? {
        let words = ZpoolText.words(line)
        guard ZpoolText.element(words, 1) == "data", ZpoolText.element(words, 2)?.hasPrefix("error") == true,
              let count = words.first
        else { return nil }
        return ZpoolNumbers.unsignedInteger(count)
    }
}
