import Foundation
import UnitySSH

/// The state of one server during a job and the building blocks every operation uses: timed steps,
/// read + backup, compare-and-swap writes, restore over whichever session still works, and the
/// final proof of which credential Unity can use. One per server, used by that server's task only.
struct ServerJob {
    let server: ManagedServer
    let file: RemoteKeyFile
    let prover: any LoginProver
    let executor: any SSHExecutor
    let progress: KeyJobProgress
    private let startedAt = ContinuousClock.now

    /// The access Unity uses for this server right now (switches to the new key mid-rotation).
    var access: SSHTarget
    private(set) var steps: [StepRecord] = []
    private(set) var backupPath: String?
    /// The file as Unity last saw or wrote it; every write is a compare-and-swap against `current.checksum`.
    private(set) var current = RemoteKeyFile.Snapshot(contents: nil, checksum: RemoteKeyFile.absent)
    private(set) var wrote = false

    init(server: ManagedServer, executor: any SSHExecutor, prover: any LoginProver, progress: @escaping KeyJobProgress) {
        self.server = server
        self.executor = executor
        self.prover = prover
        self.progress = progress
        self.file = RemoteKeyFile(executor: executor, location: server.authorizedKeys)
        self.access = server.access
    }

    /// Runs one step, records it with its timing and reports it. Returns nil when the step failed.
    mutating func step<T>(_ step: KeyStep, _ body: () async throws -> (T, String)) async -> T? {
        let date = Date(), start = ContinuousClock.now
        do {
            let (value, message) = try await body()
            record(step, .succeeded, message, date, start)
            return value
        } catch {
            record(step, .failed, String(describing: error), date, start)
            return nil
        }
    }

    mutating func record(_ step: KeyStep, _ outcome: StepOutcome, _ message: String,
                         _ date: Date = Date(), _ start: ContinuousClock.Instant = .now) {
        let record = StepRecord(step: step, outcome: outcome, message: message, startedAt: date, duration: .now - start)
        steps.append(record)
        progress(.stepFinished(serverID: server.id, record: record))
    }

    /// Reads the file over Unity's access. Nil (step failed) means nothing can be done safely.
    mutating func read() async -> AuthorizedKeys? {
        let file = self.file, access = self.access
        guard let snapshot = await step(.read, {
            let snapshot = try await file.read(over: access)
            let size = snapshot.contents.map { "\($0.count) bytes" } ?? "no file yet"
            return (snapshot, "\(file.location): \(size)")
        }) else { return nil }
        current = snapshot
        return AuthorizedKeys(snapshot.contents ?? Data())
    }

    /// Backs the file up once, before Unity's first write of this job.
    mutating func backupIfNeeded() async -> Bool {
        guard backupPath == nil else { return true }
        let file = self.file, access = self.access
        let stamp = Self.backupStamp()
        guard let path = await step(.backup, {
            let path = try await file.backup(stamp: stamp, over: access)
            return (path, path == RemoteKeyFile.absent ? "no file to back up (restore removes it)" : "saved \(path)")
        }) else { return false }
        backupPath = path
        return true
    }

    /// Compare-and-swap write of an edit; `step` names it (add_key / remove_key).
    mutating func write(_ edit: AuthorizedKeys.Edit, as step: KeyStep, message: String) async -> Bool {
        let file = self.file, access = self.access, expected = current.checksum
        guard let checksum = await self.step(step, {
            (try await file.write(edit.data, expecting: expected, over: access), message)
        }) else { return false }
        current = RemoteKeyFile.Snapshot(contents: edit.data, checksum: checksum)
        wrote = true
        return true
    }

    /// A fresh login with `target`; records `step` and returns whether it logged in.
    mutating func prove(_ step: KeyStep, _ target: SSHTarget, what: String) async -> Bool {
        let prover = self.prover
        return await self.step(step, {
            try await prover.proveLogin(target)
            return ((), "\(what) logged in")
        }) != nil
    }

    /// A fresh login with `target` must now be refused. A success is a warning, not a failure: the
    /// key is out of this file but still accepted some other way (another AuthorizedKeysFile, a CA).
    mutating func proveRefused(_ target: SSHTarget, what: String) async {
        let date = Date(), start = ContinuousClock.now
        do {
            try await prover.proveLogin(target)
            record(.proveRevoked, .warning, "\(what) still logs in: it is authorized by something other than \(file.location)", date, start)
        } catch where error == .authenticationFailed {
            record(.proveRevoked, .succeeded, "\(what) is refused", date, start)
        } catch {
            record(.proveRevoked, .warning, "could not check \(what): \(error)", date, start)
        }
    }

    /// Puts the backup back over the first session that still works: Unity's current access, then the
    /// access it started with (its pooled connection outlives the removal of its key from the file).
    /// Refuses if the file is no longer what Unity wrote (someone else edited it since).
    mutating func rollback() async -> ServerOutcome {
        guard wrote else { return .failedUnchanged }
        guard let backupPath else { return .failedNeedsAttention }
        let file = self.file, expected = current.checksum
        for candidate in sessionCandidates() {
            let date = Date(), start = ContinuousClock.now
            do {
                _ = try await file.restore(backup: backupPath, expecting: expected, over: candidate)
                record(.restore, .succeeded, "restored \(backupPath) over \(Self.describe(candidate))", date, start)
                wrote = false
                return .failedRestored
            } catch {
                record(.restore, .failed, "over \(Self.describe(candidate)): \(error); backup kept at \(backupPath)", date, start)
                // Only a session that could not run the restore is worth another try; a conflict or a
                // remote failure would be the same over any session.
                guard case .ssh = error else { break }
            }
        }
        return .failedNeedsAttention
    }

    /// Proves which credential works now (current access first, then the original) and builds the result.
    mutating func finish(_ outcome: ServerOutcome) async -> ServerResult {
        var proven: SSHTarget?
        for candidate in sessionCandidates() where proven == nil {
            if await prove(.proveAccess, candidate, what: "Unity's access (\(Self.describe(candidate)))") { proven = candidate }
        }
        var final = outcome
        if proven == nil, !outcome.isFailure { final = .failedNeedsAttention }
        let result = ServerResult(
            serverID: server.id, outcome: final, steps: steps, access: proven,
            accessKeyFingerprint: proven.flatMap(Self.keyFingerprint),
            accessSwitched: proven.map { Self.keyFingerprint($0) != Self.keyFingerprint(server.access) } ?? false,
            backupPath: backupPath, duration: .now - startedAt
        )
        progress(.serverFinished(result))
        return result
    }

    private func sessionCandidates() -> [SSHTarget] {
        Self.keyFingerprint(access) == Self.keyFingerprint(server.access) ? [access] : [access, server.access]
    }

    static func keyFingerprint(_ target: SSHTarget) -> String? {
        if case .privateKey(let key) = target.credential { return key.fingerprint }
        return nil
    }

    static func describe(_ target: SSHTarget) -> String {
        "\(target.username)@\(target.endpoint) with " + (keyFingerprint(target).map { "key \($0)" } ?? "password")
    }

    /// `20261127T134500Z-1a2b`: sortable, and unique enough for two jobs started in the same second.
    static func backupStamp(_ date: Date = Date()) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        let stamp = String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                           c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        return stamp + "-" + String(UInt16.random(in: .min ... .max), radix: 16)
    }
}
