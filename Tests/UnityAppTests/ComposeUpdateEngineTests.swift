import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityRegistryTestSupport
import UnitySSH
import UnitySSHTestSupport

/// The update engine taking the compose path: a `docker-compose` 1.29 project on the real test
/// dockerd, Compose run over a real sshd, images from a real registry. v1 → v2 succeeds through
/// Compose (the file names v2, `up -d` afterwards recreates nothing); v2 → v3 fails its healthcheck
/// and Compose brings v2 back with the operator's file restored.
@Suite(.enabled(if: SSHD.enabled), .serialized, .timeLimit(.minutes(5)))
struct ComposeUpdateEngineTests {
    @Test func updatesThroughComposeAndRollsBackThroughCompose() async throws {
        let registry = try TestRegistry.open()
        let images = try UpdateTestImages.shared(registryHost: registry.host)
        let test = try TestEngine.docker()
        let project = "unityu\(UUID().uuidString.prefix(6).lowercased())"
        let yaml = { (image: String) in "services:\n  app:\n    image: \(image)  # the operator's pin\n    network_mode: none\n    volumes:\n      - data:/data\nvolumes:\n  data: {}\n" }
        let compose = try TestCompose(engine: test, projectName: project, yaml: yaml(images.v1.reference))
        defer { compose.tearDown() }
        try compose.run(["up", "-d"])
        let name = "\(project)_app_1"
        try test.cli(["exec", name, "sh", "-c", "echo kept > /data/marker"])
        let key = try TestKeys.ed25519()
        try await withSSHD(authorizedKeys: [key.publicLine.trimmingCharacters(in: .newlines)]) { sshd in
            let executor = NIOSSHTransport()
            do {
                let updater = ComposeServiceUpdater(executor: executor, target: try sshd.target(.privateKey(SSHPrivateKey(text: key.text))),
                                                    engineSocket: test.socketPath)
                try await Self.exercise(updater, test: test, images: images, compose: compose, name: name, yaml: yaml)
            } catch {
                await executor.shutdown()
                throw error
            }
            await executor.shutdown()
        }
    }

    static func exercise(_ updater: ComposeServiceUpdater, test: TestEngine, images: UpdateTestImages, compose: TestCompose,
                         name: String, yaml: (String) -> String) async throws {
        func inspect(_ format: String) throws -> String {
            try test.cli(["inspect", "-f", format, name]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let engine = ContainerUpdateEngine(engine: DockerAPIEngine(transport: test.transport), resolveContainer: { _ in name },
                                           pollSeconds: 0.5, compose: updater)
        let options = UpdateApplyOptions(healthGate: HealthGateSettings(stableSeconds: 3, healthyTimeoutSeconds: 25, evidenceLogLines: 10))
        func update(to version: UpdateTestImages.Version) async throws -> (UpdateRunState, InMemoryUpdateJournal.Run) {
            let journal = InMemoryUpdateJournal()
            let request = UpdateRequest(containerID: UUID(), hostID: UUID(), candidateReference: version.reference,
                                        candidateDigest: version.digest, trigger: .manual, requestedBy: "test")
            let run = try await journal.begin(request, at: Date())
            let state = await engine.apply(request, options: options, run: run, journal: journal, backups: nil)
            return (state, try #require(journal.run(run)))
        }

        let (good, goodRun) = try await update(to: images.v2)
        #expect(good == .succeeded, "\(goodRun.steps.map { "\($0.step.rawValue) \($0.outcome.rawValue): \($0.detail)" })")
        #expect(goodRun.steps.contains { $0.step == .composeUp && $0.outcome == .succeeded })
        #expect(!goodRun.steps.contains { $0.step == .renameOld }, "the API path was not taken")
        #expect(try inspect("{{.Image}}") == images.v2.imageID)
        #expect(try String(contentsOfFile: compose.file, encoding: .utf8) == yaml(images.v2.reference))
        #expect(!FileManager.default.fileExists(atPath: compose.file + ".unity-bak"))
        #expect(try test.cli(["exec", name, "cat", "/data/marker"]).contains("kept"))
        let updated = try inspect("{{.Id}}")
        try compose.run(["up", "-d"])
        #expect(try inspect("{{.Id}}") == updated, "a later up -d recreated the container")

        let (bad, badRun) = try await update(to: images.v3)
        #expect(bad == .rolledBack, "\(badRun.steps.map { "\($0.step.rawValue) \($0.outcome.rawValue): \($0.detail)" })")
        #expect(badRun.steps.contains { $0.step == .composeRestore && $0.outcome == .succeeded })
        #expect(try inspect("{{.Image}}") == images.v2.imageID)
        #expect(try inspect("{{.State.Running}}") == "true")
        #expect(try String(contentsOfFile: compose.file, encoding: .utf8) == yaml(images.v2.reference), "the operator's file is back")
        #expect(!FileManager.default.fileExists(atPath: compose.file + ".unity-bak"))
        #expect(try test.cli(["exec", name, "cat", "/data/marker"]).contains("kept"))
    }
}
