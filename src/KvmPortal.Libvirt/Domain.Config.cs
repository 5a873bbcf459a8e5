using KvmPortal.Libvirt.Interop;

namespace KvmPortal.Libvirt;

/// <summary>Changing a domain: vCPUs, memory, devices, name, metadata, managed save.</summary>
public sealed partial class Domain
{
    /// <summary>Sets the number of vCPUs (virDomainSetVcpusFlags): live, in the config, or the maximum.</summary>
    public void SetVcpus(uint count, DomainVcpuFlags flags = DomainVcpuFlags.Current) =>
        Check(NativeMethods.virDomainSetVcpusFlags(_handle, count, (uint)flags));

    /// <summary>The number of vCPUs (virDomainGetVcpusFlags), e.g. the configured maximum with Config | Maximum.</summary>
    public int GetVcpusCount(DomainVcpuFlags flags = DomainVcpuFlags.Current) =>
        Check(NativeMethods.virDomainGetVcpusFlags(_handle, (uint)flags));

    /// <summary>Sets the memory in KiB (virDomainSetMemoryFlags): the balloon target live, or in the config.</summary>
    public void SetMemory(ulong kib, DomainMemoryFlags flags = DomainMemoryFlags.Current) =>
        Check(NativeMethods.virDomainSetMemoryFlags(_handle, kib, (uint)flags));

    /// <summary>The maximum memory in KiB.</summary>
    public ulong GetMaxMemory()
    {
        ulong kib = NativeMethods.virDomainGetMaxMemory(_handle);
        return kib == 0 ? throw LibvirtException.FromLastError() : kib;
    }

    public void AttachDevice(string xml, DomainDeviceModifyFlags flags = DomainDeviceModifyFlags.Current) =>
        Check(NativeMethods.virDomainAttachDeviceFlags(_handle, xml, (uint)flags));

    /// <summary>
    /// Detaches a device. Live detach of some devices (disks, NICs) only asks the guest; the device is gone when
    /// the guest agrees (a VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED event).
    /// </summary>
    public void DetachDevice(string xml, DomainDeviceModifyFlags flags = DomainDeviceModifyFlags.Current) =>
        Check(NativeMethods.virDomainDetachDeviceFlags(_handle, xml, (uint)flags));

    /// <summary>Changes a device in place, e.g. the media of a CD-ROM.</summary>
    public void UpdateDevice(string xml, DomainDeviceModifyFlags flags = DomainDeviceModifyFlags.Current) =>
        Check(NativeMethods.virDomainUpdateDeviceFlags(_handle, xml, (uint)flags));

    /// <summary>Renames an inactive domain.</summary>
    public void Rename(string newName) => Check(NativeMethods.virDomainRename(_handle, newName, 0));

    /// <summary>Saves the running domain's state to a file libvirt manages and stops it; the next start restores it.</summary>
    public void ManagedSave(DomainSaveFlags flags = DomainSaveFlags.None) =>
        Check(NativeMethods.virDomainManagedSave(_handle, (uint)flags));

    public bool HasManagedSaveImage() => Check(NativeMethods.virDomainHasManagedSaveImage(_handle, 0)) == 1;

    public void ManagedSaveRemove() => Check(NativeMethods.virDomainManagedSaveRemove(_handle, 0));

    /// <summary>Sets (or with null removes) the title or description.</summary>
    public void SetMetadata(DomainMetadataType type, string? value, DomainModificationImpact flags = DomainModificationImpact.Current)
    {
        if (type == DomainMetadataType.Element)
        {
            throw new ArgumentException("Only the title and description are supported.", nameof(type));
        }
        Check(NativeMethods.virDomainSetMetadata(_handle, (int)type, value, null, null, (uint)flags));
    }

    /// <summary>The title or description; null when there is none.</summary>
    public string? GetMetadata(DomainMetadataType type, DomainModificationImpact flags = DomainModificationImpact.Current)
    {
        if (type == DomainMetadataType.Element)
        {
            throw new ArgumentException("Only the title and description are supported.", nameof(type));
        }
        string? value = NativeMethods.virDomainGetMetadata(_handle, (int)type, null, (uint)flags);
        if (value is null)
        {
            var error = LibvirtException.FromLastError();
            return error.ErrorCode == ErrorCode.NoDomainMetadata ? null : throw error;
        }
        return value;
    }

    /// <summary>
    /// Sets (or with null <paramref name="xml"/> removes) the application element of namespace <paramref name="uri"/>
    /// in the domain's &lt;metadata&gt;, written with the prefix <paramref name="key"/>.
    /// </summary>
    public void SetElementMetadata(string? xml, string key, string uri, DomainModificationImpact flags = DomainModificationImpact.Current) =>
        Check(NativeMethods.virDomainSetMetadata(_handle, (int)DomainMetadataType.Element, xml, xml is null ? null : key, uri, (uint)flags));

    /// <summary>The application element of namespace <paramref name="uri"/>; null when the domain has none.</summary>
    public string? GetElementMetadata(string uri, DomainModificationImpact flags = DomainModificationImpact.Current)
    {
        string? value = NativeMethods.virDomainGetMetadata(_handle, (int)DomainMetadataType.Element, uri, (uint)flags);
        if (value is null)
        {
            var error = LibvirtException.FromLastError();
            return error.ErrorCode == ErrorCode.NoDomainMetadata ? null : throw error;
        }
        return value;
    }
}
