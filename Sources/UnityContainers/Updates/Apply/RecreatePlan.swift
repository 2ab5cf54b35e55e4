import Foundation
import UnityParsers

/// How a container is recreated on a new image: pure, from the OLD container's inspect, so every
/// setting the user gave survives (binds and mounts, anonymous volumes, devices, capabilities,
/// resources, restart policy, log config, networks…), while the values that were only the old
/// image's defaults are dropped so the new image's defaults apply (Drydock's rule).
public struct RecreatePlan: Sendable, Equatable {
    /// The `POST /containers/create` body.
    public var createBody: EngineJSON
    /// Networks to connect after create (API < 1.44 accepts one endpoint at create).
    public var connectAfter: [NetworkAttachment]
    /// What was changed from the old inspect and why, for the journal.
    public var notes: [String]

    public struct NetworkAttachment: Sendable, Equatable {
        public var network: String
        public var endpoint: EngineJSON
    }

    /// First API version whose create accepts several `EndpointsConfig` entries.
    public static let multiNetworkCreateVersion = EngineAPIVersion(1, 44)
    public static let composeImageLabel = "com.docker.compose.image"

    /// - Parameters:
    ///   - candidateImage: what the new container's `Config.Image` says (the candidate reference).
    ///   - candidateImageID: the pulled image's id (compose's image label holds an id).
    ///   - containerNames: names of containers the old one refers to by id (`container:<id>` modes).
    public static func make(old: RawContainerInspect, oldImageConfig: EngineJSON, candidateImage: String, candidateImageID: String,
                            apiVersion: EngineAPIVersion, containerNames: [String: String] = [:]) -> RecreatePlan {
        var notes: [String] = []
        var config = old.json["Config"]?.object ?? [:]
        var host = old.json["HostConfig"]?.object ?? [:]
        config["Image"] = .string(candidateImage)

        dropImageDefaults(&config, image: oldImageConfig, notes: &notes)
        rewriteComposeLabel(&config, candidateImage: candidateImage, candidateImageID: candidateImageID, oldImageID: old.imageID, notes: &notes)
        if config["Hostname"]?.string == old.shortID {
            config["Hostname"] = nil
            notes.append("Hostname was the old short id: the new container gets its own")
        }
        reattachAnonymousVolumes(&host, mounts: old.json["Mounts"]?.array ?? [], notes: &notes)
        resolveContainerModes(&host, names: containerNames, notes: &notes)
        // Podman's inspect names ulimits `RLIMIT_NOFILE`; its create (like Docker's) wants `nofile`.
        if let ulimits = host["Ulimits"]?.array { host["Ulimits"] = .array(ulimits.map(createUlimit)) }
        // Podman's inspect leaves a device's CgroupPermissions empty; its create refuses "" ("rwm" is the default).
        if let devices = host["Devices"]?.array {
            host["Devices"] = .array(devices.map { device in
                guard var entry = device.object, entry["CgroupPermissions"]?.isEmptyValue ?? true else { return device }
                entry["CgroupPermissions"] = .string("rwm")
                return .object(entry)
            })
        }
        if let links = host["Links"]?.array { host["Links"] = .array(links.map(createLink)) }
        // A recorded cidfile exists already; create would refuse it.
        if !(host["ContainerIDFile"]?.isEmptyValue ?? true) {
            host["ContainerIDFile"] = .string("")
            notes.append("ContainerIDFile dropped (the file of the old container exists)")
        }

        let (endpoints, after) = networks(old: old, host: host, apiVersion: apiVersion)
        var body = config
        body["HostConfig"] = .object(host)
        if !endpoints.isEmpty { body["NetworkingConfig"] = .object(["EndpointsConfig": .object(endpoints)]) }
        if !after.isEmpty { notes.append("networks connected after create (API \(apiVersion)): \(after.map(\.network).joined(separator: ", "))") }
        return RecreatePlan(createBody: .object(body), connectAfter: after, notes: notes)
    }

    /// Env entries, Cmd, Entrypoint, labels, WorkingDir, User, Healthcheck, StopSignal and Shell equal
    /// to the old image's own are not the user's settings: leave them to the new image.
    static func dropImageDefaults(_ config: inout [String: EngineJSON], image: EngineJSON, notes: inout [String]) {
        let imageEnv = Set(image["Env"]?.stringArray ?? [])
        if let env = config["Env"]?.stringArray {
            let kept = env.filter { !imageEnv.contains($0) }
            if kept.count != env.count { notes.append("\(env.count - kept.count) Env entries were the old image's defaults") }
            config["Env"] = .array(kept.map(EngineJSON.string))
        }
        for key in ["Cmd", "Entrypoint", "Healthcheck", "Shell"] {
            if let value = config[key], !value.isEmptyValue, let imageValue = image[key], value == imageValue {
                config[key] = .null
                notes.append("\(key) was the old image's default")
            }
        }
        for key in ["WorkingDir", "User", "StopSignal"] {
            if let value = config[key]?.string, !value.isEmpty, value == image[key]?.string {
                config[key] = key == "StopSignal" ? .null : .string("")
                notes.append("\(key) was the old image's default")
            }
        }
        let imageLabels = image["Labels"]?.object ?? [:]
        if var labels = config["Labels"]?.object {
            let defaults = labels.filter { imageLabels[$0.key] == $0.value && $0.key != composeImageLabel }.map(\.key)
            for key in defaults { labels[key] = nil }
            if !defaults.isEmpty { notes.append("labels from the old image dropped: \(defaults.sorted().joined(separator: ", "))") }
            config["Labels"] = .object(labels)
        }
    }

    /// Compose compares this label with the service's image: a stale value makes the next
    /// `docker compose up -d` recreate the container again. Compose v2 writes the image id, v1 the
    /// reference; the new value keeps the old one's kind.
    static func rewriteComposeLabel(_ config: inout [String: EngineJSON], candidateImage: String, candidateImageID: String,
                                    oldImageID: String, notes: inout [String]) {
        guard var labels = config["Labels"]?.object, let old = labels[composeImageLabel]?.string else { return }
        let new = old.hasPrefix("sha256:") || old == oldImageID ? candidateImageID : candidateImage
        labels[composeImageLabel] = .string(new)
        config["Labels"] = .object(labels)
        notes.append("\(composeImageLabel) rewritten to \(new)")
    }

    /// Anonymous volumes (from `-v /path` or the image's VOLUME) are in `Mounts` only: without a bind
    /// naming them, the new container would get new, empty volumes.
    static func reattachAnonymousVolumes(_ host: inout [String: EngineJSON], mounts: [EngineJSON], notes: inout [String]) {
        var binds = host["Binds"]?.stringArray ?? []
        let bindTargets = Set(binds.compactMap(bindDestination))
        let mountTargets = Set((host["Mounts"]?.array ?? []).compactMap { $0["Target"]?.string })
        var added: [String] = []
        for mount in mounts where mount["Type"]?.string == "volume" {
            guard let name = mount["Name"]?.string, !name.isEmpty, let destination = mount["Destination"]?.string,
                  !bindTargets.contains(destination), !mountTargets.contains(destination) else { continue }
            binds.append("\(name):\(destination)" + (mount["RW"]?.bool == false ? ":ro" : ""))
            added.append(destination)
        }
        if !added.isEmpty {
            host["Binds"] = .array(binds.map(EngineJSON.string))
            notes.append("anonymous volumes re-attached by name at \(added.sorted().joined(separator: ", "))")
        }
    }

    /// `src:dst[:opts]` → dst (a Windows-style path is not expected on these hosts).
    static func bindDestination(_ bind: String) -> String? {
        let parts = bind.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count >= 2 ? String(parts[1]) : nil
    }

    /// `container:<id>` (what the engine records) → `container:<name>`, so it still means the same
    /// container when that one is recreated by an update of its own.
    static func resolveContainerModes(_ host: inout [String: EngineJSON], names: [String: String], notes: inout [String]) {
        for key in ["NetworkMode", "PidMode", "IpcMode"] {
            guard let mode = host[key]?.string, mode.hasPrefix("container:") else { continue }
            let target = String(mode.dropFirst("container:".count))
            if let name = names[target] ?? names.first(where: { $0.key.hasPrefix(target) || target.hasPrefix($0.key) })?.value {
                host[key] = .string("container:\(name)")
                notes.append("\(key) container:\(target.prefix(12)) resolved to \(name)")
            }
        }
    }

    static func createUlimit(_ ulimit: EngineJSON) -> EngineJSON {
        guard var entry = ulimit.object, let name = entry["Name"]?.string, name.hasPrefix("RLIMIT_") else { return ulimit }
        entry["Name"] = .string(name.dropFirst("RLIMIT_".count).lowercased())
        return .object(entry)
    }

    /// Inspect shows legacy links as `/other:/this/alias`; create takes `other:alias`.
    static func createLink(_ link: EngineJSON) -> EngineJSON {
        guard let text = link.string else { return link }
        let parts = text.split(separator: ":")
        guard parts.count == 2 else { return link }
        let source = parts[0].hasPrefix("/") ? parts[0].dropFirst() : parts[0]
        let alias = parts[1].split(separator: "/").last ?? parts[1]
        return .string("\(source):\(alias)")
    }
}
