import Fluent
import UnityContainers

/// The one ordered list of migrations. Feature modules append their groups here, never reorder.
enum AllMigrations {
    static let list: [any Migration] = [
        // 001–006 – platform: users, tokens, API keys, audit, scheduler, secrets/settings/sessions
        CreateUsers(),
        CreateRefreshTokens(),
        CreateAPIKeys(),
        CreateAuditEvents(),
        CreateTaskTables(),
        CreateSystemTables(),
        // 007–008 – credentials: SSH keys, server credentials; infrastructure: servers
        CreateSSHKeysAndCredentials(),
        CreateServers(),
        // 009–010 – alerts: alerts; rules, channels, delivery log, latest observations
        CreateAlerts(),
        CreateAlertPipeline(),
        // 011 – infrastructure: latest snapshots, metric series, samples, rollups
        CreateServerHistory(),
        // 012 – credentials: distribution jobs, key installations
        CreateDistributions(),
        // 013 – credentials: certificate inventory, sightings, internal CA
        CreateCertificates(),
        // 014 – infrastructure: databases probed per server
        CreateMonitoredDatabases(),
        // 015 – credentials: ACME accounts and orders
        CreateACME(),
        // 016 – credentials: step-ca authorities, SSH certificates
        CreateStepCA(),
        // 017 – credentials: ACME attempts, certificate deployments, credential audit archive
        CreateCredentialOperations(),
        // 018 – credentials: ACME HTTP-01 through a server's webroot over SSH
        AddACMEWebroot(),
        // 019 – credentials: one running ACME attempt per order
        AddOneRunningACMEAttempt(),
        // 020 – platform: users' credentials version (older access tokens stop working)
        AddUserCredentialsVersion(),
        // 021–022 – credentials: background jobs name their replica and heartbeat
        AddDistributionJobOwner(),
        AddACMEAttemptOwner(),
        // 023–025 – containers: hosts; containers and images; state-change events
        CreateContainerHosts(),
        CreateContainerInventory(),
        CreateContainerEvents(),
        // 026 – platform: sign-in attempts reserved before the password is checked
        CreateLoginAttemptSlots(),
        // 027 – containers: restart counts per discovery (restart-loop alerts)
        CreateContainerRestartMarks(),
        // 028–029 – containers: update status per container; the notify-once ledger of update notices
        CreateContainerUpdateStatus(),
        CreateContainerUpdateNotifications(),
        // 033 – containers: TLS and plain-TCP hosts (numbered while 028–032 were being written elsewhere)
        AddContainerHostTLS(),
        // 031 – containers: registry credentials for update checks
        CreateRegistryCredentials(),
        // 034–035 – containers: update runs and their journal lines
        CreateContainerUpdateRuns(),
        CreateContainerUpdateSteps(),
    ]
}
