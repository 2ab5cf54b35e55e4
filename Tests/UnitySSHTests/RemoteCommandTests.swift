import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

struct RemoteCommandTests {
    @Test func quotingIsExact() {
        #expect(ShellQuote.quote("nginx.service") == "nginx.service")
        #expect(ShellQuote.quote("") == "''")
        #expect(ShellQuote.quote("a b") == "'a b'")
        #expect(ShellQuote.quote("; rm -rf /") == "'; rm -rf /'")
        #expect(ShellQuote.quote("$(reboot)") == "'$(reboot)'")
        #expect(ShellQuote.quote("it's") == "'it'\\''s'")
        #expect(ShellQuote.quote("line1\nline2") == "'line1\nline2'")
        #expect(ShellQuote.quote("-rf") == "-rf")
        #expect(ShellQuote.join(["ls", "-l", "my dir"]) == "ls -l 'my dir'")
    }

    @Test func templatesQuoteEveryValue() throws {
        let command = try RemoteCommand(template: "systemctl status {unit} --lines {n}", ["unit": "a;b", "n": "5"])
        #expect(command.commandLine == "systemctl status 'a;b' --lines 5")
        #expect(!command.privileged)
    }

    @Test func templateMistakesAreRefused() {
        #expect(throws: RemoteCommand.TemplateError.self) { try RemoteCommand(template: "echo {x}", [:]) }
        #expect(throws: RemoteCommand.TemplateError.self) { try RemoteCommand(template: "echo {x", ["x": "1"]) }
        #expect(throws: RemoteCommand.TemplateError.self) { try RemoteCommand(template: "echo x}", [:]) }
        #expect(throws: RemoteCommand.TemplateError.self) { try RemoteCommand(template: "echo", ["x": "1"]) }
    }

    @Test func sudoWrappingIsExactAndKeepsThePasswordOutOfArgv() throws {
        let command = try RemoteCommand(template: "cat {path}", ["path": "/etc/it's"], privileged: true)
        #expect(command.prepared(for: .none).line == "cat '/etc/it'\\''s'")
        let passwordless = command.prepared(for: .passwordless)
        #expect(passwordless.line == "sudo -n -- sh -c 'cat '\\''/etc/it'\\''\\'\\'''\\''s'\\'''")
        #expect(passwordless.stdin == nil)
        let withPassword = command.prepared(for: .password("hunter2"))
        #expect(withPassword.line == "sudo -S -p '' -- sh -c 'cat '\\''/etc/it'\\''\\'\\'''\\''s'\\'''")
        #expect(!withPassword.line.contains("hunter2"))
        #expect(withPassword.stdin == Data("hunter2\n".utf8))
        // Unprivileged commands are never wrapped.
        #expect(RemoteCommand("uptime").prepared(for: .password("x")).line == "uptime")
    }

    @Test func errorsCarryNoSecrets() {
        let errors: [SSHError] = [.authenticationFailed, .commandTimeout, .connectionClosed, .outputTooLarge(limit: 10)]
        for error in errors { #expect(!error.description.isEmpty) }
    }
}
