import Vapor

/// The pages that manage objects beyond the first screens: editing and deleting servers, fleet
/// actions and import, alert rule create/delete/reset, channel editing and message templates,
/// users' passwords, and SSH key details. Each role matches the JSON operation the page calls.
enum WebManagementRoutes {
    static func register(viewer: any RoutesBuilder, operators: any RoutesBuilder, admin: any RoutesBuilder) {
        // servers
        operators.endpoint(.POST, "servers", "collect", operation: "web.servers_collect_all", summary: "Collect every enabled server now (button)", tag: "web", target: "server", produces: "text/html", use: ServerFleetPages.collectAll)
        operators.endpoint(.POST, "servers", "bulk-enabled", operation: "web.servers_bulk_enable", summary: "Enable or disable the ticked servers (form)", tag: "web", target: "server", produces: "text/html", use: ServerFleetPages.bulkEnable)
        operators.endpoint(.GET, "servers", "import", operation: "web.servers_import_form", summary: "Import servers from ssh config or an Ansible inventory", tag: "web", produces: "text/html", use: ServerFleetPages.importForm)
        operators.endpoint(.POST, "servers", "import", "preview", operation: "web.servers_import_preview", summary: "Preview the servers in the pasted text (form)", tag: "web", produces: "text/html", use: ServerFleetPages.preview)
        operators.endpoint(.POST, "servers", "import", operation: "web.servers_import", summary: "Create the ticked servers of an import preview (form)", tag: "web", target: "server", produces: "text/html", use: ServerFleetPages.importServers)
        viewer.endpoint(.GET, "servers", ":id", "history", operation: "web.server_history", summary: "Every recorded series of a server, and one metric's chart", tag: "web", produces: "text/html", use: ServerHistoryPages.page)
        operators.endpoint(.GET, "servers", ":id", "edit", operation: "web.server_edit", summary: "Server edit form", tag: "web", produces: "text/html", use: ServerEditPages.edit)
        operators.endpoint(.POST, "servers", ":id", "edit", operation: "web.server_update", summary: "Change a server (form)", tag: "web", target: "server", produces: "text/html", use: ServerEditPages.update)
        operators.endpoint(.GET, "servers", ":id", "delete", operation: "web.server_delete_confirm", summary: "Confirm deleting a server", tag: "web", produces: "text/html", use: ServerEditPages.confirmDelete)
        operators.endpoint(.POST, "servers", ":id", "delete", operation: "web.server_delete", summary: "Delete a server (confirmed form)", tag: "web", target: "server", produces: "text/html", use: ServerEditPages.delete)

        // users and your own password
        admin.endpoint(.GET, "admin", "users", ":id", "password", operation: "web.user_password_form", summary: "Set-password form for a user", tag: "web", produces: "text/html", use: UserAccountPages.setPasswordForm)
        admin.endpoint(.POST, "admin", "users", ":id", "password", operation: "web.user_set_password", summary: "Set a user's password (form)", tag: "web", target: "user", produces: "text/html", use: UserAccountPages.setPassword)
        admin.endpoint(.GET, "admin", "users", ":id", "delete", operation: "web.user_delete_confirm", summary: "Confirm deleting a user", tag: "web", produces: "text/html", use: UserAccountPages.confirmDelete)
        admin.endpoint(.POST, "admin", "users", ":id", "delete", operation: "web.user_delete", summary: "Delete a user (confirmed form)", tag: "web", target: "user", produces: "text/html", use: UserAccountPages.delete)
        viewer.endpoint(.GET, "account", "password", operation: "web.me_password_form", summary: "Change-your-password form", tag: "web", produces: "text/html", use: UserAccountPages.changeOwnForm)
        viewer.endpoint(.POST, "account", "password", operation: "web.me_password", summary: "Change your own password (form)", tag: "web", target: "user", produces: "text/html", use: UserAccountPages.changeOwn)

        // alert rules
        operators.endpoint(.GET, "alert-rules", "new", operation: "web.alert_rule_new", summary: "New alert rule form", tag: "web", produces: "text/html", use: AlertRulePages.newForm)
        admin.endpoint(.POST, "alert-rules", operation: "web.alert_rule_create", summary: "Create an alert rule (form)", tag: "web", target: "alert_rule", produces: "text/html", use: AlertRulePages.create)
        operators.endpoint(.POST, "alert-rules", "dry-run", operation: "web.alert_rule_dry_run_new", summary: "Dry run of a new rule as typed", tag: "web", produces: "text/html", use: AlertRulePages.dryRunNew)
        admin.endpoint(.POST, "alert-rules", "reset", operation: "web.alert_rules_reset", summary: "Restore the default rules (button)", tag: "web", target: "alert_rule", produces: "text/html", use: AlertRulePages.reset)
        admin.endpoint(.POST, "alert-rules", ":id", "delete", operation: "web.alert_rule_delete", summary: "Delete a rule you added (button)", tag: "web", target: "alert_rule", produces: "text/html", use: AlertRulePages.delete)

        viewer.endpoint(.GET, "alerts", ":id", operation: "web.alert", summary: "One alert with its history and actions", tag: "web", produces: "text/html", use: AlertDetailPages.detail)

        // notification channels and templates
        viewer.endpoint(.GET, "channels", "templates", operation: "web.notification_templates", summary: "Message templates page", tag: "web", produces: "text/html", use: ChannelEditPages.templates)
        admin.endpoint(.POST, "channels", "templates", operation: "web.notification_templates_update", summary: "Change or restore message templates (form)", tag: "web", target: "notification_templates", produces: "text/html", use: ChannelEditPages.updateTemplates)
        admin.endpoint(.GET, "channels", ":id", operation: "web.channel_edit", summary: "Notification channel form", tag: "web", produces: "text/html", use: ChannelEditPages.edit)
        admin.endpoint(.POST, "channels", ":id", operation: "web.channel_update", summary: "Change a notification channel (form)", tag: "web", target: "notification_channel", produces: "text/html", use: ChannelEditPages.update)

        // SSH keys
        viewer.endpoint(.GET, "credentials", "ssh-keys", ":id", operation: "web.ssh_key", summary: "SSH key detail: installations, last use", tag: "web", produces: "text/html", use: SSHKeyDetailPages.detail)
        operators.endpoint(.GET, "credentials", "ssh-keys", ":id", "delete", operation: "web.ssh_key_delete_confirm", summary: "Confirm deleting an SSH key", tag: "web", produces: "text/html", use: SSHKeyDetailPages.confirmDelete)
        operators.endpoint(.POST, "credentials", "ssh-keys", ":id", "delete", operation: "web.ssh_key_delete", summary: "Delete an SSH key (confirmed form)", tag: "web", target: "ssh_key", produces: "text/html", use: SSHKeyDetailPages.delete)
    }
}
