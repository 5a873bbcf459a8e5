using System.Xml.Linq;

namespace KvmPortal.Web.Vms.OsVariants;

/// <summary>
/// An operating system from osinfo-db with the resources it asks for (bytes for RAM and storage). Null values
/// mean osinfo-db does not say.
/// </summary>
public sealed record OsVariant(
    string Id,
    string ShortId,
    string Name,
    string? Version,
    ulong? MinimumRamBytes,
    ulong? RecommendedRamBytes,
    int? RecommendedCpus,
    ulong? RecommendedStorageBytes,
    bool SupportsVirtio)
{
    /// <summary>The "generic" choice that always exists: no osinfo id, modest defaults, virtio devices.</summary>
    public static OsVariant Generic { get; } =
        new("", "generic", "Generic", null, 16UL << 20, 1UL << 30, 1, 10UL << 30, SupportsVirtio: true);

    public bool IsGeneric => Id.Length == 0;
}

/// <summary>
/// The operating systems osinfo-db describes (its XML files under /usr/share/osinfo/os/**), read once on first
/// use. Host-independent data on the dashboard machine. Without osinfo-db only <see cref="OsVariant.Generic"/> exists.
/// </summary>
public sealed class OsInfoCatalog
{
    public const string DefaultDirectory = "/usr/share/osinfo/os";

    // PCI ids of virtio network and block devices (transitional and virtio 1.0), as osinfo-db lists them.
    private static readonly HashSet<string> VirtioDevices =
    [
        "http://pcisig.com/pci/1af4/1000", "http://pcisig.com/pci/1af4/1041",
        "http://pcisig.com/pci/1af4/1001", "http://pcisig.com/pci/1af4/1042",
    ];

    private readonly Lazy<IReadOnlyList<OsVariant>> variants;

    public OsInfoCatalog(string directory = DefaultDirectory) =>
        variants = new Lazy<IReadOnlyList<OsVariant>>(() => Load(directory));

    /// <summary>Generic first, then the osinfo-db entries by name.</summary>
    public IReadOnlyList<OsVariant> Variants => variants.Value;

    public OsVariant? Find(string? id) =>
        string.IsNullOrEmpty(id) ? OsVariant.Generic : Variants.FirstOrDefault(v => v.Id == id);

    /// <summary>Variants whose name, short id or id contains the text, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<OsVariant> Search(string? text, int limit = 50)
    {
        var query = text?.Trim() ?? "";
        return Variants
            .Where(v => query.Length == 0
                        || v.Name.Contains(query, StringComparison.OrdinalIgnoreCase)
                        || v.ShortId.Contains(query, StringComparison.OrdinalIgnoreCase)
                        || v.Id.Contains(query, StringComparison.OrdinalIgnoreCase))
            .Take(limit)
            .ToList();
    }

    private static IReadOnlyList<OsVariant> Load(string directory)
    {
        if (!Directory.Exists(directory))
            return [OsVariant.Generic];
        var entries = new Dictionary<string, RawOs>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.xml", SearchOption.AllDirectories))
        {
            try
            {
                foreach (var os in Parse(XDocument.Load(file)))
                    entries[os.Id] = os;
            }
            catch (System.Xml.XmlException)
            {
                // One broken file must not hide the others.
            }
        }
        return Resolve(entries);
    }

    /// <summary>Reads the OS entries of one osinfo-db XML document (for tests: <see cref="FromDocuments"/>).</summary>
    internal static IEnumerable<RawOs> Parse(XDocument document)
    {
        foreach (var os in document.Descendants("os"))
        {
            var id = (string?)os.Attribute("id");
            // Translated names carry xml:lang; the untranslated one is the English name.
            var name = (string?)os.Elements("name").FirstOrDefault(n => n.Attributes().All(a => a.Name.LocalName != "lang"));
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(name))
                continue;
            var resources = os.Elements("resources")
                .OrderBy(r => (string?)r.Attribute("arch") switch { "x86_64" => 0, "all" => 1, _ => 2 })
                .Where(r => (string?)r.Attribute("arch") is "x86_64" or "all" or null)
                .ToList();
            XElement? Pick(string kind, string what) =>
                resources.Select(r => r.Element(kind)?.Element(what)).FirstOrDefault(e => e is not null);
            var parents = os.Elements("derives-from").Concat(os.Elements("upgrades"))
                .Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
            var devices = os.Elements("devices").Elements("device")
                .Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
            yield return new RawOs(
                id, (string?)os.Element("short-id") ?? id, name, (string?)os.Element("version"),
                Bytes(Pick("minimum", "ram")), Bytes(Pick("recommended", "ram")),
                Number(Pick("recommended", "n-cpus")) ?? Number(Pick("minimum", "n-cpus")),
                Bytes(Pick("recommended", "storage")) ?? Bytes(Pick("minimum", "storage")),
                devices.Any(VirtioDevices.Contains), parents);
        }
    }

    /// <summary>A catalog from documents already in memory (tests).</summary>
    internal static IReadOnlyList<OsVariant> FromDocuments(IEnumerable<XDocument> documents) =>
        Resolve(documents.SelectMany(Parse).GroupBy(o => o.Id).ToDictionary(g => g.Key, g => g.Last()));

    // osinfo-db lists devices once and lets later versions inherit them through derives-from/upgrades.
    private static IReadOnlyList<OsVariant> Resolve(Dictionary<string, RawOs> entries)
    {
        var virtio = new Dictionary<string, bool>();
        bool Virtio(string id, HashSet<string> seen)
        {
            if (virtio.TryGetValue(id, out var known)) return known;
            if (!entries.TryGetValue(id, out var os) || !seen.Add(id)) return false;
            var result = os.OwnVirtio || os.Parents.Any(p => Virtio(p, seen));
            virtio[id] = result;
            return result;
        }

        var list = entries.Values
            .Select(o => new OsVariant(o.Id, o.ShortId, o.Name, o.Version, o.MinimumRam, o.RecommendedRam,
                o.RecommendedCpus, o.RecommendedStorage, Virtio(o.Id, [])))
            .OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        list.Insert(0, OsVariant.Generic);
        return list;
    }

    private static ulong? Bytes(XElement? e) => ulong.TryParse(e?.Value.Trim(), out var v) && v > 0 ? v : null;

    private static int? Number(XElement? e) => int.TryParse(e?.Value.Trim(), out var v) && v > 0 ? v : null;

    internal sealed record RawOs(
        string Id, string ShortId, string Name, string? Version, ulong? MinimumRam, ulong? RecommendedRam,
        int? RecommendedCpus, ulong? RecommendedStorage, bool OwnVirtio, IReadOnlyList<string> Parents);
}
