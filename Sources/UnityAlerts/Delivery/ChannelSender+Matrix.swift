import AsyncHTTPClient
import Foundation

/// Matrix client-server API: optional password login, alias → room id lookup, then one
/// `PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}` per room.
public enum MatrixRequests {
    public static func login(_ c: MatrixChannel, user: String) -> OutboundRequest {
        let body = JSONValue.object([
            "type": .string("m.login.password"),
            "identifier": .object(["type": .string("m.id.user"), "user": .string(user)]),
            "password": .string(c.password),
            // A fixed device id keeps the homeserver from creating a new device per login.
            "device_id": .string("UNITYALERTS"), "initial_device_display_name": .string("Unity alerts"),
        ]).encoded()
        return OutboundRequest(method: "POST", url: c.server.appending(path: "_matrix/client/v3/login"),
                               headers: [("Content-Type", "application/json")], body: body, expectsOKField: false)
    }

    public static func resolveAlias(_ c: MatrixChannel, alias: String, token: String) -> OutboundRequest {
        let encoded = alias.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? alias
        let url = URL(string: c.server.absoluteString + "/_matrix/client/v3/directory/room/" + encoded) ?? c.server
        return OutboundRequest(method: "GET", url: url, headers: [("Authorization", "Bearer \(token)")], body: Data(), expectsOKField: false)
    }

    public static func send(_ c: MatrixChannel, roomID: String, txnID: String, message: RenderedMessage, token: String) -> OutboundRequest {
        let room = roomID.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? roomID
        let url = URL(string: c.server.absoluteString + "/_matrix/client/v3/rooms/\(room)/send/m.room.message/\(txnID)") ?? c.server
        let body = JSONValue.object(["msgtype": .string("m.text"), "body": .string("\(message.title)\n\(message.body)")]).encoded()
        return OutboundRequest(method: "PUT", url: url, headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")],
                               body: body, expectsOKField: false)
    }
}


extension ChannelSender {
    func sendMatrix(_ message: RenderedMessage, config c: MatrixChannel, tls: ChannelTLS, deliveryID: UUID) async -> DeliveryResult {
        do {
            let client = try client(for: tls)
            guard let token = try await matrixToken(c, client: client) else {
                return DeliveryResult(ok: false, error: "Matrix login failed", retryable: false)
            }
            var last = DeliveryResult(ok: false, error: "no rooms", retryable: false)
            for (index, room) in c.rooms.enumerated() {
                var roomID = room
                if room.hasPrefix("#") {
                    let (status, body) = try await perform(MatrixRequests.resolveAlias(c, alias: room, token: token), client: client)
                    guard status == 200, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                          let resolved = object["room_id"] as? String else {
                        return .http(status, error: "room alias \(room) not found: \(Self.snippet(body))")
                    }
                    roomID = resolved
                }
                let txn = "unity-\(deliveryID.uuidString.lowercased())-\(index)"
                last = try await execute(MatrixRequests.send(c, roomID: roomID, txnID: txn, message: message, token: token), client: client)
                if last.httpStatus == 401, c.user != nil { matrixTokens[matrixKey(c)] = nil }
                if !last.ok { return last }
            }
            return last
        } catch {
            return DeliveryResult(ok: false, error: Self.describe(error))
        }
    }

    private func matrixKey(_ c: MatrixChannel) -> String { "\(c.server.absoluteString)|\(c.user ?? "")" }

    /// Logs in once per (server, user) and reuses the token; a 401 on send drops it.
    private func matrixToken(_ c: MatrixChannel, client: HTTPClient) async throws -> String? {
        guard let user = c.user else { return c.password }
        if let cached = matrixTokens[matrixKey(c)] { return cached }
        let (status, body) = try await perform(MatrixRequests.login(c, user: user), client: client)
        guard status == 200, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let token = object["access_token"] as? String else { return nil }
        matrixTokens[matrixKey(c)] = token
        return token
    }
}
