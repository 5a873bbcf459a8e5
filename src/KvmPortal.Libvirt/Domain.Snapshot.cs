using System.Runtime.InteropServices;
using KvmPortal.Libvirt.Interop;

namespace KvmPortal.Libvirt;

/// <summary>A domain's snapshots.</summary>
public sealed unsafe partial class Domain
{
    /// <summary>Creates a snapshot from its XML (virDomainSnapshotCreateXML), or with Redefine changes one's metadata.</summary>
    public DomainSnapshot CreateSnapshot(string xml, SnapshotCreateFlags flags = SnapshotCreateFlags.None) =>
        DomainSnapshot.Wrap(NativeMethods.virDomainSnapshotCreateXML(_handle, xml, (uint)flags));

    public IReadOnlyList<DomainSnapshot> ListAllSnapshots(SnapshotListFlags flags = SnapshotListFlags.None)
    {
        int count = NativeMethods.virDomainListAllSnapshots(_handle, out nint array, (uint)flags);
        if (count < 0)
        {
            throw LibvirtException.FromLastError();
        }
        try
        {
            var snapshots = new List<DomainSnapshot>(count);
            for (int i = 0; i < count; i++)
            {
                snapshots.Add(DomainSnapshot.FromOwned(((nint*)array)[i]));
            }
            return snapshots;
        }
        finally
        {
            NativeMemory.Free((void*)array); // malloc'd by libvirt
        }
    }

    /// <summary>The current snapshot (virDomainSnapshotCurrent), or null when the domain has none.</summary>
    public DomainSnapshot? GetCurrentSnapshot() => DomainSnapshot.WrapOrNone(NativeMethods.virDomainSnapshotCurrent(_handle, 0));

    /// <summary>Looks a snapshot up by name; a missing one throws with <see cref="ErrorCode.NoDomainSnapshot"/>.</summary>
    public DomainSnapshot LookupSnapshotByName(string name) =>
        DomainSnapshot.Wrap(NativeMethods.virDomainSnapshotLookupByName(_handle, name, 0));
}
