import Testing
@testable import UnityParsers

@Suite struct SSHConfigImportTests {
    @Test func firstValueWinsAndWildcardsSupplyDefaults() {
        let result = SSHConfigImport.parse("""
        # homelab
        Host nas nas.lan
            HostName 192.168.1.10
            User admin
            Port 2222

        Host pve?
          HostName %h.lab
        Host pve1
          ProxyJump bastion

        Host bastion
            HostName=bastion.example.org
            IdentityFile "~/.ssh/id ed25519"

        Match host nas exec "true"
            User ignored

        Host *
            User root
            Port 22
        Include ~/.ssh/config.d/*
        """)
        #expect(result.servers.map(\.name) == ["nas", "nas.lan", "pve1", "bastion"])
        let nas = result.servers[0]
        #expect(nas.address == "192.168.1.10" && nas.username == "admin" && nas.port == 2222)
        let pve1 = result.servers[2]
        #expect(pve1.address == "pve1.lab" && pve1.proxyJump == "bastion" && pve1.username == "root" && pve1.port == 22)
        #expect(result.servers[3].identityFile == "~/.ssh/id ed25519")
        #expect(result.warnings.count == 2)
    }

    @Test func badPortsAreReportedAndNegationsRespected() {
        let result = SSHConfigImport.parse("Host a b\n Port 99999\nHost * !b\n User x\n")
        #expect(result.servers.map(\.port) == [nil, nil])
        #expect(result.servers.map(\.username) == ["x", nil])
        #expect(result.warnings.count == 2)
    }

    @Test func garbageNeverTraps() {
        for text in ["", "Host", "=", "Host *\n", String(repeating: "*?", count: 500) + "\nHost " + String(repeating: "*a", count: 300)] {
            _ = SSHConfigImport.parse(text)
        }
        #expect(SSHConfigImport.glob("*.lab", "pve.lab") && !SSHConfigImport.glob("*.lab", "pve.lan"))
        #expect(SSHConfigImport.glob(String(repeating: "*", count: 200) + "b", String(repeating: "a", count: 200)) == false)
    }
}

@Suite struct AnsibleInventoryImportTests {
    @Test func groupsVarsChildrenAndRanges() {
        let result = AnsibleInventoryImport.parse("""
        mail.example.com

        [web]
        web[01:03].lab ansible_user=deploy
        proxy ansible_host=10.0.0.5 ansible_port=2200

        [db]
        db-[a:b].lab

        [prod:children]
        web
        db

        [prod:vars]
        ansible_user=ops

        [all:vars]
        ansible_port=22
        """)
        #expect(result.servers.map(\.name) == ["mail.example.com", "web01.lab", "web02.lab", "web03.lab", "proxy", "db-a.lab", "db-b.lab"])
        let web02 = result.servers[2]
        #expect(web02.username == "deploy" && web02.port == 22 && web02.tags == ["prod", "web"])
        let proxy = result.servers[4]
        #expect(proxy.address == "10.0.0.5" && proxy.port == 2200 && proxy.username == "ops")
        #expect(result.servers[5].tags == ["db", "prod"])
        #expect(result.servers[0].tags.isEmpty && result.servers[0].username == nil)
        #expect(result.warnings.isEmpty)
    }

    @Test func hugeRangesAndCyclesAreBounded() {
        let result = AnsibleInventoryImport.parse("[a]\nnode[1:9999999]\nok\n[a:children]\nb\n[b:children]\na\n")
        #expect(result.servers.map(\.name) == ["ok"])
        #expect(result.warnings.count == 1)
        #expect(AnsibleInventoryImport.expand("h[08:10]") == ["h08", "h09", "h10"])
        #expect(AnsibleInventoryImport.expand("h[1:5:2]") == ["h1", "h3", "h5"])
        #expect(AnsibleInventoryImport.expand("h[x:]") == ["h[x:]"])
    }
}
