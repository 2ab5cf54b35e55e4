import Foundation
import NIOHTTP1

/// One registry's settings for the requests of one question.
struct RegistryRequestContext: Sendable {
    let reference: ImageReference
    let access: RegistryAccess?
    let policy: RegistryHostPolicy
    let base: String

    var registry: String { reference.registry }
    /// The only scope Unity ever asks for.
    var scope: String { "repository:\(reference.repository):pull" }
    var allowsHTTP: Bool { access?.allowInsecureHTTP == true }

    var basicAuthorization: String? {
        guard let credentials = access?.credentials else { return nil }
        return "Basic " + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
    }

    func url(manifest target: String) -> String { base + "/v2/\(reference.repository)/manifests/\(target)" }
    func url(path: String) -> String { base + path }

    func components(_ url: String) throws(RegistryError) -> URLComponents {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
              components.scheme == "https" || components.scheme == "http" else {
            throw .invalidResponse(registry: registry, message: "not an http(s) URL: \(url.prefix(200))")
        }
        return components
    }

    /// The custom CA applies to the registry's host and its credential hosts (one operator), the
    /// system store to anything else (a CDN a redirect may reach).
    func caCertificate(for components: URLComponents) -> String? {
        policy.allowsCredentials(toHost: components.host ?? "") ? access?.caCertificatePEM : nil
    }

    /// A `Location` or `Link` target made absolute and checked: https (http only when allowed), and a
    /// host this registry may send Unity to (`sameHostOnly`: the registry's own host:port only).
    func resolve(_ target: String, relativeTo current: String, sameHostOnly: Bool) throws(RegistryError) -> String {
        guard let base = URL(string: current), let absolute = URL(string: target, relativeTo: base)?.absoluteURL,
              let components = URLComponents(url: absolute, resolvingAgainstBaseURL: true), let host = components.host else {
            throw .invalidResponse(registry: registry, message: "unusable link target \(target.prefix(200))")
        }
        guard components.scheme == "https" || (components.scheme == "http" && allowsHTTP) else {
            throw .refusedHost(registry: registry, host: "\(components.scheme ?? "?")://\(host)")
        }
        let allowed = sameHostOnly ? RegistryHostPolicy.hostPort(of: components) == policy.apiHost : policy.allowsRedirect(to: components)
        guard allowed else { throw .refusedHost(registry: registry, host: RegistryHostPolicy.hostPort(of: components)) }
        return absolute.absoluteString
    }
}

extension RegistryClient {
    func context(for reference: ImageReference) async throws(RegistryError) -> RegistryRequestContext {
        let access = await access(reference.registry)
        let scheme = access?.allowInsecureHTTP == true ? "http" : "https"
        return RegistryRequestContext(reference: reference, access: access,
                                      policy: RegistryHostPolicy(reference: reference, access: access),
                                      base: "\(scheme)://\(reference.apiHost)")
    }

    /// A request with auth, redirects and rate limiting; answers other than 2xx become `RegistryError`.
    func exchange(_ method: HTTPMethod, _ url: String, _ context: RegistryRequestContext,
                  accept: String) async throws(RegistryError) -> RegistryHTTPResponse {
        var authorization = try await knownAuthorization(context)
        var answeredChallenge = false
        var current = url
        for _ in 0..<6 {
            let components = try context.components(current)
            let hostPort = RegistryHostPolicy.hostPort(of: components)
            if hostPort == context.policy.apiHost {
                try await limiter.acquire(host: hostPort, registry: context.registry)
            }
            var headers = HTTPHeaders()
            headers.add(name: "Accept", value: accept)
            headers.add(name: "User-Agent", value: Self.userAgent)
            // Credentials only to the registry's own host and its credential hosts, never to a CDN.
            if let authorization, context.policy.allowsCredentials(toHost: components.host ?? "") {
                headers.add(name: "Authorization", value: authorization)
            }
            let request = RegistryHTTPRequest(method: method, url: current, headers: headers,
                                              maxBody: method == .HEAD ? 0 : options.maxBodyBytes,
                                              caCertificatePEM: context.caCertificate(for: components))
            let response = try await send(request, context)
            switch response.status {
            case 301, 302, 303, 307, 308:
                guard let location = response.headers.first(name: "Location") else {
                    throw .invalidResponse(registry: context.registry, message: "redirect \(response.status) without Location")
                }
                current = try context.resolve(location, relativeTo: current, sameHostOnly: false)
            case 401 where !answeredChallenge:
                answeredChallenge = true
                let challenges = AuthChallenge.parse(response.headers["WWW-Authenticate"])
                authorization = try await answer(challenges, context, sent: authorization)
            default:
                return try await checked(response, context)
            }
        }
        throw .invalidResponse(registry: context.registry, message: "too many redirects")
    }

    static let userAgent = "Unity-Registry/1 (update checks; AsyncHTTPClient)"

    func send(_ request: RegistryHTTPRequest, _ context: RegistryRequestContext) async throws(RegistryError) -> RegistryHTTPResponse {
        do {
            return try await transport.send(request)
        } catch {
            switch error {
            case .bodyTooLarge(let limit):
                throw .invalidResponse(registry: context.registry, message: "answer larger than \(limit) bytes")
            case .invalidCA(let message), .tls(let message), .connection(let message):
                throw .transport(registry: context.registry, message: message)
            }
        }
    }

    /// 2xx passes; everything else is the matching `RegistryError`, and a 429 (or a 5xx with
    /// `Retry-After`) stops requests to the host until the wait is over.
    func checked(_ response: RegistryHTTPResponse, _ context: RegistryRequestContext) async throws(RegistryError) -> RegistryHTTPResponse {
        let registry = context.registry
        switch response.status {
        case 200..<300:
            return response
        case 401, 403:
            throw .unauthorized(registry: registry)
        case 404:
            throw .notFound(reference: context.reference.canonical)
        case 429:
            let retryAfter = RegistryHeaders.retryAfterSeconds(response.headers, now: clock.now())
            await limiter.backOff(host: context.policy.apiHost, seconds: retryAfter ?? options.defaultBackOffSeconds)
            logger.notice("registry rate-limited the check", metadata: ["registry": "\(registry)", "retry_after": "\(retryAfter.map(String.init) ?? "none")"])
            throw .rateLimited(registry: registry, retryAfterSeconds: retryAfter)
        case 500..<600:
            let retryAfter = RegistryHeaders.retryAfterSeconds(response.headers, now: clock.now())
            if let retryAfter { await limiter.backOff(host: context.policy.apiHost, seconds: retryAfter) }
            throw .unavailable(registry: registry, status: response.status, retryAfterSeconds: retryAfter)
        default:
            throw .invalidResponse(registry: registry, message: "unexpected HTTP status \(response.status)")
        }
    }
}
