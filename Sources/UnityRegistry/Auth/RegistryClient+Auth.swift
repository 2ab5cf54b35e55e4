import Foundation
import NIOHTTP1

/// Anonymous, Basic and the generic Bearer flow (the distribution token spec): a 401 names a realm,
/// service and scope; the realm's host is checked against `RegistryHostPolicy` before anything is
/// sent to it; the token (`token` or `access_token`, `expires_in`, default 60 s) is cached per
/// realm + service + scope.
extension RegistryClient {
    /// What a registry already known to want Basic or Bearer gets on its first request.
    func knownAuthorization(_ context: RegistryRequestContext) async throws(RegistryError) -> String? {
        switch await tokens.scheme(forRegistry: context.registry) {
        case .basic: return context.basicAuthorization
        case .bearer(let realm, let service):
            return "Bearer " + (try await bearerToken(realm: realm, service: service, challengeScope: nil, context, refresh: false))
        case nil: return nil
        }
    }

    /// The `Authorization` answering a 401's challenges; `sent` is what the refused request carried.
    func answer(_ challenges: [AuthChallenge], _ context: RegistryRequestContext, sent: String?) async throws(RegistryError) -> String {
        if let bearer = challenges.first(where: { $0.scheme == "bearer" }) {
            guard let realm = bearer.realm, !realm.isEmpty else {
                throw .invalidResponse(registry: context.registry, message: "Bearer challenge without a realm")
            }
            // A refused token is fetched once more (it may have been revoked early); a second 401 is final.
            let token = try await bearerToken(realm: realm, service: bearer.service, challengeScope: bearer.scope,
                                              context, refresh: sent != nil)
            await tokens.remember(.bearer(realm: realm, service: bearer.service), forRegistry: context.registry)
            return "Bearer " + token
        }
        if challenges.contains(where: { $0.scheme == "basic" }), let basic = context.basicAuthorization, basic != sent {
            await tokens.remember(.basic, forRegistry: context.registry)
            return basic
        }
        // Basic without credentials, credentials already refused, or a scheme Unity does not speak.
        throw .unauthorized(registry: context.registry)
    }

    func bearerToken(realm: String, service: String?, challengeScope: String?, _ context: RegistryRequestContext,
                     refresh: Bool) async throws(RegistryError) -> String {
        let key = RegistryTokenCache.Key(realm: realm, service: service ?? "", scope: context.scope)
        if refresh {
            await tokens.forget(key)
        } else if let cached = await tokens.token(for: key, now: clock.now()) {
            return cached
        }
        let url = try tokenURL(realm: realm, service: service, challengeScope: challengeScope, context)
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: Self.userAgent)
        if let basic = context.basicAuthorization { headers.add(name: "Authorization", value: basic) }
        await tokens.countTokenRequest()
        logger.debug("requesting a registry token", metadata: ["registry": "\(context.registry)", "scope": "\(context.scope)"])
        let response = try await send(RegistryHTTPRequest(method: .GET, url: url.string, headers: headers,
                                                          maxBody: min(options.maxBodyBytes, 1 << 20),
                                                          caCertificatePEM: context.caCertificate(for: url.components)),
                                      context)
        switch response.status {
        case 200..<300: break
        case 401, 403: throw .unauthorized(registry: context.registry)
        case 429:
            throw .rateLimited(registry: context.registry,
                               retryAfterSeconds: RegistryHeaders.retryAfterSeconds(response.headers, now: clock.now()))
        case 500..<600:
            throw .unavailable(registry: context.registry, status: response.status,
                               retryAfterSeconds: RegistryHeaders.retryAfterSeconds(response.headers, now: clock.now()))
        default:
            throw .invalidResponse(registry: context.registry, message: "token endpoint answered HTTP \(response.status)")
        }
        guard let answer = try? JSONDecoder().decode(TokenAnswer.self, from: response.body),
              let token = [answer.token, answer.access_token].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw .invalidResponse(registry: context.registry, message: "token endpoint answered without a token")
        }
        let lifetime = answer.expires_in.flatMap { $0 > 0 ? $0 : nil } ?? 60
        await tokens.store(token, for: key, expiresIn: lifetime, now: clock.now())
        return token
    }

    /// The realm with `service`, `scope` and `account` added, after the realm's scheme and host were
    /// checked: nothing, not even an anonymous request, goes to a host this registry may not name.
    private func tokenURL(realm: String, service: String?, challengeScope: String?,
                          _ context: RegistryRequestContext) throws(RegistryError) -> (string: String, components: URLComponents) {
        guard var components = URLComponents(string: realm), let host = components.host, !host.isEmpty,
              let scheme = components.scheme?.lowercased() else {
            throw .invalidResponse(registry: context.registry, message: "token realm is not a URL")
        }
        guard scheme == "https" || (scheme == "http" && context.allowsHTTP) else {
            throw .refusedHost(registry: context.registry, host: "\(scheme)://\(host)")
        }
        guard context.policy.allowsCredentials(toHost: host) else {
            logger.warning("refused a token realm on a host not allowed for the registry",
                           metadata: ["registry": "\(context.registry)", "host": "\(host)"])
            throw .refusedHost(registry: context.registry, host: host)
        }
        var query = components.queryItems ?? []
        if let service, !service.isEmpty { query.append(URLQueryItem(name: "service", value: service)) }
        var scopes = [context.scope]
        // The challenge's own scope too (some registries spell the name differently), but never more than pull.
        if let challengeScope, challengeScope.hasSuffix(":pull"), challengeScope != context.scope { scopes.append(challengeScope) }
        query += scopes.map { URLQueryItem(name: "scope", value: $0) }
        if let credentials = context.access?.credentials { query.append(URLQueryItem(name: "account", value: credentials.username)) }
        components.queryItems = query
        guard let string = components.string else {
            throw .invalidResponse(registry: context.registry, message: "token realm is not a URL")
        }
        return (string, components)
    }

    private struct TokenAnswer: Decodable {
        var token: String?
        var access_token: String?
        var expires_in: Int?
    }
}
