import Foundation
import UnityParsers

extension RecreatePlan {
    /// Network modes that have no endpoints of their own to recreate.
    static func hasOwnEndpoints(_ mode: String) -> Bool {
        !(mode == "host" || mode == "none" || mode.hasPrefix("container:") || mode.hasPrefix("ns:"))
    }

    /// Endpoints for create and the ones to connect afterwards. API ≥ 1.44 takes every endpoint at
    /// create; older ones only the primary (the one `NetworkMode` names), the rest are connected
    /// before the container starts, so it never runs with fewer networks.
    static func networks(old: RawContainerInspect, host: [String: EngineJSON], apiVersion: EngineAPIVersion)
        -> ([String: EngineJSON], [NetworkAttachment]) {
        let mode = host["NetworkMode"]?.string ?? "default"
        guard hasOwnEndpoints(mode), let networks = old.json.at("NetworkSettings", "Networks")?.object, !networks.isEmpty else { return ([:], []) }
        let endpoints = networks.mapValues { endpoint($0, old: old, apiVersion: apiVersion) }
        if apiVersion >= multiNetworkCreateVersion { return (endpoints, []) }
        let primary = endpoints[mode] != nil ? mode
            : (mode == "default" && endpoints["bridge"] != nil ? "bridge" : endpoints.keys.sorted()[0])
        let rest = endpoints.filter { $0.key != primary }.sorted { $0.key < $1.key }
            .map { NetworkAttachment(network: $0.key, endpoint: $0.value) }
        return ([primary: endpoints[primary] ?? .object([:])], rest)
    }

    /// One endpoint as create/connect take it: aliases minus the old short id (the engine adds the
    /// new one), links and driver options; a static address only when one was asked for (IPAMConfig),
    /// and with it the MAC (per endpoint from 1.44; older APIs keep it in `Config.MacAddress`).
    static func endpoint(_ inspected: EngineJSON, old: RawContainerInspect, apiVersion: EngineAPIVersion) -> EngineJSON {
        var endpoint: [String: EngineJSON] = [:]
        let aliases = (inspected["Aliases"]?.stringArray ?? []).filter { $0 != old.shortID && $0 != old.id }
        if !aliases.isEmpty { endpoint["Aliases"] = .array(aliases.map(EngineJSON.string)) }
        if let links = inspected["Links"], !links.isEmptyValue { endpoint["Links"] = links }
        if let options = inspected["DriverOpts"], !options.isEmptyValue { endpoint["DriverOpts"] = options }
        if let ipam = inspected["IPAMConfig"]?.object, ipam.values.contains(where: { !$0.isEmptyValue }) {
            endpoint["IPAMConfig"] = .object(ipam)
            if apiVersion >= multiNetworkCreateVersion, let mac = inspected["MacAddress"]?.string, !mac.isEmpty {
                endpoint["MacAddress"] = .string(mac)
            }
        }
        return .object(endpoint)
    }
}
