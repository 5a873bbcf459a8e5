using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Ownership;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>The owner tag in a real domain's metadata on qemu:///system (kvmportal-test-* domains, always removed).</summary>
public sealed class VmOwnerTagsTests : IAsyncLifetime
{
    private readonly HypervisorHarness hypervisor = new();
    private readonly Connection connection = TestDomains.OpenSystem();
    private readonly string name = TestDomains.NewName();
    private VmKey vm;

    public async Task InitializeAsync()
    {
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        using var domain = connection.DefineDomain(TestDomains.TinyDomainXml(name));
        vm = new VmKey(host.Id, domain.Uuid);
    }

    public async Task DisposeAsync()
    {
        TestDomains.Remove(connection, name);
        connection.Dispose();
        await hypervisor.DisposeAsync();
    }

    [Fact]
    public async Task The_tag_round_trips_through_the_persistent_definition_in_our_namespace()
    {
        var tag = new VmOwnerTag(Guid.NewGuid(), "Web <team> & co");

        await hypervisor.OwnerTags.SetAsync(vm, tag);

        Assert.Equal(tag, await hypervisor.OwnerTags.GetAsync(vm));
        using var domain = connection.LookupDomainByName(name);
        var owner = XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive)).Element("metadata")!
            .Element(XName.Get("owner", VmOwnerTags.Namespace));
        Assert.NotNull(owner);
        Assert.Equal(tag.TeamId.ToString(), (string?)owner.Attribute("team"));
    }

    [Fact]
    public async Task A_running_vm_gets_the_tag_live_and_in_its_definition_and_it_can_be_removed()
    {
        using (var domain = connection.LookupDomainByName(name))
            domain.Create();
        var tag = new VmOwnerTag(Guid.NewGuid(), "ops");

        await hypervisor.OwnerTags.SetAsync(vm, tag);
        Assert.Equal(tag, await hypervisor.OwnerTags.GetAsync(vm));
        using (var domain = connection.LookupDomainByName(name))
        {
            domain.Destroy();
            Assert.Equal(tag.TeamId.ToString(),
                (string?)XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive)).Element("metadata")!
                    .Element(XName.Get("owner", VmOwnerTags.Namespace))!.Attribute("team"));
        }

        await hypervisor.OwnerTags.SetAsync(vm, null);

        Assert.Null(await hypervisor.OwnerTags.GetAsync(vm));
    }

    [Fact]
    public async Task A_vm_without_a_tag_has_none_and_an_unknown_vm_is_an_error()
    {
        Assert.Null(await hypervisor.OwnerTags.GetAsync(vm));
        await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.OwnerTags.GetAsync(vm with { Uuid = Guid.NewGuid() }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<owner xmlns='https://kvmportal.dev/xmlns/ownership/1' team='not-a-guid'/>")]
    [InlineData("<owner")]
    public void Missing_or_damaged_tags_read_as_none(string? xml) => Assert.Null(VmOwnerTags.FromXml(xml));
}
