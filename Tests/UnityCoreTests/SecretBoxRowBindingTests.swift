import Foundation
import Testing
@testable import UnityCore

/// Issue 14 item 3: a value sealed for one row (purpose + table + column + row id as associated data)
/// does not open in another row or column, with an error that says so; values sealed before row
/// binding (`v1`, purpose only) still open, and a `v2` value cannot be relabelled `v1`.
@Suite struct SecretBoxRowBindingTests {
    let box = SecretBox(primary: .generate())
    let alice = SealedRow(table: "server_credentials", column: "sealed_password", id: "A-1")
    let bob = SealedRow(table: "server_credentials", column: "sealed_password", id: "B-2")

    @Test func aValueOpensOnlyInItsOwnRow() throws {
        let sealed = try box.seal("alice-password", purpose: "server_credentials.password", row: alice)
        #expect(sealed.hasPrefix("unity:v2:\(box.primary.id):"))
        #expect(try box.openString(sealed, purpose: "server_credentials.password", row: alice) == "alice-password")
        // Swapped into Bob's row, or moved to the sudo column of the same row: refused, naming the row check.
        #expect(throws: SecretBoxError.notThisRow(box.primary.id)) { try box.open(sealed, purpose: "server_credentials.password", row: bob) }
        let sudo = SealedRow(table: "server_credentials", column: "sealed_sudo_password", id: "A-1")
        #expect(throws: SecretBoxError.notThisRow(box.primary.id)) { try box.open(sealed, purpose: "server_credentials.password", row: sudo) }
        #expect(throws: SecretBoxError.rowRequired) { try box.open(sealed, purpose: "server_credentials.password") }
        let message = SecretBoxError.notThisRow(box.primary.id).description
        #expect(message.contains("another row") && !message.contains("alice"))
    }

    @Test func legacyValuesStillOpenAndCannotBeForged() throws {
        let legacy = try box.seal("old-secret", purpose: "p")
        #expect(legacy.hasPrefix("unity:v1:"))
        #expect(try box.openString(legacy, purpose: "p", row: alice) == "old-secret")
        #expect(!box.isCurrent(legacy) && box.isSealedWithPrimary(legacy))
        let bound = try box.seal("new-secret", purpose: "p", row: alice)
        #expect(box.isCurrent(bound))
        // Relabelling a row-bound value as legacy does not skip the row check: its tag covers the row.
        let relabelled = bound.replacingOccurrences(of: "unity:v2:", with: "unity:v1:")
        #expect(throws: SecretBoxError.authenticationFailed(box.primary.id)) { try box.open(relabelled, purpose: "p", row: bob) }
    }

    @Test func rowFieldsCannotBeShiftedIntoEachOther() throws {
        // "a" + "b\0c" and "a\0b" + "c" would collide if the fields were simply concatenated.
        let one = SealedRow(table: "t", column: "a", id: "b"), two = SealedRow(table: "t", column: "ab", id: "")
        let sealed = try box.seal("x", purpose: "p", row: one)
        #expect(throws: SecretBoxError.notThisRow(box.primary.id)) { try box.open(sealed, purpose: "p", row: two) }
    }
}
