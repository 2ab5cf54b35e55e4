/// Whole milliseconds, for durations stored and shown in the API (`duration_ms`, `latency_ms`).
extension Duration {
    var wholeMilliseconds: Int {
        Int(components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
