using System.Xml.Linq;
using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Web.Components.Pages.Storage;
using KvmPortal.Web.Tests.Fakes;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Components;

public sealed class StoragePageTests : BunitHarness
{
    private readonly FakeStorage storage = new();

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<IStorageOperations>(storage);
        services.AddSingleton<IStorageQueries>(storage);
        services.AddSingleton<AntiforgeryStateProvider, FixedAntiforgery>();
    }

    private IRenderedComponent<StoragePage> RenderWithPool(out Guid hostId)
    {
        var host = Inventory.AddHost("lab1");
        hostId = host.Id;
        storage.Pools.Add(new StoragePoolSummary(host.Id, "images", Guid.NewGuid(), "dir", "/var/lib/images", PoolState.Running,
            100UL << 30, 25UL << 30, 75UL << 30, true, true));
        storage.Pools.Add(new StoragePoolSummary(host.Id, "old", Guid.NewGuid(), "dir", "/srv/old", PoolState.Inactive, 0, 0, 0, false, true));
        storage.Volumes.Add(new VolumeDetails("images", "web1.qcow2", "/var/lib/images/web1.qcow2", "qcow2", 10UL << 30, 1UL << 30, null,
            [new VolumeUser("web1", Guid.NewGuid(), true)]));
        var page = Context.Render<StoragePage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("tr[data-pool=images]")));
        return page;
    }

    [Fact]
    public void Pools_show_state_usage_and_volume_count_and_actions_fit_the_state()
    {
        var page = RenderWithPool(out _);
        var row = page.Find("tr[data-pool=images]");
        Assert.Contains("running", row.TextContent);
        Assert.Contains("25.0 GiB of 100.0 GiB used", row.TextContent);
        Assert.Contains("75.0 GiB", row.TextContent);
        Assert.NotNull(row.QuerySelector("[data-testid=pool-stop]"));
        Assert.Null(row.QuerySelector("[data-testid=pool-start]"));
        Assert.NotNull(page.Find("tr[data-pool=old] [data-testid=pool-start]"));

        page.Find("tr[data-pool=old] [data-testid=pool-start]").Click();
        page.WaitForAssertion(() => Assert.Contains("start old", storage.Calls));
    }

    [Fact]
    public void New_pool_form_shows_unavailable_types_with_the_reason_and_the_xml_before_defining()
    {
        storage.Types[(int)PoolType.Rbd] = new PoolTypeSupport(PoolType.Rbd, false, "This host's libvirt was built without the 'rbd' storage backend.");
        var page = RenderWithPool(out _);
        page.Find("[data-testid=pool-new]").Click();
        page.WaitForAssertion(() => Assert.Contains("built without the 'rbd'",
            page.Find("[data-testid=pool-type-unavailable][data-type=rbd]").TextContent));

        Assert.True(page.Find("[data-testid=pool-define]").HasAttribute("disabled"));
        page.Find("input[data-testid=pool-name], [data-testid=pool-name] input").Change("fast");
        page.Find("input[data-testid=pool-TargetPath], [data-testid=pool-TargetPath] input").Change("/srv/fast");
        page.Find("[data-testid=pool-preview]").Click();
        page.WaitForAssertion(() =>
        {
            var xml = XElement.Parse(page.Find("[data-testid=pool-xml]").TextContent);
            Assert.Equal("/srv/fast", xml.Element("target")!.Element("path")!.Value);
        });
        page.Find("[data-testid=pool-define]").Click();
        page.WaitForAssertion(() => Assert.Contains("define fast build=True start=True autostart=True", storage.Calls));
    }

    [Fact]
    public void Invalid_pool_fields_are_marked_and_nothing_is_previewed()
    {
        var page = RenderWithPool(out _);
        page.Find("[data-testid=pool-new]").Click();
        page.Find("input[data-testid=pool-name], [data-testid=pool-name] input").Change("images");
        page.Find("input[data-testid=pool-TargetPath], [data-testid=pool-TargetPath] input").Change("relative/path");
        page.Find("[data-testid=pool-preview]").Click();
        page.WaitForAssertion(() =>
        {
            Assert.Empty(page.FindAll("[data-testid=pool-xml]"));
            Assert.Contains("already exists", page.Markup);
            Assert.Contains("absolute path", page.Markup);
        });
    }

    [Fact]
    public void Deleting_a_volume_asks_first_and_shows_the_in_use_refusal_translated()
    {
        var page = RenderWithPool(out _);
        page.Find("tr[data-pool=images] a").Click();
        page.WaitForAssertion(() => Assert.Contains("web1", page.Find("tr[data-volume='web1.qcow2']").TextContent));

        storage.NextError = new HypervisorException("Delete volume web1.qcow2: volume web1.qcow2 is used by VM web1.")
        {
            Kind = HypervisorErrorKind.VolumeInUse,
            Arguments = ["web1.qcow2", "web1"],
        };
        page.Find("tr[data-volume='web1.qcow2'] [data-testid=volume-delete]").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("web1.qcow2", Dialogs.Find("[data-testid=confirm-message]").TextContent));
        Dialogs.Find("[data-testid=confirm]").Click();
        page.WaitForAssertion(() =>
        {
            Assert.Contains("delete images/web1.qcow2", storage.Calls);
            Assert.Contains("volume web1.qcow2 is used by VM web1", page.Find("[data-testid=storage-error]").TextContent);
        });
    }

    [Fact]
    public void Pool_form_model_builds_the_spec_of_the_chosen_type()
    {
        var form = new PoolFormModel { Type = PoolType.Rbd, Name = " ceph ", Monitors = "mon1:6789, mon2\nmon3", SourceName = "rbd", AuthUser = "libvirt", AuthSecretUuid = "not-a-uuid" };
        var spec = form.ToSpec();
        Assert.Equal("ceph", spec.Name);
        Assert.Equal(["mon1:6789", "mon2", "mon3"], spec.Monitors);
        Assert.Null(spec.AuthSecretUuid);
        Assert.Contains(PoolSpecValidator.Validate(spec, []), p => p.Field == "AuthSecretUuid");
        Assert.False(form.CanBuild);
        Assert.Equal(["Monitors", "SourceName", "AuthUser", "AuthSecretUuid"], PoolFormModel.FieldsOf(PoolType.Rbd));
    }
}
