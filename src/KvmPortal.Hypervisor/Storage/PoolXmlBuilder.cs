using System.Xml.Linq;

namespace KvmPortal.Hypervisor.Storage;

/// <summary>Storage pool XML from a validated <see cref="PoolSpec"/>, built with System.Xml.Linq.</summary>
public static class PoolXmlBuilder
{
    public static string Build(PoolSpec spec)
    {
        var source = new XElement("source");
        switch (spec.Type)
        {
            case PoolType.Fs:
                source.Add(new XElement("device", new XAttribute("path", spec.SourceDevice!)));
                source.Add(Format(spec.SourceFormat, "auto"));
                break;
            case PoolType.Netfs:
                source.Add(new XElement("host", new XAttribute("name", spec.SourceHost!)));
                source.Add(new XElement("dir", new XAttribute("path", spec.SourcePath!)));
                source.Add(Format(spec.SourceFormat, "nfs"));
                break;
            case PoolType.Logical:
                if (!string.IsNullOrEmpty(spec.SourceDevice)) source.Add(new XElement("device", new XAttribute("path", spec.SourceDevice)));
                source.Add(new XElement("name", spec.SourceName!));
                source.Add(Format(null, "lvm2"));
                break;
            case PoolType.Disk:
                source.Add(new XElement("device", new XAttribute("path", spec.SourceDevice!)));
                source.Add(Format(spec.SourceFormat, "gpt"));
                break;
            case PoolType.Iscsi:
                source.Add(new XElement("host", new XAttribute("name", spec.SourceHost!)));
                source.Add(new XElement("device", new XAttribute("path", spec.SourcePath!)));
                break;
            case PoolType.Rbd:
                foreach (var monitor in spec.Monitors) source.Add(HostElement(monitor));
                source.Add(new XElement("name", spec.SourceName!));
                if (!string.IsNullOrEmpty(spec.AuthUser))
                {
                    source.Add(new XElement("auth", new XAttribute("type", "ceph"), new XAttribute("username", spec.AuthUser),
                        new XElement("secret", new XAttribute("uuid", spec.AuthSecretUuid!.Value.ToString("D")))));
                }
                break;
            case PoolType.Gluster:
                source.Add(new XElement("host", new XAttribute("name", spec.SourceHost!)));
                source.Add(new XElement("name", spec.SourceName!));
                source.Add(new XElement("dir", new XAttribute("path", string.IsNullOrEmpty(spec.SourcePath) ? "/" : spec.SourcePath)));
                break;
        }

        var pool = new XElement("pool", new XAttribute("type", PoolTypes.LibvirtName(spec.Type)), new XElement("name", spec.Name));
        if (source.HasElements) pool.Add(source);
        var target = TargetPath(spec);
        if (target is not null) pool.Add(new XElement("target", new XElement("path", target)));
        return pool.ToString();
    }

    /// <summary>The target path the pool gets: the given one, or the type's usual default.</summary>
    public static string? TargetPath(PoolSpec spec) => spec.Type switch
    {
        PoolType.Dir or PoolType.Fs or PoolType.Netfs => spec.TargetPath,
        PoolType.Logical => string.IsNullOrEmpty(spec.TargetPath) ? "/dev/" + spec.SourceName : spec.TargetPath,
        PoolType.Disk => string.IsNullOrEmpty(spec.TargetPath) ? "/dev" : spec.TargetPath,
        PoolType.Iscsi => string.IsNullOrEmpty(spec.TargetPath) ? "/dev/disk/by-path" : spec.TargetPath,
        _ => null, // rbd and gluster are network pools without a local target
    };

    private static XElement Format(string? given, string fallback) =>
        new("format", new XAttribute("type", string.IsNullOrWhiteSpace(given) ? fallback : given));

    private static XElement HostElement(string monitor)
    {
        var colon = monitor.LastIndexOf(':');
        if (colon > 0 && !monitor.EndsWith(']') && int.TryParse(monitor[(colon + 1)..], out var port) && monitor.Count(c => c == ':') == 1)
            return new XElement("host", new XAttribute("name", monitor[..colon]), new XAttribute("port", port));
        return new XElement("host", new XAttribute("name", monitor));
    }
}
