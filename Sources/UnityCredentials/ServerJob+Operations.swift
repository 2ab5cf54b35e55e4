import UnitySSH

/// The three operations as sequences of `ServerJob` steps. Each returns through `finish`, which
/// proves the access it reports.
extension ServerJob {
    mutating func install(key: SSHPrivateKey, line: Result<String, KeyLineError>) async -> ServerResult {
        guard case .success(let line) = line else { return await refuse(.addKey, line) }
        guard let keys = await read() else { return await finish(.failedUnchanged) }
        let edit: AuthorizedKeys.Edit
        do { edit = try keys.adding(line) } catch { return await refuse(.addKey, .failure(error)) }
        if edit.changed {
            guard await backupIfNeeded() else { return await finish(.failedUnchanged) }
            guard await write(edit, as: .addKey, message: "appended \(PublicKey(key))") else {
                return await finish(await rollback())
            }
        } else {
            record(.addKey, .skipped, "already authorized (\(edit.matchedLines) line(s)); left as is")
        }
        guard await prove(.proveKey, access.with(key), what: "\(PublicKey(key))") else { return await finish(await rollback()) }
        return await finish(edit.changed ? .succeeded : .unchanged)
    }

    mutating func revoke(key: PublicKey, privateKey: SSHPrivateKey?) async -> ServerResult {
        if Self.keyFingerprint(server.access) == key.fingerprint {
            record(.removeKey, .failed, "\(key) is Unity's own access key here: rotate it instead of revoking it")
            return await finish(.failedUnchanged)
        }
        guard let keys = await read() else { return await finish(.failedUnchanged) }
        let edit = keys.removing(keyMatching: key)
        if edit.changed {
            guard await backupIfNeeded() else { return await finish(.failedUnchanged) }
            guard await write(edit, as: .removeKey, message: "removed \(edit.matchedLines) line(s) of \(key)") else {
                return await finish(await rollback())
            }
            // The proof that matters: Unity (and so the admin's other keys, same file) still gets in.
            guard await prove(.proveAccess, access, what: "Unity's access") else { return await finish(await rollback()) }
        } else {
            record(.removeKey, .skipped, "\(key) is not in \(file.location)")
        }
        if let privateKey { await proveRefused(access.with(privateKey), what: "\(key)") }
        return await finish(edit.changed ? .succeeded : .unchanged)
    }

    mutating func rotate(from old: PublicKey, to new: SSHPrivateKey, line: Result<String, KeyLineError>) async -> ServerResult {
        guard case .success(let line) = line else { return await refuse(.addKey, line) }
        let newKey = PublicKey(new)
        guard newKey != old else { return await refuse(.addKey, .failure(.malformed("old and new key are the same"))) }
        let oldPrivate: SSHPrivateKey? = if case .privateKey(let key) = access.credential, PublicKey(key) == old { key } else { nil }

        // 1. Add the new key (Unity still uses its current access).
        guard let keys = await read() else { return await finish(.failedUnchanged) }
        let added: AuthorizedKeys.Edit
        do { added = try keys.adding(line) } catch { return await refuse(.addKey, .failure(error)) }
        if added.changed {
            guard await backupIfNeeded() else { return await finish(.failedUnchanged) }
            guard await write(added, as: .addKey, message: "appended \(newKey)") else { return await finish(await rollback()) }
        } else {
            record(.addKey, .skipped, "\(newKey) already authorized")
        }
        // 2. Prove it on a fresh connection before anything depends on it.
        guard await prove(.proveKey, access.with(new), what: "new key \(newKey)") else { return await finish(await rollback()) }
        // 3. Only now may Unity's own access move to the new key.
        if oldPrivate != nil {
            access = access.with(new)
            record(.switchAccess, .succeeded, "Unity's access now uses \(newKey)")
        }
        // 4. Remove the old key from the file as Unity wrote it (the write is checked against it).
        let removed = AuthorizedKeys(current.contents ?? .init()).removing(keyMatching: old)
        if removed.changed {
            guard await backupIfNeeded() else { return await finish(.failedUnchanged) }
            guard await write(removed, as: .removeKey, message: "removed \(removed.matchedLines) line(s) of \(old)") else {
                return await finish(await rollback())
            }
        } else {
            record(.removeKey, .skipped, "\(old) was not in \(file.location)")
        }
        // 5. The new key still gets in with the old one gone.
        guard await prove(.reproveKey, access.with(new), what: "new key \(newKey)") else { return await finish(await rollback()) }
        if let oldPrivate { await proveRefused(access.with(oldPrivate), what: "old key \(old)") }
        return await finish(added.changed || removed.changed ? .succeeded : .unchanged)
    }

    /// The job cannot even start on this server (bad key line): nothing was touched.
    private mutating func refuse(_ step: KeyStep, _ line: Result<String, KeyLineError>) async -> ServerResult {
        if case .failure(let error) = line { record(step, .failed, error.description) }
        return await finish(.failedUnchanged)
    }
}

extension SSHTarget {
    /// The same server, user, pins and route, authenticating with `key`.
    func with(_ key: SSHPrivateKey) -> SSHTarget {
        var copy = self
        copy.credential = .privateKey(key)
        return copy
    }
}
