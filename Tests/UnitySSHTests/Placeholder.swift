import Testing
@testable import UnitySSH
