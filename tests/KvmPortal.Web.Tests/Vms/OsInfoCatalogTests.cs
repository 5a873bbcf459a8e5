using System.Xml.Linq;
using KvmPortal.Web.Vms.OsVariants;

namespace KvmPortal.Web.Tests.Vms;

public sealed class OsInfoCatalogTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "kvmportal-osinfo-" + Guid.NewGuid().ToString("N"));

    private const string Debian10 = """
        <libosinfo version="0.0.1">
          <os id="http://debian.org/debian/10">
            <short-id>debian10</short-id>
            <name>Debian 10</name>
            <name xml:lang="de">Debian Zehn</name>
            <version>10</version>
            <resources arch="all">
              <minimum><n-cpus>1</n-cpus><ram>134217728</ram><storage>1073741824</storage></minimum>
              <recommended><ram>536870912</ram><storage>10737418240</storage></recommended>
            </resources>
            <resources arch="x86_64">
              <recommended><n-cpus>2</n-cpus><ram>1073741824</ram></recommended>
            </resources>
            <devices><device id="http://pcisig.com/pci/1af4/1000"/></devices>
            <variant id="netinst"><name>Debian 10 netinst</name></variant>
          </os>
        </libosinfo>
        """;

    private const string Debian11 = """
        <libosinfo version="0.0.1">
          <os id="http://debian.org/debian/11">
            <short-id>debian11</short-id>
            <name>Debian 11</name>
            <version>11</version>
            <derives-from id="http://debian.org/debian/10"/>
            <devices><device id="http://pcisig.com/pci/1af4/1050"/></devices>
          </os>
        </libosinfo>
        """;

    private const string MsDos = """
        <libosinfo version="0.0.1">
          <os id="http://microsoft.com/msdos/6.22">
            <short-id>msdos6.22</short-id>
            <name>MS-DOS 6.22</name>
            <resources arch="i686"><minimum><ram>4194304</ram></minimum></resources>
          </os>
        </libosinfo>
        """;

    [Fact]
    public void Reads_ids_names_resources_and_virtio_support()
    {
        var variants = OsInfoCatalog.FromDocuments([XDocument.Parse(Debian10), XDocument.Parse(MsDos)]);

        Assert.Equal(["Generic", "Debian 10", "MS-DOS 6.22"], variants.Select(v => v.Name));
        var debian = variants[1];
        Assert.Equal("http://debian.org/debian/10", debian.Id);
        Assert.Equal("debian10", debian.ShortId);
        Assert.Equal("10", debian.Version);
        // x86_64 resources win over "all"; what x86_64 does not say comes from "all".
        Assert.Equal(1UL << 30, debian.RecommendedRamBytes);
        Assert.Equal(128UL << 20, debian.MinimumRamBytes);
        Assert.Equal(2, debian.RecommendedCpus);
        Assert.Equal(10UL << 30, debian.RecommendedStorageBytes);
        Assert.True(debian.SupportsVirtio);

        var dos = variants[2];
        Assert.False(dos.SupportsVirtio);
        Assert.Null(dos.RecommendedRamBytes); // i686-only resources do not apply to x86_64 guests
    }

    [Fact]
    public void Virtio_support_is_inherited_through_derives_from()
    {
        var variants = OsInfoCatalog.FromDocuments([XDocument.Parse(Debian11), XDocument.Parse(Debian10)]);

        Assert.True(variants.Single(v => v.ShortId == "debian11").SupportsVirtio);
    }

    [Fact]
    public void Loads_a_folder_tree_once_and_skips_broken_files()
    {
        Directory.CreateDirectory(Path.Combine(directory, "debian.org"));
        File.WriteAllText(Path.Combine(directory, "debian.org", "debian-10.xml"), Debian10);
        File.WriteAllText(Path.Combine(directory, "debian.org", "debian-11.xml"), Debian11);
        File.WriteAllText(Path.Combine(directory, "broken.xml"), "<libosinfo><os id=");
        var catalog = new OsInfoCatalog(directory);

        Assert.Equal(3, catalog.Variants.Count);
        Assert.Same(catalog.Variants, catalog.Variants);
        Assert.Equal("Debian 11", catalog.Find("http://debian.org/debian/11")?.Name);
        Assert.Same(OsVariant.Generic, catalog.Find(null));
        Assert.Equal(["Debian 10", "Debian 11"], catalog.Search("debian").Select(v => v.Name));
        Assert.Equal(["Debian 11"], catalog.Search("DEBIAN11").Select(v => v.Name));
    }

    [Fact]
    public void Without_osinfo_db_only_generic_is_offered()
    {
        var catalog = new OsInfoCatalog(Path.Combine(directory, "missing"));

        Assert.Equal([OsVariant.Generic], catalog.Variants);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }
}
