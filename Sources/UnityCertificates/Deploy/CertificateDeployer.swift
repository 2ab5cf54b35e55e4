import Foundation
import UnitySSH

/// Writes a certificate and key to a server over SSH, reloads the service, then probes the
/// service until it serves the new serial.
public struct CertificateDeployer: Sendable {
    public var executor: any SSHExecutor
    public var probe: ServedCertificateProbe
    public var commandTimeout: Duration

    public init(executor: any SSHExecutor, probe: ServedCertificateProbe = .init(), commandTimeout: Duration = .seconds(60)) {
        self.executor = executor
        self.probe = probe
        self.commandTimeout = commandTimeout
    }

    public func deploy(_ certificate: DeployableCertificate, plan: DeploymentPlan, to target: SSHTarget) async -> DeploymentOutcome {
        let certificateText = plan.chainPath == nil
            ? ([certificate.leaf] + certificate.chain).map(\.pem).joined()
            : certificate.leaf.pem
        // Key, then chain, then certificate: nothing should read them before the reload, and if
        // the service restarts on its own in between, the certificate is the last file to change.
        var files: [(path: String, contents: String, mode: String)] = [(plan.keyPath, certificate.privateKeyPEM, plan.keyMode)]
        if let chainPath = plan.chainPath {
            files.append((chainPath, certificate.chain.map(\.pem).joined(), plan.certificateMode))
        }
        files.append((plan.certificatePath, certificateText, plan.certificateMode))

        if let failure = await write(files, owner: plan.owner, on: target) { return failure }

        do {
            let result = try await executor.run(plan.reload, on: target, timeout: commandTimeout, maxOutput: 1 << 20)
            guard result.succeeded else {
                return .reloadFailed(exitStatus: result.exitStatus, stderr: Self.excerpt(result.stderrText))
            }
        } catch {
            return .reloadFailed(exitStatus: -1, stderr: String(describing: error))
        }
        return await verify(serial: certificate.leaf.serialHex, plan: plan)
    }

    /// Stages every file, then renames them all; a failure anywhere removes what was staged.
    private func write(_ files: [(path: String, contents: String, mode: String)], owner: String?, on target: SSHTarget) async -> DeploymentOutcome? {
        var staged: [(temp: String, path: String)] = []
        for file in files {
            do {
                let command = try RemoteFileWrite.stage(path: file.path, contents: Data(file.contents.utf8), mode: file.mode, owner: owner)
                let result = try await executor.run(command, on: target, timeout: commandTimeout, maxOutput: 1 << 16)
                let temp = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                guard result.succeeded, temp.hasPrefix("/") else {
                    await discard(staged.map(\.temp), on: target)
                    return .writeFailed(path: file.path, message: Self.excerpt(result.stderrText.isEmpty ? "exit \(result.exitStatus)" : result.stderrText))
                }
                staged.append((temp, file.path))
            } catch {
                await discard(staged.map(\.temp), on: target)
                return .writeFailed(path: file.path, message: String(describing: error))
            }
        }
        for (index, file) in staged.enumerated() {
            do {
                let result = try await executor.run(RemoteFileWrite.commit(temp: file.temp, path: file.path), on: target, timeout: commandTimeout, maxOutput: 1 << 16)
                guard result.succeeded else {
                    await discard(staged[index...].map(\.temp), on: target)
                    return .writeFailed(path: file.path, message: Self.excerpt(result.stderrText))
                }
            } catch {
                await discard(staged[index...].map(\.temp), on: target)
                return .writeFailed(path: file.path, message: String(describing: error))
            }
        }
        return nil
    }

    private func discard(_ temps: [String], on target: SSHTarget) async {
        guard !temps.isEmpty else { return }
        _ = try? await executor.run(RemoteFileWrite.discard(temps), on: target, timeout: commandTimeout, maxOutput: 1 << 16)
    }

    /// Probes until the served leaf has `serial` or the window closes. A service that keeps
    /// serving another serial is `.renewedButNotServed`; one that never answers is `.verifyUnreachable`.
    func verify(serial: String, plan: DeploymentPlan) async -> DeploymentOutcome {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: plan.verifyWindow)
        var lastServed: String?
        var lastError = "no probe attempted"
        repeat {
            let remaining = clock.now.duration(to: deadline)
            do {
                let served = try await probe.probe(
                    host: plan.verifyHost, port: plan.verifyPort, serverName: plan.verifyServerName,
                    timeout: min(.seconds(3), max(.milliseconds(200), remaining)))
                if let leaf = served.leaf {
                    if leaf.serialHex == serial { return .deployed(verifiedSerial: serial) }
                    lastServed = leaf.serialHex
                }
            } catch {
                lastError = error.description
            }
            try? await Task.sleep(for: plan.verifyInterval)
        } while clock.now < deadline && !Task.isCancelled
        if let lastServed { return .renewedButNotServed(servedSerial: lastServed) }
        return .verifyUnreachable(message: lastError)
    }

    static func excerpt(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.count > 2000 ? String(trimmed.prefix(2000)) + "…" : trimmed
    }
}
