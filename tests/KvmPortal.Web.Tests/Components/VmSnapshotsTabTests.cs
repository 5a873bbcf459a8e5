using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Components.Pages.Vms;

namespace KvmPortal.Web.Tests.Components;

public sealed class VmSnapshotsTabTests : BunitHarness
{
    private static readonly DateTimeOffset Taken = new(2026, 11, 1, 8, 30, 0, TimeSpan.Zero);

    private IRenderedComponent<VmDetail> RenderTab(VmState state = VmState.ShutOff, string waitFor = "[data-testid=snapshot-take]")
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1", state);
        Operations.Details = key => new VmDetails(Inventory.Current.Vms[key], null, null, "kvm", "hvm", "x86_64", "q35", 2UL << 30, false,
            [], [], [], "<domain/>");
        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, vm.HostId).Add(x => x.Uuid, vm.Uuid));
        page.WaitForAssertion(() => page.Find("[data-testid=vm-domain-type]"));
        page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Snapshots")).Click();
        page.WaitForAssertion(() => page.Find(waitFor));
        return page;
    }

    private void AddTree()
    {
        Snapshots.Snapshots.Add(new SnapshotInfo("base", "clean install", Taken, "shutoff", false, false, null, false));
        Snapshots.Snapshots.Add(new SnapshotInfo("patched", null, Taken.AddHours(1), "running", true, false, "base", true));
        Snapshots.Snapshots.Add(new SnapshotInfo("other", null, Taken.AddHours(2), "shutoff", false, true, null, false));
    }

    /// <summary>MudBlazor puts the test id on the input itself or on an element around it, depending on the component.</summary>
    private static AngleSharp.Dom.IElement Input(IRenderedComponent<VmDetail> page, string id) =>
        page.Find($"input[data-testid={id}], textarea[data-testid={id}], [data-testid={id}] input, [data-testid={id}] textarea");

    [Fact]
    public void The_tree_is_indented_by_parent_with_the_current_snapshot_marked()
    {
        AddTree();
        var page = RenderTab();
        page.WaitForAssertion(() => page.Find("[data-testid=snapshot-table]"));

        var rows = page.FindAll("tr[data-snapshot]");
        Assert.Equal(["base", "patched", "other"], rows.Select(r => r.GetAttribute("data-snapshot")));
        Assert.Equal(["0", "1", "0"], rows.Select(r => r.GetAttribute("data-depth")));
        Assert.Contains("current", rows[1].TextContent);
        Assert.Single(page.FindAll("[data-testid=snapshot-current]"));
        Assert.Contains("clean install", rows[0].TextContent);
        Assert.Contains("2026-11-01 08:30:00 UTC", rows[0].TextContent);
        Assert.Contains("external", rows[2].TextContent);
    }

    [Fact]
    public void A_viewer_sees_the_tree_without_the_buttons_that_change_it()
    {
        Permissions.View = new KvmPortal.Web.Access.AccessView(
            [new KvmPortal.Web.Access.RoleGrant(KvmPortal.Web.Access.PortalRole.Viewer, null)], new Dictionary<VmKey, Guid>());
        AddTree();
        var page = RenderTab(waitFor: "[data-testid=snapshot-table]");

        Assert.Equal(3, page.FindAll("tr[data-snapshot]").Count);
        Assert.Empty(page.FindAll("[data-testid=snapshot-take]"));
        Assert.Empty(page.FindAll("[data-testid=snapshot-revert], [data-testid=snapshot-delete], [data-testid=snapshot-describe]"));
    }

    [Fact]
    public void A_vm_without_snapshots_says_so()
    {
        var page = RenderTab();
        page.WaitForAssertion(() => page.Find("[data-testid=snapshots-empty]"));
    }

    [Fact]
    public void Taking_a_snapshot_sends_the_form_and_shows_the_new_row()
    {
        var page = RenderTab(VmState.ShutOff);
        page.Find("[data-testid=snapshot-take]").Click();
        Input(page, "snapshot-name").Change("before-upgrade");
        Input(page, "snapshot-description").Change("kernel 6.1");
        Input(page, "snapshot-kind-external").Click();
        page.Find("[data-testid=snapshot-confirm]").Click();

        page.WaitForAssertion(() => Assert.Equal(["Create before-upgrade 'kernel 6.1' ExternalDiskOnly memory=False"], Snapshots.Calls));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-snapshot=before-upgrade]")));
        Assert.Empty(page.FindAll("[data-testid=snapshot-form]"));
    }

    [Fact]
    public void On_a_running_vm_an_internal_snapshot_includes_the_memory_and_an_external_one_does_not()
    {
        var page = RenderTab(VmState.Running);
        page.Find("[data-testid=snapshot-take]").Click();
        Assert.True(Input(page, "snapshot-memory").HasAttribute("checked"));
        Input(page, "snapshot-kind-external").Click();
        Assert.False(Input(page, "snapshot-memory").HasAttribute("checked"));
        Input(page, "snapshot-name").Change("disks");
        page.Find("[data-testid=snapshot-confirm]").Click();
        page.WaitForAssertion(() => Assert.Equal(["Create disks '' ExternalDiskOnly memory=False"], Snapshots.Calls));
    }

    [Fact]
    public void A_refusal_keeps_the_form_open_with_the_translated_reason()
    {
        var page = RenderTab();
        Snapshots.Failure = new HypervisorException("Disk vda is raw: internal snapshots need qcow2 disks.")
        {
            Kind = HypervisorErrorKind.SnapshotDiskFormat,
            Arguments = ["vda", "raw"],
        };
        page.Find("[data-testid=snapshot-take]").Click();
        page.Find("[data-testid=snapshot-confirm]").Click();

        page.WaitForAssertion(() => Assert.Equal(
            "Taking a snapshot of web1: disk vda is raw; internal snapshots need qcow2 disks. Take an external disk-only snapshot instead.",
            page.Find("[data-testid=snapshot-error]").TextContent.Trim()));
        Assert.Single(page.FindAll("[data-testid=snapshot-form]"));
        Assert.Empty(Snapshots.Calls);
    }

    [Fact]
    public void Revert_warns_that_unsaved_state_is_lost_and_sends_the_chosen_start()
    {
        AddTree();
        var page = RenderTab(VmState.Running);
        page.WaitForAssertion(() => page.Find("tr[data-snapshot=base] [data-testid=snapshot-revert]"));
        page.Find("tr[data-snapshot=base] [data-testid=snapshot-revert]").Click();

        Assert.Contains("is lost", page.Find("[data-testid=snapshot-revert-warning]").TextContent);
        Assert.Empty(Snapshots.Calls);
        Input(page, "snapshot-revert-paused").Click();
        page.Find("[data-testid=snapshot-confirm]").Click();
        page.WaitForAssertion(() => Assert.Equal(["Revert base Paused"], Snapshots.Calls));
    }

    [Fact]
    public void Delete_offers_the_children_only_for_a_snapshot_that_has_some()
    {
        AddTree();
        var page = RenderTab();
        page.WaitForAssertion(() => page.Find("tr[data-snapshot=other] [data-testid=snapshot-delete]"));
        page.Find("tr[data-snapshot=other] [data-testid=snapshot-delete]").Click();
        Assert.Empty(page.FindAll("[data-testid=snapshot-delete-children]"));
        page.Find("[data-testid=snapshot-cancel]").Click();

        page.Find("tr[data-snapshot=base] [data-testid=snapshot-delete]").Click();
        Input(page, "snapshot-delete-children").Change(true);
        page.Find("[data-testid=snapshot-confirm]").Click();
        page.WaitForAssertion(() => Assert.Equal(["Delete base children=True"], Snapshots.Calls));
    }

    [Fact]
    public void Editing_a_description_starts_from_the_current_one()
    {
        AddTree();
        var page = RenderTab();
        page.WaitForAssertion(() => page.Find("tr[data-snapshot=base] [data-testid=snapshot-describe]"));
        page.Find("tr[data-snapshot=base] [data-testid=snapshot-describe]").Click();
        var field = Input(page, "snapshot-edited-description");
        Assert.Equal("clean install", field.GetAttribute("value") ?? field.TextContent);
        field.Change("golden image");
        page.Find("[data-testid=snapshot-confirm]").Click();
        page.WaitForAssertion(() => Assert.Equal(["Describe base 'golden image'"], Snapshots.Calls));
    }
}
