import Testing
import UnityContainers

@Suite("TCP endpoints (pure)")
struct TCPEndpointTests {
    @Test func acceptsDockersForms() {
        #expect(TCPEndpoint(parsing: "tcp://nas.lan:2376") == TCPEndpoint(host: "nas.lan", port: 2376))
        #expect(TCPEndpoint(parsing: "tcp://192.168.1.10:2376") == TCPEndpoint(host: "192.168.1.10", port: 2376))
        let v6 = TCPEndpoint(parsing: "tcp://[fd00::1]:2376")
        #expect(v6 == TCPEndpoint(host: "fd00::1", port: 2376))
        #expect(v6?.description == "tcp://[fd00::1]:2376")
    }

    @Test func refusesAnythingElse() {
        for text in ["http://nas:2376", "tcp://nas", "tcp://nas:0", "tcp://nas:65536", "tcp://:2376", "tcp://nas:2376/", "tcp://u@nas:2376",
                     "tcp://na s:2376", "tcp://-x:2376", "tcp://[nas]:2376", "tcp://fd00::1:2376", "tcp://nas:+80", "unix:///run/docker.sock"] {
            #expect(TCPEndpoint(parsing: text) == nil, "\(text)")
        }
    }
}
