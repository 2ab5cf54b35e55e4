import Vapor

/// The containers pages. Each role matches the JSON operation the page calls: viewers read the
/// inventory, operators act and discover, admins enable containers on a server.
enum WebContainerRoutes {
    static func register(viewer: any RoutesBuilder, operators: any RoutesBuilder, admin: any RoutesBuilder) {
        viewer.endpoint(.GET, "containers", operation: "web.containers", summary: "Containers of every host, with filters", tag: "web", produces: "text/html", use: ContainerPages.list)
        operators.endpoint(.POST, "containers", "bulk", operation: "web.containers_bulk", summary: "Start, stop or restart the ticked containers (form)", tag: "web", target: "container", produces: "text/html", use: ContainerPages.bulk)
        operators.endpoint(.POST, "containers", "hosts", ":id", "discover", operation: "web.container_host_discover", summary: "Discover a container host now (button)", tag: "web", target: "container_host", produces: "text/html", use: ContainerPages.discoverHost)
        viewer.endpoint(.GET, "containers", ":id", operation: "web.container", summary: "One container: configuration, mounts, labels, state changes", tag: "web", produces: "text/html", use: ContainerPages.detail)
        viewer.endpoint(.GET, "containers", ":id", "logs", operation: "web.container_logs", summary: "The container's last log lines (page, or fragment with fragment=1)", tag: "web", target: "container", produces: "text/html", use: ContainerLivePages.logs)
        viewer.endpoint(.GET, "containers", ":id", "stats", operation: "web.container_stats", summary: "The container's current resource use (page, or fragment with fragment=1)", tag: "web", produces: "text/html", use: ContainerLivePages.stats)
        for action in [ContainersController.Action.start, .stop, .restart, .pause, .unpause] {
            operators.endpoint(.POST, "containers", ":id", .constant(action.rawValue), operation: "web.container_\(action.rawValue)", summary: "\(action.rawValue.capitalized) the container (button)", tag: "web", target: "container", produces: "text/html", use: ContainerPages.act(action))
        }
        operators.endpoint(.POST, "containers", ":id", "remove", operation: "web.container_remove", summary: "Remove the container (confirmed button)", tag: "web", target: "container", produces: "text/html", use: ContainerPages.remove)
        viewer.endpoint(.GET, "updates", operation: "web.updates", summary: "Available updates, failed checks, pinned containers", tag: "web", produces: "text/html", use: UpdatePages.list)
        operators.endpoint(.POST, "updates", "check", operation: "web.updates_check", summary: "Check every container now (button)", tag: "web", target: "updates", produces: "text/html", use: UpdatePages.checkAll)
        operators.endpoint(.POST, "updates", ":id", "check", operation: "web.update_check", summary: "Check one container now (button)", tag: "web", target: "container", produces: "text/html", use: UpdatePages.check)
        operators.endpoint(.POST, "updates", ":id", "skip", operation: "web.update_skip", summary: "Skip this version (button)", tag: "web", target: "container", produces: "text/html", use: UpdatePages.skip)
        operators.endpoint(.POST, "updates", ":id", "pin", operation: "web.update_pin", summary: "Pin or unpin (button)", tag: "web", target: "container", produces: "text/html", use: UpdatePages.pin)
        admin.endpoint(.GET, "admin", "registries", operation: "web.registries", summary: "Registry credentials for update checks", tag: "web", produces: "text/html", use: UpdatePages.registries)
        admin.endpoint(.POST, "admin", "registries", operation: "web.registries_create", summary: "Store a registry credential (form)", tag: "web", target: "registry", produces: "text/html", use: UpdatePages.createRegistry)
        admin.endpoint(.POST, "admin", "registries", ":id", "delete", operation: "web.registries_delete", summary: "Remove a registry credential (button)", tag: "web", target: "registry", produces: "text/html", use: UpdatePages.deleteRegistry)
        admin.endpoint(.POST, "servers", ":id", "containers", operation: "web.server_containers_enable", summary: "Enable containers on this server (button; engine detected over SSH)", tag: "web", target: "container_host", produces: "text/html", use: ContainerPages.enableOnServer)
    }
}
