using System.Runtime.InteropServices;
using KvmPortal.Libvirt.Interop;

namespace KvmPortal.Libvirt;

/// <summary>A snapshot of a domain (virDomainSnapshotPtr).</summary>
public sealed class DomainSnapshot : IDisposable
{
    private readonly DomainSnapshotHandle _handle;

    private DomainSnapshot(DomainSnapshotHandle handle)
    {
        _handle = handle;
    }

    public string Name
    {
        get
        {
            nint name = NativeMethods.virDomainSnapshotGetName(_handle); // borrowed
            return name == 0 ? throw LibvirtException.FromLastError() : Marshal.PtrToStringUTF8(name)!;
        }
    }

    /// <summary>The parent snapshot; null for a root.</summary>
    public DomainSnapshot? GetParent() => WrapOrNone(NativeMethods.virDomainSnapshotGetParent(_handle, 0));

    /// <summary>The snapshot a call returned, or null when it failed because there is none (VIR_ERR_NO_DOMAIN_SNAPSHOT).</summary>
    internal static DomainSnapshot? WrapOrNone(DomainSnapshotHandle handle)
    {
        if (!handle.IsInvalid) return new DomainSnapshot(handle);
        var error = LibvirtException.FromLastError();
        handle.Dispose();
        return error.ErrorCode == ErrorCode.NoDomainSnapshot ? null : throw error;
    }

    public string GetXmlDescription(SnapshotXmlFlags flags = SnapshotXmlFlags.None) =>
        NativeMethods.virDomainSnapshotGetXMLDesc(_handle, (uint)flags) ?? throw LibvirtException.FromLastError();

    public bool IsCurrent => Check(NativeMethods.virDomainSnapshotIsCurrent(_handle, 0)) == 1;

    /// <summary>Whether libvirt keeps metadata for it (false for snapshots made with NoMetadata).</summary>
    public bool HasMetadata => Check(NativeMethods.virDomainSnapshotHasMetadata(_handle, 0)) == 1;

    /// <summary>Reverts the domain to this snapshot, optionally starting it running or paused.</summary>
    public void Revert(SnapshotRevertFlags flags = SnapshotRevertFlags.None) =>
        Check(NativeMethods.virDomainRevertToSnapshot(_handle, (uint)flags));

    /// <summary>Deletes the snapshot (and with <see cref="SnapshotDeleteFlags.Children"/> its descendants).</summary>
    public void Delete(SnapshotDeleteFlags flags = SnapshotDeleteFlags.None) =>
        Check(NativeMethods.virDomainSnapshotDelete(_handle, (uint)flags));

    public void Dispose() => _handle.Dispose();

    internal static DomainSnapshot Wrap(DomainSnapshotHandle handle)
    {
        if (handle.IsInvalid)
        {
            var error = LibvirtException.FromLastError();
            handle.Dispose();
            throw error;
        }
        return new DomainSnapshot(handle);
    }

    internal static DomainSnapshot FromOwned(nint snapshot) => new(new DomainSnapshotHandle(snapshot));

    private static int Check(int result) => result < 0 ? throw LibvirtException.FromLastError() : result;
}
