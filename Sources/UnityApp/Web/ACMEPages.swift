import Fluent
import Vapor

/// `/credentials/acme`: ACME accounts (admins add and remove them) and the certificates Unity keeps
/// issued from them. Issuing answers at once and the order's page follows the attempt.
enum ACMEPages {
    static let accountFields = ["name", "preset", "step_ca_id", "directory_url", "email", "eab_kid", "eab_hmac_key", "trusted_roots_pem", "terms_of_service_agreed"]
    static let orderFields = ["account_id", "names", "challenge", "http_host", "http_port", "webroot.server_id", "webroot.path", "webroot", "key_type", "dns_provider.type", "dns_settings", "dns_secrets"]

    static func list(_ request: Request) async throws -> Response {
        try await render(request, accountForm: .empty, orderForm: .empty, status: .ok)
    }

    static func render(_ request: Request, accountForm: FormState, orderForm: FormState, status: HTTPResponseStatus) async throws -> Response {
        request.url.query = "per_page=\(PageRequest.maxPerPage)"
        let accounts = try await ACMEAccountsController.list(request).items
        let orders = try await ACMECertificatesController.list(request).items
        let stepCAs = try await StepCAAuthorityRecord.query(on: request.db).filter(\.$acmeProvisioner != nil).sort(\.$name).all()
            .compactMap { ca in ca.id.map { (id: $0, name: ca.name) } }
        let model = ACMEListModel(accounts: accounts, orders: orders, stepCAs: stepCAs, servers: try await DistributionPages.serverChoices(request),
                                  accountForm: accountForm, orderForm: orderForm)
        return try WebLayout.respond(request, title: "ACME", section: .credentials, status: status) { ACMEView.body(model, viewer: $0) }
    }

    static func createAccount(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            var stepCAID: UUID?
            if let raw = form.text("step_ca_id") {
                guard let id = UUID(uuidString: raw) else { throw APIError.validation("step_ca_id", "no such step-ca") }
                stepCAID = id
            }
            var body = ACMEAccountBody(name: form.text("name"), preset: stepCAID == nil ? form.text("preset") : "custom", directoryUrl: form.text("directory_url"),
                                       email: form.text("email"), eabKid: form.text("eab_kid"), eabHmacKey: form.text("eab_hmac_key"),
                                       trustedRootsPem: form.text("trusted_roots_pem"), termsOfServiceAgreed: form.flag("terms_of_service_agreed"))
            body.stepCaId = stepCAID
            let response = try await request.callAPI("acme_accounts.create", body: body, ACMEAccountsController.create)
            let account = try response.content.decode(ACMEAccountDTO.self)
            return ("/credentials/acme", "Registered ACME account \(account.name) (\(account.status)).")
        }, failure: { error in
            // The EAB HMAC is a secret: never sent back into the page.
            let kept = FormState(values: form.kept(accountFields.filter { $0 != "eab_hmac_key" }), error: error, fields: accountFields)
            return try await render(request, accountForm: kept, orderForm: .empty, status: error.status)
        })
    }

    static func deleteAccount(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/credentials/acme") {
            _ = try await request.callAPI("acme_accounts.delete", body: Optional<String>.none, ACMEAccountsController.delete)
            return "Removed the ACME account."
        }
    }

    static func createOrder(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let response = try await request.callAPI("acme_certificates.create", body: try orderBody(form), ACMECertificatesController.create)
            let order = try response.content.decode(ACMECertificateDTO.self)
            return (WebActions.path("/credentials/acme", order.id), "Issuing \(order.names.joined(separator: ", ")): the CA is being asked now.")
        }, failure: { error in
            let kept = FormState(values: form.kept(orderFields.filter { $0 != "dns_secrets" }), error: error, fields: orderFields)
            return try await render(request, accountForm: .empty, orderForm: kept, status: error.status)
        })
    }

    static func orderBody(_ form: WebForm) throws -> ACMECertificateBody {
        guard let raw = form.text("account_id"), let accountID = UUID(uuidString: raw) else { throw APIError.validation("account_id", "choose an account") }
        let names = (form["names"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        let challenge = form.text("challenge") ?? "http-01"
        var provider: DNSProviderBody?
        if challenge == "dns-01" {
            provider = DNSProviderBody(type: form.text("dns_provider.type") ?? "", settings: try pairs(form["dns_settings"], field: "dns_settings"),
                                       secrets: try pairs(form["dns_secrets"], field: "dns_secrets"))
        }
        var webroot: ACMEWebrootBody?
        if challenge == "http-01", let raw = form.text("webroot.server_id") {
            guard let serverID = UUID(uuidString: raw) else { throw APIError.validation("webroot.server_id", "no such server") }
            webroot = ACMEWebrootBody(serverId: serverID, path: form.text("webroot.path"))
        }
        return ACMECertificateBody(accountId: accountID, names: names, challenge: challenge, httpHost: form.text("http_host"),
                                   httpPort: try CertificatePages.number(form, "http_port"), dnsProvider: provider, keyType: form.text("key_type"),
                                   webroot: webroot)
    }

    /// `key=value` lines, as lego's environment variables are written.
    static func pairs(_ text: String?, field: String) throws -> [String: String]? {
        var result: [String: String] = [:]
        for line in (text ?? "").split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            guard let equals = trimmed.firstIndex(of: "="), equals != trimmed.startIndex else {
                throw APIError.validation(field, "one key=value per line")
            }
            result[String(trimmed[..<equals]).trimmingCharacters(in: .whitespaces)] = String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        }
        return result.isEmpty ? nil : result
    }

    /// One order: names, state, the running or last attempt (the page refreshes while it runs),
    /// every attempt, and renew / revoke / stop.
    static func order(_ request: Request) async throws -> Response {
        let order = try await ACMECertificatesController.get(request)
        request.url.query = "per_page=20"
        let attempts = try await ACMECertificatesController.attempts(request).items
        let account = try await ACMEAccountRecord.find(order.accountId, on: request.db)
        let response = try WebLayout.respond(request, title: order.names.joined(separator: ", "), section: .credentials) {
            ACMEOrderView.body(order, accountName: account?.name, attempts: attempts, viewer: $0)
        }
        if order.attempt?.outcome == "running" { response.headers.replaceOrAdd(name: "Refresh", value: "2") }
        return response
    }

    static func renew(_ request: Request) async throws -> Response {
        let back = request.url.path.replacingOccurrences(of: "/renew", with: "")
        return try await WebActions.perform(request, back: back) {
            _ = try await request.callAPI("acme_certificates.renew", body: Optional<String>.none, ACMECertificatesController.renew)
            return "Renewing: the CA is being asked now."
        }
    }

    static func revoke(_ request: Request) async throws -> Response {
        let form = request.webForm()
        let back = request.url.path.replacingOccurrences(of: "/revoke", with: "")
        return try await WebActions.perform(request, back: back) {
            let result = try await request.callAPI("acme_certificates.revoke", body: ACMERevokeBody(reason: form.text("reason")), ACMECertificatesController.revoke)
            return "Revoked at the CA; \(result.names.joined(separator: ", ")) is no longer renewed."
        }
    }

    static func delete(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/credentials/acme") {
            _ = try await request.callAPI("acme_certificates.delete", body: Optional<String>.none, ACMECertificatesController.delete)
            return "Stopped renewing; the certificate stays in the inventory."
        }
    }
}
