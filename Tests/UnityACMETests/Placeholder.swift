import Testing
@testable import UnityACME
