/// The line shapes inside a /proc/mdstat array block.
enum MDStatLines {
    /// "md6 : active (auto-read-only) raid1 sdb2[2](F) sdc[1](S) sda2[0]"
    static func header(_ fields: [Substring], line: Int, warnings: inout [String]) -> MDArrayStatus {
        var array = MDArrayStatus(name: String(fields[0]), isActive: fields[2] == "active")
        var rest = fields.dropFirst(3)
        while let token = rest.first, token.hasPrefix("("), token.hasSuffix(")") {
            switch token {
            case "(read-only)": array.readOnly = .readOnly
            case "(auto-read-only)": array.readOnly = .autoReadOnly
            default: warnings.append("line \(line): unknown array flag '\(token.prefix(32))'")
            }
            rest = rest.dropFirst()
        }
        if let token = rest.first, !token.contains("[") {
            array.level = String(token)
            rest = rest.dropFirst()
        }
        for token in rest {
            if let member = member(token) {
                array.members.append(member)
            } else {
                warnings.append("line \(line): unreadable member '\(token.prefix(32))'")
            }
        }
        return array
    }

    /// "sdb2[2](F)", "hda[4](S)", "sdc1[1](W)(F)".
    static func member(_ token: Substring) -> MDMember? {
        guard let open = token.firstIndex(of: "["), let close = token[open...].firstIndex(of: "]"),
              open > token.startIndex,
              let role = TextScanning.int(token[token.index(after: open)..<close])
        else { return nil }
        var member = MDMember(device: String(token[..<open]), roleIndex: role)
        var flags = token[token.index(after: close)...]
        while !flags.isEmpty {
            guard flags.count >= 3, flags.hasPrefix("("), let end = flags.firstIndex(of: ")") else { return nil }
            switch flags[flags.index(after: flags.startIndex)..<end] {
            case "F": member.isFaulty = true
            case "S": member.isSpare = true
            case "W": member.isWriteMostly = true
            case "R": member.isReplacement = true
            default: break  // e.g. (J) journal: not something Unity alerts on
            }
            flags = flags[flags.index(after: end)...]
        }
        return member
    }

    /// Any line after the header: size/status, progress, bitmap.
    static func detail(_ fields: [Substring], into array: inout MDArrayStatus?, line: Int, warnings: inout [String]) {
        guard var current = array else { return }
        defer { array = current }
        if fields.count >= 2, fields[1] == "blocks" {
            status(fields, into: &current, line: line, warnings: &warnings)
        } else if fields.first == "bitmap:" {
            if let bitmap = bitmap(fields) {
                current.bitmap = bitmap
            } else {
                warnings.append("line \(line): unreadable bitmap line")
            }
        } else if let progress = progress(fields) {
            current.progress = progress
        } else {
            warnings.append("line \(line): unrecognised line in \(current.name)")
        }
    }

    /// "5853468288 blocks super 1.2 level 6, 64k chunk, algorithm 2 [8/8] [UUUUUUUU]"
    static func status(_ fields: [Substring], into array: inout MDArrayStatus, line: Int, warnings: inout [String]) {
        guard let blocks = TextScanning.unsigned(fields[0]) else {
            warnings.append("line \(line): block count '\(fields[0].prefix(32))' is not a number")
            return
        }
        array.blocks = blocks
        for (index, token) in fields.enumerated() {
            let next = index + 1 < fields.count ? fields[index + 1] : nil
            if token == "super", let next {
                array.superblock = String(next)
            } else if let next, next.hasPrefix("chunk"), let kib = MDChunkSize.kib(token) {
                array.chunkKiB = kib
            } else if token.hasPrefix("["), token.hasSuffix("]"), token.count >= 2 {
                let inner = token.dropFirst().dropLast()
                let counts = inner.split(separator: "/", omittingEmptySubsequences: false)
                if counts.count == 2, let total = TextScanning.int(counts[0]), let active = TextScanning.int(counts[1]) {
                    array.raidDisks = total
                    array.activeDisks = active
                } else if !inner.isEmpty, inner.allSatisfy({ $0 == "U" || $0 == "_" }) {
                    array.slotStatus = String(inner)
                }
            }
        }
    }

    /// "[=>....]  recovery =  8.5% (16775552/195310144) finish=17.0min speed=259783K/sec",
    /// "resync=DELAYED", "resync=PENDING".
    static func progress(_ fields: [Substring]) -> MDSyncProgress? {
        let words = fields.filter { !($0.hasPrefix("[") && $0.hasSuffix("]")) }
        let text = words.joined(separator: " ")
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let actionName = TextScanning.trimmed(text[..<equals])
        guard let action = MDSyncAction(rawValue: String(actionName)) else { return nil }
        let rest = TextScanning.fields(Substring(text[text.index(after: equals)...]))
        switch rest.first {
        case "DELAYED": return MDSyncProgress(action: action, state: .delayed)
        case "PENDING": return MDSyncProgress(action: action, state: .pending)
        default: break
        }
        var progress = MDSyncProgress(action: action, state: .running)
        for token in rest {
            if token.hasSuffix("%") {
                progress.percent = TextScanning.decimal(token.dropLast())
            } else if token.hasPrefix("("), token.hasSuffix(")") {
                let parts = token.dropFirst().dropLast().split(separator: "/", omittingEmptySubsequences: false)
                if parts.count == 2 {
                    progress.doneBlocks = TextScanning.unsigned(parts[0])
                    progress.totalBlocks = TextScanning.unsigned(parts[1])
                }
            } else if token.hasPrefix("finish="), token.hasSuffix("min") {
                progress.finishMinutes = TextScanning.decimal(token.dropFirst("finish=".count).dropLast("min".count))
            } else if token.hasPrefix("speed="), token.hasSuffix("K/sec") {
                progress.speedKiBPerSecond = TextScanning.unsigned(token.dropFirst("speed=".count).dropLast("K/sec".count))
            }
        }
        return progress.percent == nil ? nil : progress
    }

    /// "bitmap: 4/15 pages [16KB], 65536KB chunk" with an optional ", file: /path".
    static func bitmap(_ fields: [Substring]) -> MDBitmap? {
        guard fields.count >= 3, fields[2].hasPrefix("pages") else { return nil }
        let pages = fields[1].split(separator: "/", omittingEmptySubsequences: false)
        guard pages.count == 2, let used = TextScanning.int(pages[0]), let total = TextScanning.int(pages[1]) else {
            return nil
        }
        var bitmap = MDBitmap(pagesUsed: used, pagesTotal: total)
        for (index, token) in fields.enumerated() {
            if token.hasPrefix("["), token.hasSuffix("KB],") || token.hasSuffix("KB]") {
                bitmap.memoryKiB = TextScanning.unsigned(token.dropFirst().prefix(while: { $0 != "K" }))
            } else if index + 1 < fields.count, fields[index + 1].hasPrefix("chunk"), token.hasSuffix("KB") {
                bitmap.chunkKiB = TextScanning.unsigned(token.dropLast(2))
            } else if token == "file:", index + 1 < fields.count {
                bitmap.file = fields[(index + 1)...].joined(separator: " ")
            }
        }
        return bitmap
    }

    static func isDegraded(_ array: MDArrayStatus) -> Bool {
        if let total = array.raidDisks, let active = array.activeDisks, active < total { return true }
        return array.slotStatus?.contains("_") ?? false
    }
}
