/// A setting that stops start-up. The message names the setting and says how to fix it, because the
/// operator reading it is looking at a terminal, not at the code.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var setting: String
    public var reason: String

    public init(setting: String, reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String { "Invalid setting \(setting): \(reason)" }
}
