using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Components.Pages.Vms;
using KvmPortal.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace KvmPortal.Web.Tests.Components;

// Not derived from BunitContext: MudBlazor's services are only IAsyncDisposable and xunit 2 disposes test classes
// synchronously, so the context is disposed in IAsyncLifetime.DisposeAsync instead.
public sealed class VmListTests : IAsyncLifetime
{
    private readonly BunitContext ctx = new();
    private readonly FakeInventory inventory = new();
    private readonly RecordingVmOperations operations = new();
    private readonly IRenderedComponent<MudDialogProvider> dialogs;
    private readonly IRenderedComponent<MudSnackbarProvider> snackbars;

    public VmListTests()
    {
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddSingleton<IInventory>(inventory);
        ctx.Services.AddSingleton<IVmOperations>(operations);
        ctx.Services.AddSingleton(TimeProvider.System);

        ctx.Render<MudPopoverProvider>();
        dialogs = ctx.Render<MudDialogProvider>();
        snackbars = ctx.Render<MudSnackbarProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ctx.DisposeAsync();

    private static string StateOf(IRenderedComponent<VmList> list, string vm) =>
        list.Find($"tr[data-vm='{vm}'] [data-testid=vm-state]").TextContent.Trim();

    [Fact]
    public void Rows_come_from_the_snapshot_with_host_names()
    {
        var host = inventory.AddHost("alpha");
        inventory.AddVm(host, "web1");
        inventory.AddVm(host, "db1", VmState.ShutOff);

        var list = ctx.Render<VmList>();

        Assert.Equal(["db1", "web1"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
        Assert.Equal("running", StateOf(list, "web1"));
        Assert.Equal("shut off", StateOf(list, "db1"));
        Assert.Contains("alpha", list.Find("tr[data-vm='web1']").TextContent);
        Assert.Equal("12.5 %", list.Find("tr[data-vm='web1'] [data-testid=vm-cpu]").TextContent.Trim());
    }

    [Fact]
    public void A_pushed_change_updates_the_state_chip()
    {
        var host = inventory.AddHost("alpha");
        var vm = inventory.AddVm(host, "web1");
        var list = ctx.Render<VmList>();
        Assert.Equal("running", StateOf(list, "web1"));

        inventory.Push(new VmChanged(vm with { State = VmState.Paused, CpuPercent = null, RunningSince = null }));

        list.WaitForAssertion(() => Assert.Equal("paused", StateOf(list, "web1")));
        Assert.False(list.Find("tr[data-vm='web1'] [data-testid=vm-action-resume]").HasAttribute("disabled"));
        Assert.True(list.Find("tr[data-vm='web1'] [data-testid=vm-action-pause]").HasAttribute("disabled"));
    }

    [Fact]
    public void New_and_removed_vms_appear_and_disappear()
    {
        var host = inventory.AddHost("alpha");
        var vm = inventory.AddVm(host, "web1");
        var list = ctx.Render<VmList>();

        inventory.AddVm(host, "web2");
        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll("tr[data-vm]").Count));

        inventory.Push(new VmRemoved(vm.Key));
        list.WaitForAssertion(() => Assert.Equal(["web2"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm"))));
    }

    [Fact]
    public void Search_filters_by_name_or_host_ignoring_case()
    {
        var alpha = inventory.AddHost("alpha");
        var beta = inventory.AddHost("beta");
        inventory.AddVm(alpha, "web1");
        inventory.AddVm(beta, "db1");
        var list = ctx.Render<VmList>();

        list.Find("input[data-testid=vm-search], [data-testid=vm-search] input").Input("WEB");
        list.WaitForAssertion(() => Assert.Equal(["web1"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm"))));

        list.Find("input[data-testid=vm-search], [data-testid=vm-search] input").Input("Beta");
        list.WaitForAssertion(() => Assert.Equal(["db1"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm"))));
    }

    [Fact]
    public void Clicking_a_column_header_sorts_and_clicking_again_reverses()
    {
        var host = inventory.AddHost("alpha");
        inventory.AddVm(host, "a-small");
        var big = inventory.AddVm(host, "b-big");
        inventory.Push(new VmChanged(big with { MemoryBytes = 8UL << 30 }));
        var list = ctx.Render<VmList>();

        list.Find("[data-testid=sort-memory]").Click();
        Assert.Equal(["a-small", "b-big"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
        list.Find("[data-testid=sort-memory]").Click();
        Assert.Equal(["b-big", "a-small"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
    }

    [Fact]
    public void Force_off_asks_first_and_then_calls_the_operation()
    {
        var host = inventory.AddHost("alpha");
        var vm = inventory.AddVm(host, "kvmportal-demo");
        var list = ctx.Render<VmList>();

        list.Find("tr[data-vm='kvmportal-demo'] [data-testid=vm-action-forceoff]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains(
            "Force off kvmportal-demo? Unsaved data in the guest is lost.",
            dialogs.Find("[data-testid=confirm-message]").TextContent));
        Assert.Empty(operations.Calls);

        dialogs.Find("[data-testid=confirm]").Click();

        list.WaitForAssertion(() => Assert.Equal([(vm.Key, VmAction.ForceOff)], operations.Calls));
    }

    [Fact]
    public void Cancelling_the_confirmation_does_nothing()
    {
        var host = inventory.AddHost("alpha");
        inventory.AddVm(host, "web1");
        var list = ctx.Render<VmList>();

        list.Find("tr[data-vm='web1'] [data-testid=vm-action-reboot]").Click();
        dialogs.WaitForElement("[data-testid=cancel]").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm]")));
        Assert.Empty(operations.Calls);
    }

    [Fact]
    public void Start_needs_no_confirmation_and_a_hypervisor_error_is_shown()
    {
        var host = inventory.AddHost("alpha");
        inventory.AddVm(host, "web1", VmState.ShutOff);
        operations.Failure = new HypervisorException("Could not start web1.", "internal error: no free memory");
        var list = ctx.Render<VmList>();

        list.Find("tr[data-vm='web1'] [data-testid=vm-action-start]").Click();

        snackbars.WaitForAssertion(() =>
        {
            Assert.Contains("Could not start web1.", snackbars.Markup);
            Assert.Contains("internal error: no free memory", snackbars.Markup);
        });
    }

    [Fact]
    public async Task Disposing_the_page_ends_its_subscription()
    {
        inventory.AddHost("alpha");
        var list = ctx.Render<VmList>();
        Assert.Equal(1, inventory.SubscriberCount);

        await ctx.DisposeComponentsAsync();

        Assert.Equal(0, inventory.SubscriberCount);
    }
}
