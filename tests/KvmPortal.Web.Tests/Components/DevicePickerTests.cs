using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Components.Pages.Vms.Create;
using KvmPortal.Web.Components.Pages.Vms.Edit;
using KvmPortal.Web.Tests.Components.Networks;
using KvmPortal.Web.Tests.Vms;
using MudBlazor;

namespace KvmPortal.Web.Tests.Components;

/// <summary>The NIC source pickers (wizard and Devices tab) and the Devices tab's CD-ROM media picker.</summary>
public sealed class DevicePickerTests : BunitHarness
{
    private static IRenderedComponent<MudSelect<string>> Select(IEnumerable<IRenderedComponent<MudSelect<string>>> selects, string testId) =>
        selects.Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), testId));

    private static IReadOnlyList<string> Items(IRenderedComponent<MudSelect<string>> select) =>
        select.FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value!).Distinct().ToList();

    private static async Task<IEnumerable<string>> Offered(MudAutocomplete<string> picker, string text) =>
        picker.SearchFunc?.Invoke(text, CancellationToken.None) is { } search ? await search ?? [] : [];

    private IRenderedComponent<CreateVm> WizardOnNetworkStep(out HostInfo host)
    {
        host = CreateVmViewModelTests.Host("alpha", kvm: false);
        var other = CreateVmViewModelTests.Host("beta", kvm: false);
        Storage.AddPool(host.Id, "default");
        Inventory.Push(new HostChanged(host), new HostChanged(other),
            new NetworkChanged(NetworkTestData.Nat(host, "lab", "192.168.150.1/24", active: false)),
            new NetworkChanged(NetworkTestData.Nat(host, "default", "192.168.122.1/24")),
            new NetworkChanged(NetworkTestData.Nat(other, "beta-only", "192.168.160.1/24")));
        var page = Context.Render<CreateVm>();
        page.WaitForAssertion(() => Assert.Contains("8 CPUs", page.Find("[data-testid=wizard-host-resources]").TextContent));
        page.Find("input[data-testid=wizard-name], [data-testid=wizard-name] input").Input("web1");
        page.Find("[data-testid=wizard-step-network]").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=wizard-nic]"));
        return page;
    }

    [Fact]
    public void The_wizard_lists_only_the_chosen_hosts_networks_and_starts_on_default()
    {
        var page = WizardOnNetworkStep(out _);

        var select = Select(page.FindComponents<MudSelect<string>>(), "wizard-nic-0-network");
        Assert.Equal(["default", "lab"], Items(select));
        Assert.Empty(page.FindAll("[data-testid=wizard-nic-0-inactive]"));
        page.Find("[data-testid=wizard-step-review]").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=wizard-create]"));
        page.Find("[data-testid=wizard-create]").Click();
        page.WaitForAssertion(() => Assert.Equal("default", Assert.Single(Assert.Single(Provisioning.Created).Nics).Source));
    }

    [Fact]
    public void Choosing_an_inactive_network_warns_and_the_spec_uses_it()
    {
        var page = WizardOnNetworkStep(out _);

        var select = Select(page.FindComponents<MudSelect<string>>(), "wizard-nic-0-network");
        page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync("lab"));

        page.WaitForAssertion(() => Assert.Contains("\"lab\" is not running", page.Find("[data-testid=wizard-nic-0-inactive]").TextContent));
        page.Find("[data-testid=wizard-step-review]").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=wizard-create]"));
        page.Find("[data-testid=wizard-create]").Click();
        page.WaitForAssertion(() => Assert.Equal("lab", Assert.Single(Assert.Single(Provisioning.Created).Nics).Source));
    }

    [Fact]
    public void A_network_on_a_host_without_default_starts_on_its_first_active_network()
    {
        var host = CreateVmViewModelTests.Host("gamma");
        var options = new NicSourceOptions(Networks);
        var snapshot = InventorySnapshot.Empty.Apply([new HostChanged(host),
            new NetworkChanged(NetworkTestData.Nat(host, "a-down", active: false)),
            new NetworkChanged(NetworkTestData.Nat(host, "b-up", "192.168.170.1/24"))]);

        options.ShowNetworks(snapshot, host.Id);

        Assert.Equal("b-up", options.DefaultNetwork);
        Assert.True(options.IsInactive("a-down"));
        Assert.False(options.IsInactive("b-up"));
        Assert.True(options.IsUnknownNetwork("default"));
    }

    private (IRenderedComponent<VmDevicesTab> Tab, VmEditViewModel Model) RenderDevicesTab(Action<Guid>? onHost = null, params DiskInfo[] disks)
    {
        var host = Inventory.AddHost("alpha");
        onHost?.Invoke(host.Id);
        var vm = Inventory.AddVm(host, "web1", VmState.ShutOff);
        var details = new VmDetails(vm, null, null, "kvm", "hvm", "x86_64", "q35", 2UL << 30, false, disks, [], [], "<domain/>");
        var model = new VmEditViewModel(Editing, vm.Key);
        var tab = Context.Render<VmDevicesTab>(p => p.Add(x => x.Model, model).Add(x => x.Details, details));
        return (tab, model);
    }

    [Fact]
    public async Task The_bridge_picker_lists_the_hosts_bridges_and_a_typed_name_reaches_the_attach_call()
    {
        Networks.Interfaces.Add(new HostInterfaceInfo("br0", "bridge", "52:54:00:aa:bb:cc", true, [], ["eth0"]));
        Networks.Interfaces.Add(new HostInterfaceInfo("eth0", "ethernet", "52:54:00:aa:bb:cd", true, [], []));
        Networks.Interfaces.Add(new HostInterfaceInfo("br-lab", "bridge", null, false, [], []));
        var (tab, model) = RenderDevicesTab();

        await tab.InvokeAsync(() => tab.FindComponent<EnumSelect<NicSourceKind>>().Instance.ValueChanged.InvokeAsync(NicSourceKind.Bridge));
        tab.WaitForAssertion(() => tab.Find("[data-testid=edit-nic-bridge]"));
        Assert.Equal("br-lab", model.NewNicSource);
        var bridges = tab.FindComponent<MudAutocomplete<string>>().Instance;
        Assert.Equal(["br-lab", "br0"], await Offered(bridges, ""));
        Assert.Equal(["br0"], await Offered(bridges, "r0"));

        var input = tab.Find("[data-testid=edit-nic-bridge] input, input[data-testid=edit-nic-bridge]");
        input.Input("br-typed");
        input.Blur();
        tab.WaitForAssertion(() => Assert.Equal("br-typed", model.NewNicSource));
        tab.Find("[data-testid=edit-attach-nic]").Click();

        tab.WaitForAssertion(() => Assert.Equal(["AttachNic Bridge br-typed Config"], Editing.Calls));
    }

    [Fact]
    public void When_the_bridges_cannot_be_listed_the_name_can_still_be_typed()
    {
        Networks.Failure = new HypervisorException("Could not list the interfaces of alpha.");
        var (tab, model) = RenderDevicesTab();

        tab.InvokeAsync(() => tab.FindComponent<EnumSelect<NicSourceKind>>().Instance.ValueChanged.InvokeAsync(NicSourceKind.Bridge));

        tab.WaitForAssertion(() => Assert.Contains("Could not list the interfaces", tab.Find("[data-testid=edit-nic-bridges-error]").TextContent));
        Assert.Equal("", model.NewNicSource);
        Assert.True(tab.Find("[data-testid=edit-attach-nic]").HasAttribute("disabled"));
    }

    [Fact]
    public void The_media_picker_offers_the_pools_iso_volumes_and_inserts_the_chosen_one()
    {
        var (tab, _) = RenderDevicesTab(hostId =>
        {
            Storage.AddPool(hostId, "default");
            Storage.AddPool(hostId, "isos");
            Storage.AddVolume(hostId, "default", "web1.qcow2");
            Storage.AddVolume(hostId, "default", "debian-12.iso", "iso");
            Storage.AddVolume(hostId, "default", "alpine.ISO", "raw");
            Storage.AddVolume(hostId, "isos", "fedora.iso", "iso");
        }, new DiskInfo("cdrom", "sata", "sda", null, null, true));

        tab.WaitForAssertion(() => Assert.Equal(["debian-12.iso", "alpine.ISO"], Items(Select(tab.FindComponents<MudSelect<string>>(), "edit-media-volume"))));
        Assert.True(tab.Find("[data-testid=edit-insert-sda]").HasAttribute("disabled"));

        tab.InvokeAsync(() => Select(tab.FindComponents<MudSelect<string>>(), "edit-media-volume").Instance.ValueChanged.InvokeAsync("debian-12.iso"));
        tab.WaitForAssertion(() => Assert.False(tab.Find("[data-testid=edit-insert-sda]").HasAttribute("disabled")));
        tab.Find("[data-testid=edit-insert-sda]").Click();

        tab.WaitForAssertion(() => Assert.Equal(["ChangeMedia sda debian-12.iso Config"], Editing.Calls));
    }

    [Fact]
    public void An_existing_volume_is_attached_from_the_pool_picker_and_a_new_disk_starts_on_a_pool_the_host_has()
    {
        var (tab, model) = RenderDevicesTab(hostId =>
        {
            Storage.AddPool(hostId, "images");
            Storage.AddVolume(hostId, "images", "data.qcow2");
        });
        Assert.Equal("images", model.NewDiskPool);

        tab.InvokeAsync(() => tab.FindComponent<MudRadioGroup<bool>>().Instance.ValueChanged.InvokeAsync(false));
        tab.WaitForAssertion(() => Assert.Equal(["data.qcow2"], Items(Select(tab.FindComponents<MudSelect<string>>(), "edit-disk-volume"))));
        tab.InvokeAsync(() => Select(tab.FindComponents<MudSelect<string>>(), "edit-disk-volume").Instance.ValueChanged.InvokeAsync("data.qcow2"));
        tab.Find("[data-testid=edit-attach-disk]").Click();

        tab.WaitForAssertion(() => Assert.Equal(["AttachDisk data.qcow2 Disk Config"], Editing.Calls));
    }

    [Fact]
    public void When_the_pools_cannot_be_listed_the_tab_says_why()
    {
        Storage.Failure = new HypervisorException("Could not list the storage pools of alpha.");
        var (tab, _) = RenderDevicesTab(disks: new DiskInfo("cdrom", "sata", "sda", null, null, true));

        tab.WaitForAssertion(() => Assert.Contains("Could not list the storage pools", tab.Find("[data-testid=edit-media-error]").TextContent));
        Assert.True(tab.Find("[data-testid=edit-insert-sda]").HasAttribute("disabled"));
    }
}
