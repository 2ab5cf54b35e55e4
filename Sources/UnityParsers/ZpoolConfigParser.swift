/// Builds the vdev tree from the `config:` lines of one pool.
///
/// Nesting is read from indentation only (zpool adds two columns per level), because group names
/// are open-ended (mirror-0, raidz2-1, draid2:4d:1s-0, replacing-3, spare-2 …) and a rule keyed
/// on names would misplace the next new one.
enum ZpoolConfigParser {
    struct Tree {
        var root: ZpoolVdev?
        var sections: [String: [ZpoolVdev]] = [:]
    }

    /// Section headers at pool level. They print a name and nothing else.
    static let sectionNames: Set<String> = ["logs", "cache", "spares", "special", "dedup"]

    /// Real pools nest at most ~5 levels (pool → raidz → spare → replacing → disk). The cap keeps
    /// hostile input from building a tree deep enough to exhaust the stack in recursive
    /// Equatable/Codable/deinit code; deeper lines become siblings at the cap.
    static let maxDepth = 16

    static func parse(_ lines: [String]) -> Tree {
        var nodes: [(indent: Int, vdev: ZpoolVdev)] = []
        for line in lines {
            let words = ZpoolText.words(line)
            guard let name = words.first else { continue }
            if name == "NAME", words.contains("STATE") { continue }  // column header
            nodes.append((ZpoolText.indentation(line), vdev(words)))
        }
        return classify(assemble(nodes))
    }

    /// "sde  FAULTED  1.2K  345  2.5M  too many errors" → name, state, counters, note.
    /// Spares print only "sdi AVAIL" or "sdh INUSE currently in use", without counters.
    private static func vdev(_ words: [Substring]) -> ZpoolVdev {
        var vdev = ZpoolVdev(name: String(words.first ?? ""))
        if let state = ZpoolText.element(words, 1) { vdev.state = ZpoolState(rawValue: String(state)) }
        var noteStart = 2
        if words.count >= 5, let read = ZpoolNumbers.size(words[2]), let write = ZpoolNumbers.size(words[3]),
           let checksum = ZpoolNumbers.size(words[4]) {
            vdev.readErrors = read
            vdev.writeErrors = write
            vdev.checksumErrors = checksum
            noteStart = 5
        }
        if words.count > noteStart { vdev.note = words[noteStart...].joined(separator: " ") }
        return vdev
    }

    /// Turns (indent, vdev) rows into trees: each row is a child of the nearest earlier row
    /// with a smaller indent. Iterative, so no input can recurse deeply.
    private static func assemble(_ nodes: [(indent: Int, vdev: ZpoolVdev)]) -> [ZpoolVdev] {
        var tops: [ZpoolVdev] = []
        var stack: [(indent: Int, vdev: ZpoolVdev)] = []

        func closeTop() {
            guard let finished = stack.popLast() else { return }
            if stack.isEmpty {
                tops.append(finished.vdev)
            } else {
                stack[stack.count - 1].vdev.children.append(finished.vdev)
            }
        }

        for node in nodes {
            while let last = stack.last, last.indent >= node.indent { closeTop() }
            if stack.count >= maxDepth { closeTop() }
            stack.append(node)
        }
        while !stack.isEmpty { closeTop() }
        return tops
    }

    /// The first stateful top-level row is the pool itself; bare "logs"/"cache"/… rows are sections.
    private static func classify(_ tops: [ZpoolVdev]) -> Tree {
        var tree = Tree()
        for top in tops {
            if top.state == nil, sectionNames.contains(top.name) {
                tree.sections[top.name, default: []].append(contentsOf: top.children)
            } else if tree.root == nil {
                tree.root = top
            }
        }
        return tree
    }
}
