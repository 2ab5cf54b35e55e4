import Foundation

/// A command to run on a server. Built only from a constant template plus quoted values, so a
/// user-supplied value can never become shell syntax.
public struct RemoteCommand: Sendable, Hashable, CustomStringConvertible {
    /// The shell command line, every user value already quoted.
    public let commandLine: String
    /// Run through `sudo` when the target says so (see `SSHTarget.sudo`).
    public let privileged: Bool
    /// Bytes for the remote command's standard input (a script for `sh -s`, file contents for a
    /// write, a database password): data never goes into the command line, where `ps` would show it.
    public private(set) var input: Data?

    /// A constant command with no user values, e.g. `cat /proc/loadavg`.
    public init(_ constant: StaticString, privileged: Bool = false) {
        self.commandLine = constant.description
        self.privileged = privileged
    }

    /// Fills `{name}` placeholders in a constant template; each value is POSIX-quoted.
    /// Unknown placeholders, unused values and unbalanced braces are programming errors, reported as `.invalidTemplate`.
    public init(template: StaticString, _ values: [String: String], privileged: Bool = false) throws(TemplateError) {
        self.commandLine = try Self.render(template.description, values)
        self.privileged = privileged
    }

    /// An argv: each word quoted and joined.
    public init(argv: [String], privileged: Bool = false) {
        self.commandLine = ShellQuote.join(argv)
        self.privileged = privileged
    }

    /// Unchecked command line for internal callers that already quoted everything.
    init(unchecked line: String, privileged: Bool = false) {
        self.commandLine = line
        self.privileged = privileged
    }

    public var description: String { commandLine }

    /// The same command with `data` on its standard input.
    public func withInput(_ data: Data) -> RemoteCommand {
        var copy = self
        copy.input = data
        return copy
    }

    public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { "invalid command template: \(message)" }
    }

    static func render(_ template: String, _ values: [String: String]) throws(TemplateError) -> String {
        var output = ""
        var used = Set<String>()
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw TemplateError(message: "unclosed {")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = values[name] else { throw TemplateError(message: "no value for {\(name)}") }
            output += ShellQuote.quote(value)
            used.insert(name)
            rest = rest[rest.index(after: close)...]
        }
        if rest.contains("}") { throw TemplateError(message: "stray }") }
        output += rest
        let unused = Set(values.keys).subtracting(used)
        guard unused.isEmpty else { throw TemplateError(message: "unused values \(unused.sorted())") }
        return output
    }
}

/// What a transport actually sends: the final command line and the bytes for the remote stdin.
struct PreparedCommand: Sendable {
    let line: String
    /// Written to the channel after exec, then EOF. Holds the sudo password when one is used: never argv.
    let stdin: Data?
}

extension RemoteCommand {
    /// Applies the target's sudo policy. `sudo -n` never prompts (fails fast when a password is needed);
    /// `sudo -S -p ''` reads the password from stdin with an empty prompt, so nothing reaches stderr or argv.
    func prepared(for sudo: SudoPolicy) -> PreparedCommand {
        guard privileged else { return PreparedCommand(line: commandLine, stdin: input) }
        switch sudo {
        case .none:
            return PreparedCommand(line: commandLine, stdin: input)
        case .passwordless:
            return PreparedCommand(line: "sudo -n -- sh -c \(ShellQuote.quote(commandLine))", stdin: input)
        case .password(let password):
            // sudo reads the password line; the command then reads whatever input follows it.
            return PreparedCommand(
                line: "sudo -S -p '' -- sh -c \(ShellQuote.quote(commandLine))",
                stdin: Data((password + "\n").utf8) + (input ?? Data())
            )
        }
    }
}
