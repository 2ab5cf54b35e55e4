import Testing
@testable import UnityInfrastructure
