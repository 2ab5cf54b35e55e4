/// Decides `BlockDeviceMedia` from the columns lsblk gives.
///
/// Rule, first match wins, and why:
/// 1. Partitions, LUKS/LVM/md mappings and other children take their parent's class: their
///    media is the parent's media, and lsblk only prints TRAN on whole disks.
/// 2. rom (optical) → other: neither flash nor platter health applies.
/// 3. loop, ram, zram, nbd, rbd, and iscsi/xen/virtio transports or names (vd*, xvd*) → virtual:
///    there is no local medium to monitor, and ROTA on these is made up by the driver.
/// 4. Known hypervisor disk models (QEMU, VirtualBox, VMware, Hyper-V, iSCSI "VIRTUAL-DISK")
///    → virtual, for the same reason: QEMU reports ROTA=1 for every emulated disk.
/// 5. nvme transport or an nvme* name → nvme (listed separately from ssd because NVMe health
///    comes from a different SMART log).
/// 6. ROTA=1 → hdd.
/// 7. ROTA=0 on a physical transport (sata, ata, sas, scsi, usb, mmc, fc, spi) → ssd. Without a
///    transport we cannot tell a real SSD from a virtual disk that reports ROTA=0.
/// 8. Anything else (columns missing) → other, rather than a guess.
enum BlockDeviceClassifier {
    static let virtualTypes: Set<String> = ["loop", "ram", "zram", "nbd", "rbd"]
    static let virtualTransports: Set<String> = ["iscsi", "virtio", "xen", "nbd"]
    static let virtualNamePrefixes = ["loop", "zram", "ram", "nbd", "rbd", "vd", "xvd"]
    static let virtualModels = ["QEMU", "VBOX", "VIRTUAL", "VMWARE", "VIRTUAL DISK", "MSFT VIRTUAL"]
    static let physicalTransports: Set<String> = ["sata", "ata", "sas", "scsi", "usb", "mmc", "fc", "spi", "ieee1394"]

    static func classify(
        name: String, type: String, transport: String?, rotational: Bool?, model: String?, parent: BlockDeviceMedia?
    ) -> BlockDeviceMedia {
        if let parent { return parent }
        if type == "rom" { return .other }
        if virtualTypes.contains(type) { return .virtual }
        if let transport, virtualTransports.contains(transport) { return .virtual }
        if transport == nil, virtualNamePrefixes.contains(where: { name.hasPrefix($0) }) { return .virtual }
        if let model, virtualModels.contains(where: { model.uppercased().hasPrefix($0) }) { return .virtual }
        if transport == "nvme" || name.hasPrefix("nvme") { return .nvme }
        if rotational == true { return .hdd }
        if rotational == false, let transport, physicalTransports.contains(transport) { return .ssd }
        return .other
    }
}
