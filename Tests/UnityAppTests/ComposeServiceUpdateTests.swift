import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityRegistryTestSupport
import UnitySSH
import UnitySSHTestSupport

/// A compose-managed service updated through Compose on its host: the real `docker-compose` 1.29,
/// run over a real sshd against the test's real dockerd, pulling from a real registry. After the
/// update a plain `docker-compose up -d` must find the service up to date (the same container), and
/// a failed pull must leave the operator's file byte-identical and the container untouched.
@Suite(.enabled(if: SSHD.enabled), .serialized, .timeLimit(.minutes(4)))
struct ComposeServiceUpdateTests {
    struct Fixture {
        let engine: TestEngine
        let registry: TestRegistry
        let repository: String

        func reference(_ tag: String) -> String { "\(registry.host)/\(repository):\(tag)" }

        /// Two small runnable images built on the test busybox, pushed to the registry, removed locally
        /// so that Compose has to pull.
        static func make() throws -> Fixture {
            let engine = try TestEngine.docker()
            let registry = try TestRegistry.open()
            let fixture = Fixture(engine: engine, registry: registry, repository: "homelab/compose-\(UUID().uuidString.prefix(6).lowercased())")
            let context = try TestCommand.temporaryDirectory("unity-compose-image")
            defer { try? FileManager.default.removeItem(atPath: context) }
            for version in ["v1", "v2"] {
                try "FROM \(TestEngine.image)\nLABEL unity.test.version=\(version)\nCMD [\"sleep\", \"600\"]\n"
                    .write(toFile: "\(context)/Dockerfile", atomically: true, encoding: .utf8)
                try engine.cli(["build", "-q", "-t", fixture.reference(version), context])
                try engine.cli(["push", fixture.reference(version)])
                try engine.cli(["rmi", fixture.reference(version)])
            }
            return fixture
        }

        func imageID(ofContainer name: String) throws -> String {
            try engine.cli(["inspect", "-f", "{{.Image}}", name]).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func containerID(_ name: String) throws -> String {
            try engine.cli(["inspect", "-f", "{{.Id}}", name]).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func imageID(_ reference: String) throws -> String {
            try engine.cli(["image", "inspect", "-f", "{{.Id}}", reference]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    static func yaml(image: String) -> String {
        """
        # kept as the operator wrote it
        services:
          app:
            image: \(image)   # pinned
            network_mode: none
          helper:
            image: \(TestEngine.image)
            command: ["sleep", "600"]
            network_mode: none
        """
    }

    func withUpdater(_ fixture: Fixture, _ body: (ComposeServiceUpdater) async throws -> Void) async throws {
        let key = try TestKeys.ed25519()
        try await withSSHD(authorizedKeys: [key.publicLine.trimmingCharacters(in: .newlines)]) { sshd in
            let executor = NIOSSHTransport()
            let target = try sshd.target(.privateKey(SSHPrivateKey(text: key.text)))
            do {
                try await body(ComposeServiceUpdater(executor: executor, target: target, engineSocket: fixture.engine.socketPath))
            } catch {
                await executor.shutdown()
                throw error
            }
            await executor.shutdown()
        }
    }

    @Test func aPinnedTagIsEditedPulledAndUpAndComposeThenFindsNothingToDo() async throws {
        let fixture = try Fixture.make()
        let project = "unityc\(UUID().uuidString.prefix(6).lowercased())"
        let compose = try TestCompose(engine: fixture.engine, projectName: project, yaml: Self.yaml(image: fixture.reference("v1")))
        defer { compose.tearDown() }
        try compose.run(["up", "-d"])
        let name = "\(project)_app_1"
        let helperBefore = try fixture.containerID("\(project)_helper_1")
        let service = ComposeService(project: project, service: "app", workingDirectory: compose.directory, configFiles: [compose.file])

        try await withUpdater(fixture) { updater in
            let plan = try await updater.prepare(service, candidate: fixture.reference("v2"))
            #expect(plan.invocation.tool == .dockerComposeV1 || plan.invocation.tool == .dockerComposeV2)
            #expect(plan.previousImage == fixture.reference("v1"))
            #expect(plan.editedText != nil)
            try await updater.writeFile(plan)
            try await updater.pull(plan)
            try await updater.up(plan)

            #expect(try fixture.imageID(ofContainer: name) == fixture.imageID(fixture.reference("v2")))
            let written = try String(contentsOfFile: compose.file, encoding: .utf8)
            #expect(written == Self.yaml(image: fixture.reference("v2")), "only the image value changed")
            #expect(try String(contentsOfFile: plan.backupFile, encoding: .utf8) == Self.yaml(image: fixture.reference("v1")))
            #expect(try fixture.containerID("\(project)_helper_1") == helperBefore, "--no-deps: the other service was not recreated")

            // The operator's next `up -d` agrees with what Unity did.
            let updated = try fixture.containerID(name)
            try compose.run(["up", "-d"])
            #expect(try fixture.containerID(name) == updated, "compose recreated the updated container")

            try await updater.discardBackup(plan)
            #expect(!FileManager.default.fileExists(atPath: plan.backupFile))
        }
    }

    @Test func aFailedPullPutsTheFileBackAndTouchesNothing() async throws {
        let fixture = try Fixture.make()
        let project = "unityc\(UUID().uuidString.prefix(6).lowercased())"
        let original = Self.yaml(image: fixture.reference("v1"))
        let compose = try TestCompose(engine: fixture.engine, projectName: project, yaml: original)
        defer { compose.tearDown() }
        try compose.run(["up", "-d"])
        let name = "\(project)_app_1"
        let before = try fixture.containerID(name)
        let service = ComposeService(project: project, service: "app", workingDirectory: compose.directory, configFiles: [compose.file])

        try await withUpdater(fixture) { updater in
            let plan = try await updater.prepare(service, candidate: fixture.reference("v9-missing"))
            try await updater.writeFile(plan)
            await #expect(throws: ComposeServiceUpdater.Failure.self) { try await updater.pull(plan) }
            try await updater.restoreFile(plan)
            #expect(try String(contentsOfFile: compose.file, encoding: .utf8) == original)
            #expect(!FileManager.default.fileExists(atPath: plan.backupFile))
            #expect(try fixture.containerID(name) == before)
            #expect(try fixture.engine.cli(["inspect", "-f", "{{.State.Running}}", name]).contains("true"))

            // A service Compose builds cannot take a new image through the file: the API path it is.
            let built = ComposeService(project: project, service: "nosuch", workingDirectory: compose.directory, configFiles: [compose.file])
            await #expect(throws: ComposeServiceUpdater.Failure.self) { _ = try await updater.prepare(built, candidate: fixture.reference("v2")) }
        }
    }
}
