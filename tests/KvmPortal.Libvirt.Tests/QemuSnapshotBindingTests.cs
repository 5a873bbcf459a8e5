using System.Xml.Linq;

namespace KvmPortal.Libvirt.Tests;

/// <summary>
/// The snapshot binding on qemu:///system without touching any disk: snapshots redefined from XML (metadata only)
/// on a diskless kvmportal-test-* domain. Taking and reverting real snapshots is tested in the hypervisor tests.
/// </summary>
[Collection(QemuSystemCollection.Name)]
public sealed class QemuSnapshotBindingTests
{
    [Fact]
    public void Redefined_snapshots_are_listed_with_parent_current_metadata_and_deleted_with_children()
    {
        using var connection = QemuSystem.Open();
        using var domain = connection.DefineDomain(DomainXml.TinyQemu(DomainXml.UniqueName("kvmportal-test-snap-")));
        try
        {
            var definition = XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive));
            Assert.Null(domain.GetCurrentSnapshot());
            using (domain.CreateSnapshot(Snapshot("root", null, definition), SnapshotCreateFlags.Redefine)) { }
            using (var child = domain.CreateSnapshot(Snapshot("child", "root", definition), SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current))
                Assert.Equal("child", child.Name);

            var all = domain.ListAllSnapshots(SnapshotListFlags.Topological);
            Assert.Equal(["root", "child"], all.Select(s => s.Name));
            foreach (var snapshot in all) snapshot.Dispose();
            Assert.Equal(["root"], Names(domain.ListAllSnapshots(SnapshotListFlags.Roots)));

            using (var current = domain.GetCurrentSnapshot()) Assert.Equal("child", current?.Name);
            using (var child = domain.LookupSnapshotByName("child"))
            {
                Assert.True(child.IsCurrent);
                Assert.True(child.HasMetadata);
                using var parent = child.GetParent();
                Assert.Equal("root", parent!.Name);
                Assert.Null(parent.GetParent());
                Assert.False(parent.IsCurrent);
                Assert.Equal("child", XElement.Parse(child.GetXmlDescription()).Element("name")!.Value);
            }

            var missing = Assert.Throws<LibvirtException>(() => domain.LookupSnapshotByName("nope"));
            Assert.Equal(ErrorCode.NoDomainSnapshot, missing.ErrorCode);

            using (var root = domain.LookupSnapshotByName("root")) root.Delete(SnapshotDeleteFlags.Children | SnapshotDeleteFlags.MetadataOnly);
            Assert.Empty(domain.ListAllSnapshots());
        }
        finally
        {
            domain.Undefine(UndefineFlags.SnapshotsMetadata);
        }
    }

    private static string Snapshot(string name, string? parent, XElement definition) => new XElement("domainsnapshot",
        new XElement("name", name),
        new XElement("state", "shutoff"),
        parent is null ? null : new XElement("parent", new XElement("name", parent)),
        new XElement("creationTime", parent is null ? 100 : 200),
        new XElement("memory", new XAttribute("snapshot", "no")),
        definition).ToString();

    private static List<string> Names(IReadOnlyList<DomainSnapshot> snapshots)
    {
        var names = snapshots.Select(s => s.Name).ToList();
        foreach (var snapshot in snapshots) snapshot.Dispose();
        return names;
    }
}
