using System.Xml.Linq;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Create;

/// <summary>Storage volume XML for new volumes, with a backing store for linked clones.</summary>
public static class VolumeXmlBuilder
{
    /// <param name="volume">The volume to create.</param>
    /// <param name="capacityBytes">Its size (for a linked clone without a size: the template's).</param>
    /// <param name="backingPath">The template's path on the host, for a linked clone.</param>
    /// <param name="backingFormat">The template's format, for a linked clone.</param>
    public static string Build(NewVolumeSpec volume, ulong capacityBytes, string? backingPath = null, string? backingFormat = null)
    {
        var element = new XElement("volume",
            new XElement("name", volume.Name),
            new XElement("capacity", new XAttribute("unit", "bytes"), capacityBytes),
            new XElement("allocation", new XAttribute("unit", "bytes"), volume.Preallocation == Preallocation.Full ? capacityBytes : 0),
            new XElement("target", new XElement("format", new XAttribute("type", FormatName(volume.Format)))));
        if (volume.BackingVolume is not null)
        {
            element.Add(new XElement("backingStore",
                new XElement("path", backingPath ?? $"({volume.BackingVolume.Pool}/{volume.BackingVolume.Name})"),
                new XElement("format", new XAttribute("type", backingFormat ?? "qcow2"))));
        }
        return element.ToString();
    }

    /// <summary>The flags for virStorageVolCreateXML: metadata preallocation is a flag, full preallocation the allocation.</summary>
    public static StorageVolumeCreateFlags CreateFlags(NewVolumeSpec volume) =>
        volume.Preallocation == Preallocation.Metadata ? StorageVolumeCreateFlags.PreallocMetadata : StorageVolumeCreateFlags.None;

    public static string FormatName(VolumeFormat format) => format == VolumeFormat.Qcow2 ? "qcow2" : "raw";
}
