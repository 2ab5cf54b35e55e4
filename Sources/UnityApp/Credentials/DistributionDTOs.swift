import Foundation
import UnityCredentials
import Vapor

struct DistributionStepDTO: Content {
    var step: String
    var outcome: String
    var message: String
    var startedAt: Date
    var durationMs: Int

    init(step: String, outcome: String, message: String, startedAt: Date, durationMs: Int) {
        self.step = step; self.outcome = outcome; self.message = message; self.startedAt = startedAt; self.durationMs = durationMs
    }

    init(_ record: StepRecord) {
        step = record.step.rawValue; outcome = record.outcome.rawValue; message = record.message; startedAt = record.startedAt
        durationMs = record.duration.wholeMilliseconds
    }
}

/// One server's result, as stored on the job and returned by the API.
struct DistributionServerResult: Content {
    var serverId: String
    var serverName: String
    var outcome: String
    var steps: [DistributionStepDTO]
    var accessKeyFingerprint: String?
    var accessSwitched: Bool
    var backupPath: String?
    var durationMs: Int
}

struct DistributionDTO: Content, APIExample {
    var id: UUID
    var operation: String
    var keyId: UUID
    var newKeyId: UUID?
    var status: String
    var requestedBy: String
    var authorizedKeysPath: String
    var serverIds: [String]
    var results: [DistributionServerResult]
    var createdAt: Date?
    var finishedAt: Date?
    /// Why an `interrupted` job stopped; `POST /distributions/{id}/retry` runs its unfinished servers again.
    var statusReason: String?

    init(_ job: DistributionJob) throws {
        id = try job.requireID(); operation = job.operation; keyId = job.keyID; newKeyId = job.newKeyID; status = job.status
        requestedBy = job.requestedBy; authorizedKeysPath = job.authorizedKeysPath; serverIds = JSONList.decode(job.serverIDs)
        results = (try? JSONDecoder.unity.decode([DistributionServerResult].self, from: Data(job.results.utf8))) ?? []
        createdAt = job.createdAt; finishedAt = job.finishedAt; statusReason = job.statusReason
    }

    private init() {
        id = UUID(); operation = "rotate"; keyId = UUID(); newKeyId = UUID(); status = "partial"; requestedBy = "admin"
        authorizedKeysPath = ".ssh/authorized_keys"; serverIds = [UUID().uuidString]; createdAt = Date(); finishedAt = Date()
        results = [DistributionServerResult(serverId: serverIds[0], serverName: "nas", outcome: "failed_restored",
                                            steps: [DistributionStepDTO(step: "prove_key", outcome: "failed", message: "the new key was refused", startedAt: Date(), durationMs: 250)], accessKeyFingerprint: "SHA256:…",
                                            accessSwitched: false, backupPath: "/root/.ssh/authorized_keys.unity-backup-20261127T101500Z", durationMs: 812)]
    }

    static var example: DistributionDTO { .init() }
    static var allowedValues: [String: [String]] {
        ["operation": ["install", "revoke", "rotate"], "status": DistributionJob.Status.allCases.map(\.rawValue)]
    }
}

struct CreateDistributionBody: Content, APIExample {
    /// install, revoke or rotate.
    var operation: String
    /// The key to install or revoke; for rotate, the key being replaced.
    var keyId: UUID
    /// rotate only: the key that replaces `key_id`.
    var newKeyId: UUID?
    var serverIds: [UUID]
    /// Relative to the login user's home (default `.ssh/authorized_keys`) or absolute.
    var authorizedKeysPath: String?

    static var example: CreateDistributionBody {
        .init(operation: "rotate", keyId: UUID(), newKeyId: UUID(), serverIds: [UUID()], authorizedKeysPath: ".ssh/authorized_keys")
    }
    static var allowedValues: [String: [String]] { ["operation": ["install", "revoke", "rotate"]] }
}
