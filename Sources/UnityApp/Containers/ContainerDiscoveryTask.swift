import Fluent
import Foundation
import UnityContainers

/// Discovers every enabled container host every 5 minutes (jittered; `UNITY_TASK_CONTAINER_DISCOVERY_INTERVAL`
/// overrides it), four hosts at a time so one slow engine does not hold up the rest. A host that
/// fails records the engine error's code on its row and the run goes on.
enum ContainerDiscoveryTask {
    static let concurrentHosts = 4

    static let task = ScheduledTask(name: "container-discovery", summary: "Discover the containers and images of every enabled container host",
                                    interval: 300, jitter: 30) { context in
        let hosts = try await ContainerHostRecord.query(on: context.database).filter(\.$enabled == true).sort(\.$name).all()
        var up = 0
        for start in stride(from: 0, to: hosts.count, by: concurrentHosts) {
            let batch = hosts[start..<min(start + concurrentHosts, hosts.count)]
            up += await withTaskGroup(of: Bool.self) { group in
                for host in batch {
                    group.addTask {
                        do {
                            try await ContainerDiscovery.run(host, application: context.application, database: context.database)
                            return true
                        } catch {
                            context.logger.info("container discovery failed", metadata: ["host": "\(host.name)", "error": "\(error)"])
                            return false
                        }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
        return "discovered \(hosts.count) container hosts: \(up) up, \(hosts.count - up) not"
    }
}
