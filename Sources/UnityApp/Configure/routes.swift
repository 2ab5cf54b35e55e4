import UnityCore
import Vapor

/// Every route of Unity, grouped by who may call it. A route is added only through `access(_:)`,
/// which both records and enforces the rule; `AccessRulesTests` fails on any route without one.
func routes(_ app: Application) throws {
    let open = app.access(.open)
    let viewer = app.access(.role(.viewer))
    let operators = app.access(.role(.operator))
    let admin = app.access(.role(.admin))

    do { // operations
        open.endpoint(.GET, "healthz", operation: "health.live", summary: "Liveness: the process answers", tag: "operations", use: HealthController.live)
        open.endpoint(.GET, "readyz", operation: "health.ready", summary: "Readiness: database reachable and migrations applied", tag: "operations", responds: HealthDTO.self, use: HealthController.ready)
        open.endpoint(.GET, "metrics", operation: "metrics", summary: "Prometheus metrics (text format)", tag: "operations", produces: "text/plain", use: HealthController.metrics)
        open.endpoint(.GET, "api", "v1", "openapi.json", operation: "openapi", summary: "This API as an OpenAPI 3.1 document", tag: "operations", use: HealthController.openAPI)
        open.endpoint(.GET, "api", "docs", operation: "docs", summary: "This API as a readable page", tag: "operations", produces: "text/html", use: APIDocsPage.render)
    }

    do { // authentication
        let auth: [PathComponent] = ["api", "v1", "auth"]
        open.endpoint(.POST, auth + ["login"], operation: "auth.login", summary: "Sign in: access and refresh tokens", tag: "auth", body: LoginBody.self, target: "user", use: AuthController.login)
        open.endpoint(.POST, auth + ["refresh"], operation: "auth.refresh", summary: "Exchange a refresh token for a new pair (rotating)", tag: "auth", body: RefreshBody.self, use: AuthController.refresh)
        open.endpoint(.POST, auth + ["logout"], operation: "auth.logout", summary: "Revoke a refresh token and its family", tag: "auth", body: RefreshBody.self, status: .noContent, use: AuthController.logout)
        viewer.endpoint(.GET, "api", "v1", "me", operation: "me.get", summary: "The signed-in user", tag: "auth", use: MeController.get)
        viewer.endpoint(.POST, "api", "v1", "me", "password", operation: "me.password", summary: "Change your own password", tag: "auth", body: ChangePasswordBody.self, target: "user", status: .noContent, use: MeController.changePassword)
    }

    do { // users
        let users: [PathComponent] = ["api", "v1", "users"]
        admin.endpoint(.GET, users, operation: "users.list", summary: "List users", tag: "users", query: QueryParameter.paging, use: UsersController.list)
        admin.endpoint(.POST, users, operation: "users.create", summary: "Create a user", tag: "users", body: CreateUserBody.self, target: "user", status: .created, responds: CreatedUser.self, use: UsersController.create)
        admin.endpoint(.GET, users + [":id"], operation: "users.get", summary: "One user", tag: "users", use: UsersController.get)
        admin.endpoint(.PATCH, users + [":id"], operation: "users.update", summary: "Change a user's role or disable them", tag: "users", body: UpdateUserBody.self, target: "user", use: UsersController.update)
        admin.endpoint(.DELETE, users + [":id"], operation: "users.delete", summary: "Delete a user", tag: "users", target: "user", status: .noContent, use: UsersController.delete)
        admin.endpoint(.POST, users + [":id", "password"], operation: "users.set_password", summary: "Set a user's password (signs them out everywhere)", tag: "users", body: SetPasswordBody.self, target: "user", status: .noContent, use: UsersController.setPassword)
    }

    do { // API keys
        let keys: [PathComponent] = ["api", "v1", "api-keys"]
        viewer.endpoint(.GET, keys, operation: "api_keys.list", summary: "Your API keys (admins: all keys)", tag: "api-keys", query: QueryParameter.paging, use: APIKeysController.list)
        viewer.endpoint(.POST, keys, operation: "api_keys.create", summary: "Create an API key; the token is shown once", tag: "api-keys", body: CreateAPIKeyBody.self, target: "api_key", status: .created, responds: CreatedAPIKey.self, use: APIKeysController.create)
        viewer.endpoint(.DELETE, keys + [":id"], operation: "api_keys.revoke", summary: "Revoke an API key", tag: "api-keys", target: "api_key", status: .noContent, use: APIKeysController.revoke)
    }

    do { // audit, settings
        admin.endpoint(.GET, "api", "v1", "audit", operation: "audit.list", summary: "Audit events, newest first", tag: "audit", query: AuditController.queryParameters, use: AuditController.list)
        admin.endpoint(.GET, "api", "v1", "audit", "archives", operation: "audit.archives", summary: "Archived days of credential audit events and whether their hash chain is intact", tag: "audit", use: AuditArchivesController.list)
        admin.endpoint(.GET, "api", "v1", "audit", "archives", ":day", operation: "audit.archive", summary: "One archived day as JSON lines", tag: "audit", produces: "application/x-ndjson", use: AuditArchivesController.day)
        admin.endpoint(.GET, "api", "v1", "settings", operation: "settings.get", summary: "Run-time settings", tag: "settings", use: SettingsController.get)
        admin.endpoint(.PATCH, "api", "v1", "settings", operation: "settings.update", summary: "Change run-time settings", tag: "settings", body: UpdateSettingsBody.self, target: "settings", use: SettingsController.update)
    }

    do { // scheduled tasks
        let tasks: [PathComponent] = ["api", "v1", "tasks"]
        viewer.endpoint(.GET, tasks, operation: "tasks.list", summary: "Scheduled tasks with last and next run", tag: "tasks", use: TasksController.list)
        viewer.endpoint(.GET, tasks + [":name", "runs"], operation: "tasks.runs", summary: "Run history of one task", tag: "tasks", query: QueryParameter.paging, use: TasksController.runs)
        operators.endpoint(.POST, tasks + [":name", "run"], operation: "tasks.run", summary: "Run a task now", tag: "tasks", target: "task", use: TasksController.runNow)
    }

    do { // SSH keys (credentials)
        let keys: [PathComponent] = ["api", "v1", "ssh-keys"]
        viewer.endpoint(.GET, keys, operation: "ssh_keys.list", summary: "SSH keys (public parts only)", tag: "credentials", query: QueryParameter.paging, use: SSHKeysController.list)
        operators.endpoint(.POST, keys, operation: "ssh_keys.create", summary: "Generate a key (type, bits) or import one (private_key, passphrase)", tag: "credentials", body: CreateSSHKeyBody.self, target: "ssh_key", status: .created, responds: SSHKeyDTO.self, use: SSHKeysController.create)
        viewer.endpoint(.GET, keys + [":id"], operation: "ssh_keys.get", summary: "One SSH key", tag: "credentials", use: SSHKeysController.get)
        operators.endpoint(.POST, keys + [":id", "reveal"], operation: "ssh_keys.reveal", summary: "Reveal the private key (audited)", tag: "credentials", target: "ssh_key", use: SSHKeysController.reveal)
        operators.endpoint(.DELETE, keys + [":id"], operation: "ssh_keys.delete", summary: "Delete an SSH key no server uses", tag: "credentials", target: "ssh_key", status: .noContent, use: SSHKeysController.delete)
    }

    do { // server credentials
        let creds: [PathComponent] = ["api", "v1", "credentials"]
        viewer.endpoint(.GET, creds, operation: "credentials.list", summary: "Server credentials (secrets never shown)", tag: "credentials", query: QueryParameter.paging, use: ServerCredentialsController.list)
        operators.endpoint(.POST, creds, operation: "credentials.create", summary: "Add a credential: user, password or key, sudo password", tag: "credentials", body: ServerCredentialBody.self, target: "credential", status: .created, responds: ServerCredentialDTO.self, use: ServerCredentialsController.create)
        viewer.endpoint(.GET, creds + [":id"], operation: "credentials.get", summary: "One credential", tag: "credentials", use: ServerCredentialsController.get)
        operators.endpoint(.PATCH, creds + [":id"], operation: "credentials.update", summary: "Change a credential", tag: "credentials", body: ServerCredentialBody.self, target: "credential", use: ServerCredentialsController.update)
        operators.endpoint(.DELETE, creds + [":id"], operation: "credentials.delete", summary: "Remove a credential no server uses", tag: "credentials", target: "credential", status: .noContent, use: ServerCredentialsController.delete)
        operators.endpoint(.POST, creds + [":id", "reveal"], operation: "credentials.reveal", summary: "Reveal the passwords (audited)", tag: "credentials", target: "credential", use: ServerCredentialsController.reveal)
    }

    do { // key distribution (credentials)
        let jobs: [PathComponent] = ["api", "v1", "distributions"]
        viewer.endpoint(.GET, jobs, operation: "distributions.list", summary: "Key install / revoke / rotate jobs, newest first", tag: "credentials", query: QueryParameter.paging, use: DistributionsController.list)
        operators.endpoint(.POST, jobs, operation: "distributions.create", summary: "Install, revoke or rotate a key on servers (runs in the background)", tag: "credentials", body: CreateDistributionBody.self, target: "distribution", status: .accepted, responds: DistributionDTO.self, use: DistributionsController.create)
        viewer.endpoint(.GET, jobs + [":id"], operation: "distributions.get", summary: "One job with per-server progress and results", tag: "credentials", use: DistributionsController.get)
        operators.endpoint(.POST, jobs + [":id", "retry"], operation: "distributions.retry", summary: "Run an interrupted job again on the servers it did not finish (a new job)", tag: "credentials", target: "distribution", status: .accepted, responds: DistributionDTO.self, use: DistributionsController.retry)
    }

    do { // certificates (credentials)
        let certs: [PathComponent] = ["api", "v1", "certificates"]
        viewer.endpoint(.GET, certs, operation: "certificates.list", summary: "Certificate inventory, soonest expiry first", tag: "credentials", query: CertificatesController.queryParameters, use: CertificatesController.list)
        operators.endpoint(.POST, certs, operation: "certificates.import", summary: "Import a PEM certificate, chain and optional key", tag: "credentials", body: ImportCertificateBody.self, target: "certificate", status: .created, responds: CertificateDTO.self, use: CertificatesController.importCertificate)
        viewer.endpoint(.GET, certs + ["reload-commands"], operation: "certificates.reload_commands", summary: "Reload commands operators may choose for a deployment (admins set them under settings)", tag: "credentials", responds: ReloadCommandsDTO.self, use: CertificateFleetController.reloadCommands)
        operators.endpoint(.POST, certs + ["issue"], operation: "certificates.issue", summary: "Issue from the internal CA or self-signed", tag: "credentials", body: IssueCertificateBody.self, target: "certificate", status: .created, responds: CertificateDTO.self, use: CertificatesController.issue)
        viewer.endpoint(.GET, certs + [":id"], operation: "certificates.get", summary: "One certificate and where it was seen", tag: "credentials", use: CertificatesController.get)
        operators.endpoint(.POST, certs + [":id", "reveal-key"], operation: "certificates.reveal_key", summary: "Reveal the private key (audited)", tag: "credentials", target: "certificate", use: CertificatesController.revealKey)
        operators.endpoint(.POST, certs + [":id", "deploy"], operation: "certificates.deploy", summary: "Write to a server, reload, and verify the served serial", tag: "credentials", body: DeployCertificateBody.self, target: "certificate", use: CertificateFleetController.deploy)
        viewer.endpoint(.GET, certs + [":id", "deployments"], operation: "certificates.deployments", summary: "Where this certificate is deployed, with the last deploy and daily check", tag: "credentials", use: CertificateFleetController.deployments)
        operators.endpoint(.POST, certs + [":id", "deployments", ":deployment", "deploy"], operation: "certificates.redeploy", summary: "Deploy the current certificate again to a remembered place", tag: "credentials", target: "certificate", use: CertificateFleetController.redeploy)
        operators.endpoint(.DELETE, certs + [":id", "deployments", ":deployment"], operation: "certificates.forget_deployment", summary: "Stop deploying renewals to this place (files stay)", tag: "credentials", target: "certificate", status: .noContent, use: CertificateFleetController.forgetDeployment)
        operators.endpoint(.DELETE, certs + [":id"], operation: "certificates.delete", summary: "Remove from the inventory", tag: "credentials", target: "certificate", status: .noContent, use: CertificatesController.delete)
        viewer.endpoint(.GET, "api", "v1", "ca", operation: "ca.get", summary: "Unity's internal CA", tag: "credentials", use: CertificatesController.authority)
        admin.endpoint(.POST, "api", "v1", "ca", operation: "ca.create", summary: "Create the internal CA (once)", tag: "credentials", target: "certificate_authority", status: .created, responds: CertificateAuthorityDTO.self, use: CertificatesController.createAuthority)
        viewer.endpoint(.GET, "api", "v1", "ca", "root.pem", operation: "ca.root", summary: "Download the internal CA's root certificate", tag: "credentials", produces: "application/x-pem-file", use: CertificatesController.rootPEM)
    }

    do { // ACME (credentials): accounts are admin-managed; operators issue, renew and revoke
        let accounts: [PathComponent] = ["api", "v1", "acme", "accounts"]
        viewer.endpoint(.GET, accounts, operation: "acme_accounts.list", summary: "ACME accounts (keys never shown)", tag: "credentials", query: QueryParameter.paging, use: ACMEAccountsController.list)
        admin.endpoint(.POST, accounts, operation: "acme_accounts.create", summary: "Register an ACME account (Let's Encrypt, ZeroSSL with EAB, or a custom directory)", tag: "credentials", body: ACMEAccountBody.self, target: "acme_account", status: .created, responds: ACMEAccountDTO.self, use: ACMEAccountsController.create)
        viewer.endpoint(.GET, accounts + [":id"], operation: "acme_accounts.get", summary: "One ACME account", tag: "credentials", use: ACMEAccountsController.get)
        admin.endpoint(.DELETE, accounts + [":id"], operation: "acme_accounts.delete", summary: "Forget an ACME account no certificate uses", tag: "credentials", target: "acme_account", status: .noContent, use: ACMEAccountsController.delete)
        let acmeCerts: [PathComponent] = ["api", "v1", "acme", "certificates"]
        viewer.endpoint(.GET, acmeCerts, operation: "acme_certificates.list", summary: "Certificates kept issued by ACME, with their last attempt", tag: "credentials", query: QueryParameter.paging, use: ACMECertificatesController.list)
        operators.endpoint(.POST, acmeCerts, operation: "acme_certificates.create", summary: "Start issuing a certificate for names via HTTP-01 or DNS-01 and keep it renewed (202; follow `attempt`)", tag: "credentials", body: ACMECertificateBody.self, target: "acme_certificate", status: .accepted, responds: ACMECertificateDTO.self, use: ACMECertificatesController.create)
        viewer.endpoint(.GET, acmeCerts + [":id"], operation: "acme_certificates.get", summary: "One ACME certificate order", tag: "credentials", use: ACMECertificatesController.get)
        operators.endpoint(.POST, acmeCerts + [":id", "renew"], operation: "acme_certificates.renew", summary: "Start renewing now (202; follow `attempt`)", tag: "credentials", target: "acme_certificate", status: .accepted, responds: ACMECertificateDTO.self, use: ACMECertificatesController.renew)
        viewer.endpoint(.GET, acmeCerts + [":id", "attempts"], operation: "acme_certificates.attempts", summary: "Issuance and renewal attempts, newest first", tag: "credentials", query: QueryParameter.paging, use: ACMECertificatesController.attempts)
        operators.endpoint(.POST, acmeCerts + [":id", "revoke"], operation: "acme_certificates.revoke", summary: "Revoke the current certificate at the CA", tag: "credentials", body: ACMERevokeBody.self, target: "acme_certificate", use: ACMECertificatesController.revoke)
        operators.endpoint(.DELETE, acmeCerts + [":id"], operation: "acme_certificates.delete", summary: "Stop renewing (the certificate stays in the inventory)", tag: "credentials", target: "acme_certificate", status: .noContent, use: ACMECertificatesController.delete)
    }

    do { // step-ca (credentials): CAs are admin-managed like ACME accounts; operators sign through them
        let authorities: [PathComponent] = ["api", "v1", "step-ca", "authorities"]
        viewer.endpoint(.GET, authorities, operation: "step_ca.list", summary: "step-ca authorities (provisioner keys never shown)", tag: "credentials", query: QueryParameter.paging, use: StepCAAuthoritiesController.list)
        admin.endpoint(.POST, authorities, operation: "step_ca.create", summary: "Add a step-ca: fetch and pin its root by fingerprint, store the JWK provisioner sealed", tag: "credentials", body: StepCAAuthorityBody.self, target: "step_ca", status: .created, responds: StepCAAuthorityDTO.self, use: StepCAAuthoritiesController.create)
        viewer.endpoint(.GET, authorities + [":id"], operation: "step_ca.get", summary: "One step-ca", tag: "credentials", use: StepCAAuthoritiesController.get)
        admin.endpoint(.DELETE, authorities + [":id"], operation: "step_ca.delete", summary: "Forget a step-ca (what it signed stays listed)", tag: "credentials", target: "step_ca", status: .noContent, use: StepCAAuthoritiesController.delete)
        viewer.endpoint(.GET, authorities + [":id", "acme-directory"], operation: "step_ca.acme_directory", summary: "The CA's ACME directory URL and root, for an ACME account", tag: "credentials", use: StepCAAuthoritiesController.acmeDirectory)
        operators.endpoint(.POST, authorities + [":id", "x509"], operation: "step_ca.sign_x509", summary: "Generate a key and CSR, have step-ca sign it, keep it in the inventory", tag: "credentials", body: StepCAX509Body.self, target: "certificate", status: .created, responds: CertificateDTO.self, use: StepCAIssueController.x509)
        operators.endpoint(.POST, authorities + [":id", "ssh"], operation: "step_ca.sign_ssh", summary: "Have step-ca sign an SSH user or host certificate", tag: "credentials", body: StepCASSHBody.self, target: "ssh_certificate", status: .created, responds: SSHCertificateDTO.self, use: StepCAIssueController.ssh)
        viewer.endpoint(.GET, "api", "v1", "ssh-certificates", operation: "ssh_certificates.list", summary: "SSH certificates signed through step-ca, newest first", tag: "credentials", query: QueryParameter.paging, use: StepCAIssueController.listSSHCertificates)
    }

    do { // servers (infrastructure)
        let servers: [PathComponent] = ["api", "v1", "servers"]
        viewer.endpoint(.GET, servers, operation: "servers.list", summary: "Servers with status", tag: "servers", query: ServersController.queryParameters, use: ServersController.list)
        operators.endpoint(.POST, servers, operation: "servers.create", summary: "Add a server", tag: "servers", body: CreateServerBody.self, target: "server", status: .created, responds: ServerDTO.self, use: ServersController.create)
        operators.endpoint(.POST, servers + ["bulk", "enabled"], operation: "servers.bulk_enable", summary: "Enable or disable many servers", tag: "servers", body: BulkEnableBody.self, target: "server", use: ServersController.bulkEnable)
        operators.endpoint(.POST, servers + ["import", "preview"], operation: "servers.import_preview", summary: "Preview servers from ssh config or an Ansible inventory", tag: "servers", body: ImportPreviewBody.self, use: ServersController.importPreview)
        viewer.endpoint(.GET, servers + [":id"], operation: "servers.get", summary: "One server", tag: "servers", use: ServersController.get)
        operators.endpoint(.PATCH, servers + [":id"], operation: "servers.update", summary: "Change a server", tag: "servers", body: UpdateServerBody.self, target: "server", use: ServersController.update)
        operators.endpoint(.POST, servers + [":id", "test"], operation: "servers.test", summary: "Connect, authenticate, check the host key, run uname", tag: "servers", target: "server", use: ServerConnectivity.test)
        viewer.endpoint(.GET, servers + [":id", "host-key"], operation: "servers.host_key", summary: "Pinned host keys and any different key presented", tag: "servers", use: HostKeyController.get)
        admin.endpoint(.POST, servers + [":id", "host-key", "accept"], operation: "servers.host_key_accept", summary: "Accept the new host key the server presented (audited)", tag: "servers", body: AcceptHostKeyBody.self, target: "server", use: HostKeyController.accept)
        operators.endpoint(.POST, servers + ["collect"], operation: "servers.collect_all", summary: "Collect every enabled server now", tag: "servers", target: "server", use: CollectionController.collectAll)
        operators.endpoint(.POST, servers + [":id", "collect"], operation: "servers.collect", summary: "Collect this server now", tag: "servers", target: "server", use: CollectionController.collect)
        viewer.endpoint(.GET, servers + [":id", "snapshot"], operation: "servers.snapshot", summary: "Latest collected state: host, disks, SMART, pools, arrays, databases", tag: "servers", use: CollectionController.snapshot)
        viewer.endpoint(.GET, servers + [":id", "series"], operation: "servers.series", summary: "Metric series with history", tag: "servers", use: CollectionController.series)
        viewer.endpoint(.GET, servers + [":id", "metrics"], operation: "servers.metrics", summary: "History of one metric for charts", tag: "servers", query: CollectionController.metricsQuery, use: CollectionController.metrics)
        viewer.endpoint(.GET, servers + [":id", "databases"], operation: "servers.databases", summary: "Databases probed on this server, with their last state", tag: "servers", use: DatabasesController.list)
        operators.endpoint(.POST, servers + [":id", "databases"], operation: "servers.add_database", summary: "Probe a database on this server each cycle", tag: "servers", body: MonitoredDatabaseBody.self, target: "server", status: .created, responds: MonitoredDatabaseDTO.self, use: DatabasesController.create)
        operators.endpoint(.DELETE, servers + [":id", "databases", ":database"], operation: "servers.remove_database", summary: "Stop probing a database", tag: "servers", target: "server", status: .noContent, use: DatabasesController.delete)
        operators.endpoint(.POST, servers + [":id", "certificates", "discover"], operation: "servers.discover_certificates", summary: "Find certificates served on TLS ports and kept under the usual paths", tag: "servers", body: DiscoverBody.self, target: "server", use: CertificateFleetController.discover)
        operators.endpoint(.DELETE, servers + [":id"], operation: "servers.delete", summary: "Remove a server", tag: "servers", target: "server", status: .noContent, use: ServersController.delete)
    }

    do { // containers: viewers read the inventory, operators act and discover, admins add and remove hosts
        let hosts: [PathComponent] = ["api", "v1", "container-hosts"]
        viewer.endpoint(.GET, hosts, operation: "container_hosts.list", summary: "Container hosts with engine, version and status", tag: "containers", use: ContainerHostsController.list)
        admin.endpoint(.POST, hosts, operation: "container_hosts.create", summary: "Enable containers on a server (engine auto-detected) or add a local socket", tag: "containers", body: CreateContainerHostBody.self, target: "container_host", status: .created, responds: ContainerHostDTO.self, use: ContainerHostsController.create)
        viewer.endpoint(.GET, hosts + [":id"], operation: "container_hosts.get", summary: "One container host", tag: "containers", use: ContainerHostsController.get)
        admin.endpoint(.DELETE, hosts + [":id"], operation: "container_hosts.delete", summary: "Stop inventorying a host (its inventory rows go with it)", tag: "containers", target: "container_host", status: .noContent, use: ContainerHostsController.delete)
        operators.endpoint(.POST, hosts + [":id", "discover"], operation: "container_hosts.discover", summary: "Discover the host's containers and images now", tag: "containers", target: "container_host", use: ContainerHostsController.discover)
        admin.endpoint(.POST, hosts + [":id", "tls", "setup"], operation: "container_hosts.tls_setup", summary: "Issue the daemon's and Unity's TLS certificates from the internal CA, deploy the daemon's over SSH, switch the host to TLS once dockerd answers", tag: "containers", body: SetupContainerHostTLSBody.self, target: "container_host", responds: ContainerHostTLSSetupDTO.self, use: ContainerHostTLSSetup.setup)

        let registries: [PathComponent] = ["api", "v1", "registries"]
        admin.endpoint(.GET, registries, operation: "registries.list", summary: "Registry credentials for update checks (passwords never shown)", tag: "containers", query: QueryParameter.paging, use: RegistriesController.list)
        admin.endpoint(.POST, registries, operation: "registries.create", summary: "Store how to sign in to a registry host (password sealed)", tag: "containers", body: RegistryCredentialBody.self, target: "registry", status: .created, responds: RegistryCredentialDTO.self, use: RegistriesController.create)
        admin.endpoint(.GET, registries + [":id"], operation: "registries.get", summary: "One registry credential", tag: "containers", use: RegistriesController.get)
        admin.endpoint(.PATCH, registries + [":id"], operation: "registries.update", summary: "Change a registry credential (absent fields kept)", tag: "containers", body: RegistryCredentialBody.self, target: "registry", use: RegistriesController.update)
        admin.endpoint(.DELETE, registries + [":id"], operation: "registries.delete", summary: "Forget a registry credential (the registry is then asked anonymously)", tag: "containers", target: "registry", status: .noContent, use: RegistriesController.delete)

        let containers: [PathComponent] = ["api", "v1", "containers"]
        viewer.endpoint(.GET, containers, operation: "containers.list", summary: "Containers (env names only, never values)", tag: "containers", query: ContainersController.queryParameters, use: ContainersController.list)
        viewer.endpoint(.GET, containers + [":id"], operation: "containers.get", summary: "One container", tag: "containers", use: ContainersController.get)
        for action in [ContainersController.Action.start, .stop, .restart, .pause, .unpause] {
            let query = action == .stop || action == .restart ? ContainersController.timeoutQuery : []
            operators.endpoint(.POST, containers + [":id", .constant(action.rawValue)], operation: "containers.\(action.rawValue)", summary: "\(action.rawValue.capitalized) the container", tag: "containers", query: query, target: "container", use: ContainersController.act(action))
        }
        operators.endpoint(.DELETE, containers + [":id"], operation: "containers.delete", summary: "Remove the container (refused while running unless force)", tag: "containers", query: ContainersController.forceQuery, target: "container", status: .noContent, use: ContainersController.remove)

        // Updates: viewers read them; operators check now, skip a version or pin.
        let updates: [PathComponent] = ["api", "v1", "updates"]
        viewer.endpoint(.GET, updates, operation: "updates.list", summary: "Update status of every container (filters: host, status, kind)", tag: "containers", query: ContainerUpdatesController.queryParameters, responds: [ContainerUpdateDTO].self, use: ContainerUpdatesController.list)
        operators.endpoint(.POST, updates + ["check"], operation: "updates.check", summary: "Check every container's image against its registry now", tag: "containers", target: "updates", responds: ContainerUpdateChecks.Summary.self, use: ContainerUpdatesController.checkAll)
        operators.endpoint(.POST, hosts + [":id", "update-check"], operation: "container_hosts.update_check", summary: "Check the images of one host's containers now", tag: "containers", target: "container_host", responds: ContainerUpdateChecks.Summary.self, use: ContainerUpdatesController.checkHost)
        viewer.endpoint(.GET, containers + [":id", "update"], operation: "containers.update", summary: "The container's update status", tag: "containers", use: ContainerUpdatesController.get)
        operators.endpoint(.POST, containers + [":id", "update-check"], operation: "containers.update_check", summary: "Check the container's image against its registry now", tag: "containers", target: "container", use: ContainerUpdatesController.checkContainer)
        operators.endpoint(.POST, containers + [":id", "update", "skip"], operation: "containers.update_skip", summary: "Skip the current candidate (a newer one is still reported)", tag: "containers", target: "container", use: ContainerUpdatesController.skip)
        operators.endpoint(.PUT, containers + [":id", "update", "pin"], operation: "containers.update_pin", summary: "Pin the container (no checks) or unpin it", tag: "containers", body: PinUpdateBody.self, target: "container", use: ContainerUpdatesController.pin)
        ContainerUpdateRunRoutes.register(viewer: viewer, operators: operators)

        // Live state: viewers, except for containers labelled unity.sensitive=true (operators); reads of logs and reveals audited.
        app.containerLiveStreams = ContainerLiveStreams()
        viewer.endpoint(.GET, containers + [":id", "logs"], operation: "containers.logs", summary: "The container's output: JSON lines, or a stream with follow=true (NDJSON, or SSE with Accept: text/event-stream); audited", tag: "containers", query: ContainerLogsController.queryParameters, produces: "application/json", responds: [ContainerLogLineDTO].self, use: ContainerLogsController.logs)
        viewer.endpoint(.GET, containers + [":id", "stats"], operation: "containers.stats", summary: "CPU, memory, network, block I/O and pids now, or a stream with stream=true", tag: "containers", query: ContainerStatsController.statsQuery, responds: ContainerStatsDTO.self, use: ContainerStatsController.stats)
        viewer.endpoint(.GET, containers + [":id", "top"], operation: "containers.top", summary: "The container's processes", tag: "containers", query: ContainerStatsController.topQuery, use: ContainerStatsController.top)
        viewer.endpoint(.GET, containers + [":id", "inspect"], operation: "containers.inspect", summary: "The engine's inspect document, env values masked (reveal_env=true: admins, audited)", tag: "containers", query: ContainerInspectController.queryParameters, responds: ContainerInspectDTO.self, use: ContainerInspectController.inspect)
        viewer.endpoint(.GET, hosts + [":id", "images"], operation: "container_hosts.images", summary: "Images on the host (as of the last discovery)", tag: "containers", use: ContainerHostResourcesController.images)
        viewer.endpoint(.GET, hosts + [":id", "volumes"], operation: "container_hosts.volumes", summary: "Volumes on the host, asked of the engine now", tag: "containers", use: ContainerHostResourcesController.volumes)
        viewer.endpoint(.GET, hosts + [":id", "networks"], operation: "container_hosts.networks", summary: "Networks on the host, asked of the engine now", tag: "containers", use: ContainerHostResourcesController.networks)
    }

    do { // alerts
        let alerts: [PathComponent] = ["api", "v1", "alerts"]
        viewer.endpoint(.GET, alerts, operation: "alerts.list", summary: "Alerts, newest first", tag: "alerts", query: AlertsController.queryParameters, use: AlertsController.list)
        viewer.endpoint(.GET, alerts + ["stream"], operation: "alerts.stream", summary: "Live alert changes (Server-Sent Events)", tag: "alerts", produces: "text/event-stream", use: AlertStreamController.stream)
        viewer.endpoint(.GET, alerts + ["maintenance"], operation: "alerts.maintenance", summary: "Maintenance mode (notifications held back)", tag: "alerts", use: AlertsController.maintenance)
        operators.endpoint(.PUT, alerts + ["maintenance"], operation: "alerts.set_maintenance", summary: "Switch maintenance mode globally or per server", tag: "alerts", body: MaintenanceDTO.self, target: "maintenance", use: AlertsController.setMaintenance)
        operators.endpoint(.POST, alerts + ["bulk"], operation: "alerts.bulk", summary: "Acknowledge, snooze or resolve many alerts", tag: "alerts", body: BulkAlertActionBody.self, target: "alert", use: AlertsController.bulk)
        viewer.endpoint(.GET, alerts + [":id"], operation: "alerts.get", summary: "One alert", tag: "alerts", use: AlertsController.get)
        operators.endpoint(.POST, alerts + [":id", "acknowledge"], operation: "alerts.acknowledge", summary: "Acknowledge (optionally until the value changes)", tag: "alerts", body: AcknowledgeBody.self, target: "alert", use: AlertsController.acknowledge)
        operators.endpoint(.POST, alerts + [":id", "snooze"], operation: "alerts.snooze", summary: "Silence notifications until a time", tag: "alerts", body: SnoozeBody.self, target: "alert", use: AlertsController.snooze)
        operators.endpoint(.POST, alerts + [":id", "resolve"], operation: "alerts.resolve", summary: "Resolve by hand", tag: "alerts", target: "alert", use: AlertsController.resolve)

        let rules: [PathComponent] = ["api", "v1", "alert-rules"]
        viewer.endpoint(.GET, rules, operation: "alert_rules.list", summary: "Alert rules", tag: "alerts", query: QueryParameter.paging, use: AlertRulesController.list)
        admin.endpoint(.POST, rules, operation: "alert_rules.create", summary: "Add an alert rule", tag: "alerts", body: AlertRuleBody.self, target: "alert_rule", status: .created, responds: AlertRuleDTO.self, use: AlertRulesController.create)
        viewer.endpoint(.GET, rules + ["metrics"], operation: "alert_rules.metrics", summary: "Metrics and events rules can watch", tag: "alerts", use: AlertRulesController.metrics)
        admin.endpoint(.POST, rules + ["reset"], operation: "alert_rules.reset", summary: "Restore the default rules", tag: "alerts", target: "alert_rule", use: AlertRulesController.reset)
        operators.endpoint(.POST, rules + ["dry-run"], operation: "alert_rules.dry_run_new", summary: "What an unsaved rule would fire now", tag: "alerts", body: AlertRuleBody.self, use: AlertRulesController.dryRunNew)
        viewer.endpoint(.GET, rules + [":id"], operation: "alert_rules.get", summary: "One alert rule", tag: "alerts", use: AlertRulesController.get)
        admin.endpoint(.PATCH, rules + [":id"], operation: "alert_rules.update", summary: "Change an alert rule", tag: "alerts", body: AlertRuleBody.self, target: "alert_rule", use: AlertRulesController.update)
        admin.endpoint(.DELETE, rules + [":id"], operation: "alert_rules.delete", summary: "Delete a rule you added", tag: "alerts", target: "alert_rule", status: .noContent, use: AlertRulesController.delete)
        operators.endpoint(.POST, rules + [":id", "dry-run"], operation: "alert_rules.dry_run", summary: "What this rule would fire now", tag: "alerts", use: AlertRulesController.dryRunStored)

        let channels: [PathComponent] = ["api", "v1", "notification-channels"]
        viewer.endpoint(.GET, channels, operation: "notification_channels.list", summary: "Notification channels (secrets masked)", tag: "alerts", query: QueryParameter.paging, use: NotificationChannelsController.list)
        admin.endpoint(.POST, channels, operation: "notification_channels.create", summary: "Add a channel from a shoutrrr-style URL", tag: "alerts", body: NotificationChannelBody.self, target: "notification_channel", status: .created, responds: NotificationChannelDTO.self, use: NotificationChannelsController.create)
        viewer.endpoint(.GET, channels + [":id"], operation: "notification_channels.get", summary: "One channel (secrets masked)", tag: "alerts", use: NotificationChannelsController.get)
        admin.endpoint(.PATCH, channels + [":id"], operation: "notification_channels.update", summary: "Change a channel", tag: "alerts", body: NotificationChannelBody.self, target: "notification_channel", use: NotificationChannelsController.update)
        admin.endpoint(.DELETE, channels + [":id"], operation: "notification_channels.delete", summary: "Remove a channel", tag: "alerts", target: "notification_channel", status: .noContent, use: NotificationChannelsController.delete)
        operators.endpoint(.POST, channels + [":id", "test"], operation: "notification_channels.test", summary: "Send a test message now", tag: "alerts", target: "notification_channel", use: NotificationChannelsController.test)
        viewer.endpoint(.GET, "api", "v1", "notification-templates", operation: "notification_templates.get", summary: "Message templates per event, with placeholders", tag: "alerts", use: NotificationTemplatesController.get)
        admin.endpoint(.PUT, "api", "v1", "notification-templates", operation: "notification_templates.update", summary: "Change (or reset with null) the template of some events", tag: "alerts", body: UpdateTemplatesBody.self, target: "notification_templates", use: NotificationTemplatesController.update)
        viewer.endpoint(.GET, "api", "v1", "notifications", operation: "notifications.list", summary: "Delivery log, newest first", tag: "alerts", query: NotificationChannelsController.logQuery, use: NotificationChannelsController.log)
    }

    do { // web pages
        open.endpoint(.GET, "assets", "unity.css", operation: "web.stylesheet", summary: "The UI's stylesheet", tag: "web", produces: "text/css", use: WebController.stylesheet)
        open.endpoint(.GET, "login", operation: "web.login_form", summary: "Sign-in page", tag: "web", produces: "text/html", use: WebController.loginPage)
        open.endpoint(.POST, "login", operation: "web.login", summary: "Sign in from the form (sets the session cookie)", tag: "web", produces: "text/html", use: WebController.login)
        viewer.endpoint(.POST, "logout", operation: "web.logout", summary: "Sign out of the browser session", tag: "web", produces: "text/html", use: WebController.logout)
        viewer.endpoint(.GET, [], operation: "web.dashboard", summary: "Dashboard", tag: "web", produces: "text/html", use: WebController.home)
        viewer.endpoint(.GET, "assets", "unity.js", operation: "web.script", summary: "The UI's script (live refresh, copy buttons)", tag: "web", produces: "text/javascript", use: WebScript.serve)
        viewer.endpoint(.GET, "dashboard", "alerts", operation: "web.dashboard_alerts", summary: "Dashboard alert panel (HTML fragment for live refresh)", tag: "web", produces: "text/html", use: DashboardPages.alertPanel)
        viewer.endpoint(.GET, "servers", operation: "web.servers", summary: "Servers page", tag: "web", produces: "text/html", use: ServerPages.listPage)
        operators.endpoint(.POST, "servers", operation: "web.servers_create", summary: "Add a server from the form", tag: "web", target: "server", produces: "text/html", use: ServerPages.create)
        viewer.endpoint(.GET, "servers", ":id", operation: "web.server", summary: "Server detail page", tag: "web", produces: "text/html", use: ServerPages.detail)
        operators.endpoint(.POST, "servers", ":id", "test", operation: "web.server_test", summary: "Test connection (button)", tag: "web", target: "server", produces: "text/html", use: ServerPages.test)
        operators.endpoint(.POST, "servers", ":id", "collect", operation: "web.server_collect", summary: "Collect now (button)", tag: "web", target: "server", produces: "text/html", use: ServerPages.collect)
        admin.endpoint(.POST, "servers", ":id", "host-key", "accept", operation: "web.server_host_key_accept", summary: "Accept the changed host key (form)", tag: "web", target: "server", produces: "text/html", use: ServerPages.acceptHostKey)
        operators.endpoint(.POST, "servers", ":id", "databases", operation: "web.server_database_add", summary: "Probe a database on this server (form)", tag: "web", target: "server", produces: "text/html", use: ServerExtraPages.addDatabase)
        operators.endpoint(.POST, "servers", ":id", "databases", ":database", "delete", operation: "web.server_database_remove", summary: "Stop probing a database (button)", tag: "web", target: "server", produces: "text/html", use: ServerExtraPages.removeDatabase)
        operators.endpoint(.POST, "servers", ":id", "certificates", "discover", operation: "web.server_discover_certificates", summary: "Discover certificates on this server (button)", tag: "web", target: "server", produces: "text/html", use: ServerExtraPages.discoverCertificates)
        operators.endpoint(.POST, "servers", ":id", "maintenance", operation: "web.server_maintenance", summary: "Put this server into or out of maintenance (button)", tag: "web", target: "maintenance", produces: "text/html", use: ServerExtraPages.setMaintenance)
        operators.endpoint(.POST, "alerts", "bulk", operation: "web.alerts_bulk", summary: "Acknowledge, snooze or resolve the selected alerts (form)", tag: "web", target: "alert", produces: "text/html", use: AlertBulkPages.bulk)
        operators.endpoint(.POST, "alerts", "maintenance", operation: "web.alerts_maintenance", summary: "Switch maintenance mode globally or per server (form)", tag: "web", target: "maintenance", produces: "text/html", use: AlertBulkPages.setMaintenance)
        viewer.endpoint(.GET, "alerts", operation: "web.alerts", summary: "Alerts page", tag: "web", produces: "text/html", use: AlertPages.list)
        operators.endpoint(.POST, "alerts", ":id", "acknowledge", operation: "web.alert_acknowledge", summary: "Acknowledge an alert (form)", tag: "web", target: "alert", produces: "text/html", use: AlertPages.acknowledge)
        operators.endpoint(.POST, "alerts", ":id", "snooze", operation: "web.alert_snooze", summary: "Snooze an alert (form)", tag: "web", target: "alert", produces: "text/html", use: AlertPages.snooze)
        operators.endpoint(.POST, "alerts", ":id", "resolve", operation: "web.alert_resolve", summary: "Resolve an alert (button)", tag: "web", target: "alert", produces: "text/html", use: AlertPages.resolve)
        viewer.endpoint(.GET, "alert-rules", operation: "web.alert_rules", summary: "Alert rules page", tag: "web", produces: "text/html", use: AlertRulePages.list)
        viewer.endpoint(.GET, "alert-rules", ":id", operation: "web.alert_rule", summary: "Alert rule form", tag: "web", produces: "text/html", use: AlertRulePages.edit)
        admin.endpoint(.POST, "alert-rules", ":id", operation: "web.alert_rule_update", summary: "Save an alert rule (form)", tag: "web", target: "alert_rule", produces: "text/html", use: AlertRulePages.update)
        operators.endpoint(.POST, "alert-rules", ":id", "dry-run", operation: "web.alert_rule_dry_run", summary: "Dry run of the rule as typed", tag: "web", produces: "text/html", use: AlertRulePages.dryRun)
        viewer.endpoint(.GET, "channels", operation: "web.channels", summary: "Notification channels and delivery log page", tag: "web", produces: "text/html", use: ChannelPages.list)
        admin.endpoint(.POST, "channels", operation: "web.channels_create", summary: "Add a notification channel (form)", tag: "web", target: "notification_channel", produces: "text/html", use: ChannelPages.create)
        operators.endpoint(.POST, "channels", ":id", "test", operation: "web.channel_test", summary: "Send a test message (button)", tag: "web", target: "notification_channel", produces: "text/html", use: ChannelPages.test)
        admin.endpoint(.POST, "channels", ":id", "delete", operation: "web.channel_delete", summary: "Delete a notification channel (button)", tag: "web", target: "notification_channel", produces: "text/html", use: ChannelPages.delete)
        viewer.endpoint(.GET, "credentials", operation: "web.credentials", summary: "Credentials page (SSH keys)", tag: "web", produces: "text/html", use: CredentialPages.list)
        operators.endpoint(.POST, "credentials", "ssh-keys", operation: "web.ssh_key_import", summary: "Import an SSH key (form)", tag: "web", target: "ssh_key", produces: "text/html", use: CredentialPages.importKey)
        operators.endpoint(.POST, "credentials", "ssh-keys", "generate", operation: "web.ssh_key_generate", summary: "Generate an SSH key (form)", tag: "web", target: "ssh_key", produces: "text/html", use: CredentialPages.generate)
        operators.endpoint(.GET, "credentials", "ssh-keys", ":id", "reveal", operation: "web.ssh_key_reveal_confirm", summary: "Confirm revealing a private key", tag: "web", produces: "text/html", use: CredentialPages.confirmReveal)
        operators.endpoint(.POST, "credentials", "ssh-keys", ":id", "reveal", operation: "web.ssh_key_reveal", summary: "Reveal a private key (audited)", tag: "web", target: "ssh_key", produces: "text/html", use: CredentialPages.reveal)
        viewer.endpoint(.GET, "certificates", operation: "web.certificates", summary: "Certificate inventory page", tag: "web", produces: "text/html", use: CertificatePages.list)
        operators.endpoint(.POST, "certificates", operation: "web.certificate_import", summary: "Import a certificate (form)", tag: "web", target: "certificate", produces: "text/html", use: CertificatePages.importCertificate)
        operators.endpoint(.POST, "certificates", "issue", operation: "web.certificate_issue", summary: "Issue a certificate (form)", tag: "web", target: "certificate", produces: "text/html", use: CertificatePages.issue)
        admin.endpoint(.POST, "certificates", "ca", operation: "web.ca_create", summary: "Create the internal CA (button)", tag: "web", target: "certificate_authority", produces: "text/html", use: CertificatePages.createAuthority)
        viewer.endpoint(.GET, "certificates", ":id", operation: "web.certificate", summary: "Certificate detail page", tag: "web", produces: "text/html", use: CertificateDetailPages.detail)
        operators.endpoint(.POST, "certificates", ":id", "deploy", operation: "web.certificate_deploy", summary: "Deploy a certificate to a server (form)", tag: "web", target: "certificate", produces: "text/html", use: CertificateDetailPages.deploy)
        operators.endpoint(.POST, "certificates", ":id", "delete", operation: "web.certificate_delete", summary: "Remove a certificate from the inventory (button)", tag: "web", target: "certificate", produces: "text/html", use: CertificateDetailPages.delete)
        operators.endpoint(.GET, "certificates", ":id", "reveal-key", operation: "web.certificate_reveal_confirm", summary: "Confirm revealing a certificate's key", tag: "web", produces: "text/html", use: CertificateDetailPages.confirmReveal)
        operators.endpoint(.POST, "certificates", ":id", "reveal-key", operation: "web.certificate_reveal", summary: "Reveal a certificate's private key (audited)", tag: "web", target: "certificate", produces: "text/html", use: CertificateDetailPages.reveal)
        viewer.endpoint(.GET, "credentials", "logins", operation: "web.logins", summary: "Server logins page", tag: "web", produces: "text/html", use: ServerLoginPages.list)
        operators.endpoint(.POST, "credentials", "logins", operation: "web.login_create", summary: "Add a server login (form)", tag: "web", target: "credential", produces: "text/html", use: ServerLoginPages.create)
        operators.endpoint(.GET, "credentials", "logins", ":id", operation: "web.login_edit", summary: "Server login form", tag: "web", produces: "text/html", use: ServerLoginPages.edit)
        operators.endpoint(.POST, "credentials", "logins", ":id", operation: "web.login_update", summary: "Change a server login (form)", tag: "web", target: "credential", produces: "text/html", use: ServerLoginPages.update)
        operators.endpoint(.POST, "credentials", "logins", ":id", "delete", operation: "web.login_delete", summary: "Remove a server login (button)", tag: "web", target: "credential", produces: "text/html", use: ServerLoginPages.delete)
        operators.endpoint(.GET, "credentials", "logins", ":id", "reveal", operation: "web.login_reveal_confirm", summary: "Confirm revealing a login's passwords", tag: "web", produces: "text/html", use: ServerLoginPages.confirmReveal)
        operators.endpoint(.POST, "credentials", "logins", ":id", "reveal", operation: "web.login_reveal", summary: "Reveal a login's passwords (audited)", tag: "web", target: "credential", produces: "text/html", use: ServerLoginPages.reveal)
        viewer.endpoint(.GET, "credentials", "distributions", operation: "web.distributions", summary: "Key distribution jobs page", tag: "web", produces: "text/html", use: DistributionPages.list)
        operators.endpoint(.POST, "credentials", "distributions", operation: "web.distribution_create", summary: "Start a key install / revoke / rotate job (form)", tag: "web", target: "distribution", produces: "text/html", use: DistributionPages.create)
        operators.endpoint(.POST, "credentials", "distributions", ":id", "retry", operation: "web.distribution_retry", summary: "Retry an interrupted key distribution job's unfinished servers (form)", tag: "web", target: "distribution", produces: "text/html", use: DistributionPages.retry)
        viewer.endpoint(.GET, "credentials", "distributions", ":id", operation: "web.distribution", summary: "One key distribution job (refreshes while running)", tag: "web", produces: "text/html", use: DistributionPages.job)
        // ACME, certificate deployments, the credential audit archive
        viewer.endpoint(.GET, "credentials", "acme", operation: "web.acme", summary: "ACME accounts and certificates page", tag: "web", produces: "text/html", use: ACMEPages.list)
        admin.endpoint(.POST, "credentials", "acme", "accounts", operation: "web.acme_account_create", summary: "Register an ACME account (form)", tag: "web", target: "acme_account", produces: "text/html", use: ACMEPages.createAccount)
        admin.endpoint(.POST, "credentials", "acme", "accounts", ":id", "delete", operation: "web.acme_account_delete", summary: "Remove an ACME account (button)", tag: "web", target: "acme_account", produces: "text/html", use: ACMEPages.deleteAccount)
        operators.endpoint(.POST, "credentials", "acme", operation: "web.acme_certificate_create", summary: "Issue an ACME certificate (form)", tag: "web", target: "acme_certificate", produces: "text/html", use: ACMEPages.createOrder)
        viewer.endpoint(.GET, "credentials", "acme", ":id", operation: "web.acme_certificate", summary: "One ACME certificate with its attempts (refreshes while one runs)", tag: "web", produces: "text/html", use: ACMEPages.order)
        operators.endpoint(.POST, "credentials", "acme", ":id", "renew", operation: "web.acme_certificate_renew", summary: "Renew an ACME certificate now (button)", tag: "web", target: "acme_certificate", produces: "text/html", use: ACMEPages.renew)
        operators.endpoint(.POST, "credentials", "acme", ":id", "revoke", operation: "web.acme_certificate_revoke", summary: "Revoke an ACME certificate (form)", tag: "web", target: "acme_certificate", produces: "text/html", use: ACMEPages.revoke)
        operators.endpoint(.POST, "credentials", "acme", ":id", "delete", operation: "web.acme_certificate_delete", summary: "Stop renewing an ACME certificate (button)", tag: "web", target: "acme_certificate", produces: "text/html", use: ACMEPages.delete)
        operators.endpoint(.POST, "certificates", ":id", "deployments", ":deployment", "deploy", operation: "web.certificate_redeploy", summary: "Deploy a certificate again to a remembered place (button)", tag: "web", target: "certificate", produces: "text/html", use: CertificateDetailPages.redeploy)
        operators.endpoint(.POST, "certificates", ":id", "deployments", ":deployment", "forget", operation: "web.certificate_forget_deployment", summary: "Forget a certificate deployment (button)", tag: "web", target: "certificate", produces: "text/html", use: CertificateDetailPages.forgetDeployment)
        admin.endpoint(.GET, "admin", "audit", "archives", operation: "web.audit_archives", summary: "Credential audit archive page", tag: "web", produces: "text/html", use: AuditArchivePages.list)
        admin.endpoint(.GET, "admin", "audit", "archives", ":day", operation: "web.audit_archive", summary: "Download one archived day (JSON lines)", tag: "web", produces: "application/x-ndjson", use: AuditArchivePages.download)
        viewer.endpoint(.GET, "credentials", "step-ca", operation: "web.step_ca", summary: "step-ca authorities and SSH certificates page", tag: "web", produces: "text/html", use: StepCAPages.list)
        admin.endpoint(.POST, "credentials", "step-ca", operation: "web.step_ca_create", summary: "Add a step-ca (form)", tag: "web", target: "step_ca", produces: "text/html", use: StepCAPages.createAuthority)
        admin.endpoint(.POST, "credentials", "step-ca", ":id", "delete", operation: "web.step_ca_delete", summary: "Forget a step-ca (button)", tag: "web", target: "step_ca", produces: "text/html", use: StepCAPages.deleteAuthority)
        operators.endpoint(.POST, "credentials", "step-ca", "x509", operation: "web.step_ca_sign_x509", summary: "Sign a TLS certificate through a step-ca (form)", tag: "web", target: "certificate", produces: "text/html", use: StepCAPages.signX509)
        operators.endpoint(.POST, "credentials", "step-ca", "ssh", operation: "web.step_ca_sign_ssh", summary: "Sign an SSH certificate through a step-ca (form)", tag: "web", target: "ssh_certificate", produces: "text/html", use: StepCAPages.signSSH)
        viewer.endpoint(.GET, "account", "api-keys", operation: "web.api_keys", summary: "API keys page", tag: "web", produces: "text/html", use: APIKeyPages.list)
        viewer.endpoint(.POST, "account", "api-keys", operation: "web.api_keys_create", summary: "Create an API key (form; token shown once)", tag: "web", target: "api_key", produces: "text/html", use: APIKeyPages.create)
        viewer.endpoint(.POST, "account", "api-keys", ":id", "revoke", operation: "web.api_key_revoke", summary: "Revoke an API key (button)", tag: "web", target: "api_key", produces: "text/html", use: APIKeyPages.revoke)
        admin.endpoint(.GET, "admin", "users", operation: "web.users", summary: "Users page", tag: "web", produces: "text/html", use: AdminPages.users)
        admin.endpoint(.POST, "admin", "users", operation: "web.users_create", summary: "Add a user (form)", tag: "web", target: "user", produces: "text/html", use: AdminPages.createUser)
        admin.endpoint(.POST, "admin", "users", ":id", operation: "web.user_update", summary: "Change a user's role or disable them (form)", tag: "web", target: "user", produces: "text/html", use: AdminPages.updateUser)
        admin.endpoint(.GET, "admin", "audit", operation: "web.audit", summary: "Audit log page", tag: "web", produces: "text/html", use: AdminPages.audit)
        admin.endpoint(.GET, "admin", "tasks", operation: "web.tasks", summary: "Scheduled tasks page", tag: "web", produces: "text/html", use: AdminPages.tasks)
        admin.endpoint(.GET, "admin", "tasks", ":name", operation: "web.task_runs", summary: "Run history of one task", tag: "web", produces: "text/html", use: AdminPages.taskHistory)
        operators.endpoint(.POST, "admin", "tasks", ":name", "run", operation: "web.task_run", summary: "Run a task now (button)", tag: "web", target: "task", produces: "text/html", use: AdminPages.runTask)
        admin.endpoint(.GET, "admin", "settings", operation: "web.settings", summary: "Settings page", tag: "web", produces: "text/html", use: AdminPages.settings)
        admin.endpoint(.POST, "admin", "settings", operation: "web.settings_update", summary: "Change settings (form)", tag: "web", target: "settings", produces: "text/html", use: AdminPages.updateSettings)
        WebManagementRoutes.register(viewer: viewer, operators: operators, admin: admin)
        WebContainerRoutes.register(viewer: viewer, operators: operators, admin: admin)
        UpdateRunPages.register(viewer: viewer, operators: operators)
    }
}
