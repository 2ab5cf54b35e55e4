import Fluent
import Vapor

/// `/credentials`: SSH keys list and import, and the two-step private key reveal.
enum CredentialPages {
    static func list(_ request: Request) async throws -> Response { try await render(request, form: .empty, status: .ok) }

    static func render(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let keys = try await SSHKeyRecord.query(on: request.db).sort(\.$name).all().map { try SSHKeyDTO($0) }
        return try WebLayout.respond(request, title: "Credentials", section: .credentials, status: status) {
            CredentialsView.body(keys, form: form, viewer: $0)
        }
    }

    static func importKey(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let body = CreateSSHKeyBody(name: form.text("name") ?? "", type: nil, bits: nil, privateKey: form["private_key"] ?? "",
                                        passphrase: form.text("passphrase"), publicKey: nil, comment: form.text("comment"), tags: nil)
            let response = try await request.callAPI("ssh_keys.create", body: body, SSHKeysController.create)
            let key = try response.content.decode(SSHKeyDTO.self)
            return ("/credentials", "Imported \(key.name) (\(key.fingerprint)).")
        }, failure: { error in
            // The private key is never sent back into the page; name and comment are kept.
            try await render(request, form: FormState(values: form.kept(["name", "comment"]), error: error, fields: CredentialsView.formFields),
                             status: error.status)
        })
    }

    static func generate(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let bits = form.text("bits").flatMap { Int($0) }
            let body = CreateSSHKeyBody(name: form.text("gen_name") ?? "", type: form.text("type") ?? "ed25519", bits: bits, privateKey: nil,
                                        passphrase: nil, publicKey: nil, comment: form.text("gen_comment"), tags: nil)
            let response = try await request.callAPI("ssh_keys.create", body: body, SSHKeysController.create)
            let key = try response.content.decode(SSHKeyDTO.self)
            return ("/credentials", "Generated \(key.name) (\(key.fingerprint)).")
        }, failure: { error in
            try await render(request, form: FormState(values: form.kept(["gen_name", "gen_comment", "type", "bits"]), error: error, fields: CredentialsView.formFields),
                             status: error.status)
        })
    }

    static func confirmReveal(_ request: Request) async throws -> Response {
        let key = try await SSHKeysController.get(request)
        return try WebLayout.respond(request, title: "Reveal \(key.name)", section: .credentials) { CredentialsView.confirmReveal(key, viewer: $0) }
    }

    /// Answers the POST with the key itself (no redirect): the secret never goes into a URL,
    /// a cookie or a cache.
    static func reveal(_ request: Request) async throws -> Response {
        let key = try await SSHKeysController.get(request)
        let revealed = try await request.callAPI("ssh_keys.reveal", body: Optional<String>.none, SSHKeysController.reveal)
        return try WebLayout.respond(request, title: "Private key of \(key.name)", section: .credentials) { _ in
            CredentialsView.revealed(key, privateKey: revealed.privateKey)
        }
    }
}
