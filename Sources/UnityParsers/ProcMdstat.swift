/// Parser for `cat /proc/mdstat`.
///
/// Array blocks are found by their "mdX : state" header, not by indentation: some kernels and
/// copies print the detail lines unindented.
public enum ProcMdstat {
    static let source = "/proc/mdstat"

    public static func parse(_ output: String) throws(ParseError) -> MDStatReport {
        var report = MDStatReport(personalities: [], arrays: [], unusedDevices: [], warnings: [])
        var sawPersonalities = false
        var sawUnused = false
        var current: MDArrayStatus?

        func finishArray() {
            guard var array = current else { return }
            array.isDegraded = MDStatLines.isDegraded(array)
            report.arrays.append(array)
            current = nil
        }

        for line in TextScanning.lines(output) {
            let fields = TextScanning.fields(line.text)
            guard let first = fields.first else { continue }
            if first == "Personalities" {
                finishArray()
                sawPersonalities = true
                report.personalities = fields.dropFirst().filter { $0.hasPrefix("[") && $0.hasSuffix("]") && $0.count > 2 }
                    .map { String($0.dropFirst().dropLast()) }
            } else if first == "unused", fields.count >= 2, fields[1] == "devices:" {
                finishArray()
                sawUnused = true
                report.unusedDevices = fields.dropFirst(2).filter { $0 != "<none>" }.map(String.init)
            } else if fields.count >= 3, fields[1] == ":", fields[2] == "active" || fields[2] == "inactive" {
                // md.c prints exactly "<name> : active" or "<name> : inactive".
                finishArray()
                current = MDStatLines.header(fields, line: line.number, warnings: &report.warnings)
            } else if current != nil {
                MDStatLines.detail(fields, into: &current, line: line.number, warnings: &report.warnings)
            } else {
                report.warnings.append("line \(line.number): text outside any array")
            }
        }
        finishArray()

        guard sawPersonalities || sawUnused || !report.arrays.isEmpty else {
            throw ParseError(source: source, reason: "no Personalities line and no arrays; not /proc/mdstat output")
        }
        return report
    }
}
