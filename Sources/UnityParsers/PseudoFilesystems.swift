/// Which df rows are not real storage.
enum PseudoFilesystems {
    /// Types that live in RAM or describe the kernel. squashfs and overlay are included because
    /// they are read-only images or container layers whose "usage" is not capacity to watch.
    static let types: Set<String> = [
        "tmpfs", "devtmpfs", "ramfs", "overlay", "squashfs", "proc", "sysfs", "devpts", "cgroup",
        "cgroup2", "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf", "autofs",
        "configfs", "fusectl", "hugetlbfs", "efivarfs", "nsfs", "binfmt_misc", "rpc_pipefs",
        "selinuxfs", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "nfsd", "aufs",
    ]

    /// What df prints in the Filesystem column for those types when run without -T.
    static let sources: Set<String> = [
        "tmpfs", "devtmpfs", "udev", "none", "overlay", "proc", "sysfs", "shm", "cgroup", "cgroup2",
        "devpts", "mqueue", "lxcfs", "ramfs", "efivarfs",
    ]

    static func isPseudo(filesystem: String, type: String?, mountPoint: String) -> Bool {
        if let type, types.contains(type) { return true }
        if sources.contains(filesystem) { return true }
        // Snap packages are squashfs images on loop devices; without -T only the mount point
        // gives them away.
        if filesystem.hasPrefix("/dev/loop"),
           mountPoint.hasPrefix("/snap/") || mountPoint.hasPrefix("/var/lib/snapd/") {
            return true
        }
        return false
    }
}
