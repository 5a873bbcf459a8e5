using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Components.Pages.Vms;
using KvmPortal.Web.Tests.Localization;

namespace KvmPortal.Web.Tests.Components;

public sealed class VmListTests : BunitHarness
{
    private const string Search = "[data-testid=vm-search] input, input[data-testid=vm-search]";

    private static string StateOf<T>(IRenderedComponent<T> list, string vm) where T : VmList =>
        list.Find($"tr[data-vm='{vm}'] [data-testid=vm-state]").TextContent.Trim();

    [Fact]
    public void Rows_come_from_the_snapshot_with_host_names()
    {
        using var _ = new CultureScope("en");
        var host = Inventory.AddHost("alpha");
        Inventory.AddVm(host, "web1");
        Inventory.AddVm(host, "db1", VmState.ShutOff);

        var list = Context.Render<VmList>();

        Assert.Equal(["db1", "web1"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
        Assert.Equal("running", StateOf(list, "web1"));
        Assert.Equal("shut off", StateOf(list, "db1"));
        Assert.Contains("alpha", list.Find("tr[data-vm='web1']").TextContent);
        Assert.Equal("12.5%", list.Find("tr[data-vm='web1'] [data-testid=vm-cpu]").TextContent.Trim());
    }

    [Fact]
    public void In_simplified_chinese_headers_states_and_actions_are_chinese()
    {
        using var _ = new CultureScope("zh-Hans");
        var host = Inventory.AddHost("alpha");
        Inventory.AddVm(host, "web1");
        Inventory.AddVm(host, "db1", VmState.ShutOff);

        var list = Context.Render<VmList>();

        Assert.Equal("虚拟机", list.Find("h1").TextContent.Trim());
        Assert.Equal(["", "名称", "主机", "状态", "vCPU", "内存", "CPU", "运行时间", "IP 地址", "操作"],
            list.FindAll("thead th").Select(th => th.TextContent.Trim()));
        Assert.Equal("运行中", StateOf(list, "web1"));
        Assert.Equal("关闭", StateOf(list, "db1"));
        Assert.Equal("running", list.Find("tr[data-vm='web1'] [data-testid=vm-state]").GetAttribute("data-state"));
        Assert.Equal("shut-off", list.Find("tr[data-vm='db1'] [data-testid=vm-state]").GetAttribute("data-state"));
        Assert.Equal("强制关机", list.Find("tr[data-vm='web1'] [data-testid=vm-action-forceoff]").GetAttribute("title"));
        Assert.Equal("按名称或主机搜索", list.Find("[data-testid=vm-search] input, input[data-testid=vm-search]").GetAttribute("placeholder"));
    }

    [Fact]
    public void In_simplified_chinese_an_error_is_explained_in_chinese_beside_libvirts_own_text()
    {
        using var _ = new CultureScope("zh-Hans");
        var host = Inventory.AddHost("alpha");
        Inventory.AddVm(host, "web1", VmState.ShutOff);
        Operations.Failure = new HypervisorException("Start web1: host alpha did not answer.", "Cannot recv data: Connection reset by peer")
        {
            Kind = HypervisorErrorKind.HostNotAnswering,
            Arguments = ["alpha"],
        };
        var list = Context.Render<VmList>();

        list.Find("tr[data-vm='web1'] [data-testid=vm-action-start]").Click();

        Snackbars.WaitForAssertion(() => Assert.Contains(
            "开机 web1：主机 alpha 没有响应。 libvirt 报告：Cannot recv data: Connection reset by peer", Snackbars.Markup));
    }

    [Fact]
    public void A_pushed_change_updates_the_state_chip()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1");
        var list = Context.Render<VmList>();
        Assert.Equal("running", StateOf(list, "web1"));

        Inventory.Push(new VmChanged(vm with { State = VmState.Paused, CpuPercent = null, RunningSince = null }));

        list.WaitForAssertion(() => Assert.Equal("paused", StateOf(list, "web1")));
        Assert.False(list.Find("tr[data-vm='web1'] [data-testid=vm-action-resume]").HasAttribute("disabled"));
        Assert.True(list.Find("tr[data-vm='web1'] [data-testid=vm-action-pause]").HasAttribute("disabled"));
        Assert.Contains("warning", list.Find("tr[data-vm='web1'] [data-testid=vm-state]").ClassName);

        Inventory.Push(new VmChanged(vm with { State = VmState.Running }));
        list.WaitForAssertion(() => Assert.Equal("running", StateOf(list, "web1")));
        Assert.Contains("success", list.Find("tr[data-vm='web1'] [data-testid=vm-state]").ClassName);
    }

    [Fact]
    public async Task A_change_to_a_vm_the_page_does_not_show_does_not_render_the_list_again()
    {
        var host = Inventory.AddHost("alpha");
        var web = Inventory.AddVm(host, "web1");
        var db = Inventory.AddVm(host, "db1");
        var list = Context.Render<CountingVmList>();
        // Live (subscribed, and rendered after subscribing) before counting.
        list.WaitForAssertion(() => Assert.Equal(1, Inventory.SubscriberCount));
        list.Find("input[data-testid=vm-search], [data-testid=vm-search] input").Input("web");
        list.WaitForAssertion(() => Assert.Equal(["web1"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm"))));
        var renders = list.Instance.Renders;

        Inventory.Push(new VmChanged(db with { State = VmState.Paused }));
        Assert.True(await list.Instance.Checked.WaitAsync(TimeSpan.FromSeconds(10)), "the list never looked at the change");
        Assert.Equal(renders, list.Instance.Renders);

        Inventory.Push(new VmChanged(web with { State = VmState.Paused }));
        list.WaitForAssertion(() => Assert.Equal("paused", StateOf(list, "web1")));
        Assert.Equal(renders + 1, list.Instance.Renders);
    }

    /// <summary>The list, counting its own renders (not its children's) and the inventory changes it looked at.</summary>
    public sealed class CountingVmList : VmList
    {
        public int Renders { get; private set; }

        /// <summary>Released each time the list has looked at an inventory change.</summary>
        public SemaphoreSlim Checked { get; } = new(0);

        // Asked on every render after the first, before the markup changes (unlike OnAfterRender, which may come later).
        protected override bool ShouldRender()
        {
            Renders++;
            return base.ShouldRender();
        }

        protected override bool ShowsChangeOf(InventorySnapshot snapshot)
        {
            var shows = base.ShowsChangeOf(snapshot);
            Checked.Release();
            return shows;
        }
    }

    [Fact]
    public void New_and_removed_vms_appear_and_disappear()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1");
        var list = Context.Render<VmList>();

        Inventory.AddVm(host, "web2");
        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll("tr[data-vm]").Count));

        Inventory.Push(new VmRemoved(vm.Key));
        list.WaitForAssertion(() => Assert.Equal(["web2"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm"))));
    }

    [Fact]
    public void Search_filters_by_name_or_host_ignoring_case()
    {
        var alpha = Inventory.AddHost("alpha");
        var beta = Inventory.AddHost("beta");
        Inventory.AddVm(alpha, "web1");
        Inventory.AddVm(beta, "db1");
        var list = Context.Render<VmList>();

        list.Find("input[data-testid=vm-search], [data-testid=vm-search] input").Input("WEB");
        list.WaitForAssertion(() => Assert.Equal(["web1"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm"))));

        list.Find("input[data-testid=vm-search], [data-testid=vm-search] input").Input("Beta");
        list.WaitForAssertion(() => Assert.Equal(["db1"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm"))));
    }

    [Fact]
    public void Clicking_a_column_header_sorts_and_clicking_again_reverses()
    {
        var host = Inventory.AddHost("alpha");
        Inventory.AddVm(host, "a-small");
        var big = Inventory.AddVm(host, "b-big");
        Inventory.Push(new VmChanged(big with { MemoryBytes = 8UL << 30 }));
        var list = Context.Render<VmList>();

        list.Find("[data-testid=sort-memory]").Click();
        Assert.Equal(["a-small", "b-big"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
        list.Find("[data-testid=sort-memory]").Click();
        Assert.Equal(["b-big", "a-small"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
    }

    [Fact]
    public void Force_off_asks_first_and_then_calls_the_operation()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "kvmportal-demo");
        var list = Context.Render<VmList>();

        list.Find("tr[data-vm='kvmportal-demo'] [data-testid=vm-action-forceoff]").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains(
            "Force off kvmportal-demo? Unsaved data in the guest is lost.",
            Dialogs.Find("[data-testid=confirm-message]").TextContent));
        Assert.Empty(Operations.Calls);

        Dialogs.Find("[data-testid=confirm]").Click();

        list.WaitForAssertion(() => Assert.Equal([(vm.Key, VmAction.ForceOff)], Operations.Calls));
    }

    [Fact]
    public void Cancelling_the_confirmation_does_nothing()
    {
        var host = Inventory.AddHost("alpha");
        Inventory.AddVm(host, "web1");
        var list = Context.Render<VmList>();

        list.Find("tr[data-vm='web1'] [data-testid=vm-action-reboot]").Click();
        Dialogs.WaitForElement("[data-testid=cancel]").Click();

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=confirm]")));
        Assert.Empty(Operations.Calls);
    }

    [Fact]
    public void Start_needs_no_confirmation_and_a_hypervisor_error_is_shown()
    {
        var host = Inventory.AddHost("alpha");
        Inventory.AddVm(host, "web1", VmState.ShutOff);
        Operations.Failure = new HypervisorException("Could not start web1.", "internal error: no free memory");
        var list = Context.Render<VmList>();

        list.Find("tr[data-vm='web1'] [data-testid=vm-action-start]").Click();

        Snackbars.WaitForAssertion(() =>
        {
            Assert.Contains("Could not start web1.", Snackbars.Markup);
            Assert.Contains("internal error: no free memory", Snackbars.Markup);
        });
    }

    [Fact]
    public async Task Disposing_the_page_ends_its_subscription()
    {
        Inventory.AddHost("alpha");
        var list = Context.Render<VmList>();
        Assert.Equal(1, Inventory.SubscriberCount);

        await Context.DisposeComponentsAsync();

        Assert.Equal(0, Inventory.SubscriberCount);
    }

    [Fact]
    public void Five_thousand_VMs_render_one_page_and_the_pager_search_and_sort_work_over_all_of_them()
    {
        using var _ = new CultureScope("en");
        var hosts = Enumerable.Range(0, 50).Select(h => Inventory.AddHost($"host{h:D2}")).ToList();
        for (var i = 0; i < 5000; i++)
            Inventory.AddVm(hosts[i % 50], $"vm{i:D4}", i % 3 == 0 ? VmState.ShutOff : VmState.Running);
        var list = Context.Render<VmList>();

        Assert.Equal(VmListViewModel.DefaultPageSize, list.FindAll("tr[data-vm]").Count);
        Assert.Equal("vm0000", list.FindAll("tr[data-vm]")[0].GetAttribute("data-vm"));
        Assert.Equal("1–50 of 5,000", list.Find("[data-testid=vm-range]").TextContent.Trim());

        list.FindAll("[data-testid=vm-pages] button").Single(b => b.TextContent.Trim() == "2").Click();
        Assert.Equal("vm0050", list.FindAll("tr[data-vm]")[0].GetAttribute("data-vm"));
        Assert.Equal("51–100 of 5,000", list.Find("[data-testid=vm-range]").TextContent.Trim());

        list.Find("[data-testid=sort-name]").Click(); // descending, and back to the first page
        Assert.Equal("vm4999", list.FindAll("tr[data-vm]")[0].GetAttribute("data-vm"));

        list.Find(Search).Input("vm49"); // vm4900..vm4999: 100 matches, two pages
        Assert.Equal("1–50 of 100", list.Find("[data-testid=vm-range]").TextContent.Trim());
        list.Find(Search).Input("vm4999");
        Assert.Equal(["vm4999"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
        Assert.Empty(list.FindAll("[data-testid=vm-range]"));
    }

    [Fact]
    public void A_page_past_the_end_after_VMs_went_away_shows_the_last_page()
    {
        var model = new VmListViewModel { PageSize = 10 };
        var rows = Enumerable.Range(0, 25).Select(i => new VmRow(null!, $"h{i}")).ToList();
        model.GoToPage(2);
        Assert.Equal((2, 3, 5, 20), Describe(model.PageOf(rows)));

        Assert.Equal((1, 2, 5, 10), Describe(model.PageOf(rows[..15])));
        Assert.Equal((0, 1, 0, 0), Describe(model.PageOf([])));

        model.Search = "x"; // a new search starts at the first page
        Assert.Equal(0, model.PageIndex);

        static (int Index, int Count, int Rows, int First) Describe(VmPage page) => (page.Index, page.Count, page.Rows.Count, page.FirstRow);
    }
}
