using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Migration;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Pages.Vms;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Components;

public sealed class MigrateVmDialogTests : BunitHarness
{
    private readonly ControlledMigration migration = new();

    protected override void AddServices(IServiceCollection services) => services.AddSingleton<IVmMigration>(migration);

    private IRenderedComponent<VmDetail> Render(VmInfo vm)
    {
        Operations.Details = _ => new VmDetails(vm, null, null, "qemu", "hvm", "x86_64", "pc", 1UL << 30, false, [], [], [], "<domain/>");
        return Context.Render<VmDetail>(p => p.Add(x => x.HostId, vm.HostId).Add(x => x.Uuid, vm.Uuid));
    }

    private void Open(VmInfo vm)
    {
        var page = Render(vm);
        page.WaitForAssertion(() => page.Find("[data-testid=vm-migrate]").Click());
        Dialogs.WaitForAssertion(() => Dialogs.Find("[data-testid=migrate-confirm]"));
    }

    [Fact]
    public void Only_other_online_hosts_are_offered_and_a_finished_migration_opens_the_vm_on_its_new_host()
    {
        var alpha = Inventory.AddHost("alpha");
        var beta = Inventory.AddHost("beta");
        Inventory.AddHost("gamma", HostStatus.Offline);
        var vm = Inventory.AddVm(alpha, "web1", VmState.Running);
        Open(vm);

        Assert.Equal([beta.Id], MigrateVmViewModel.TargetsFor(Inventory.Current, vm).Select(h => h.Id));
        Assert.Contains("beta", Dialogs.Find("[data-testid=migrate-target]").OuterHtml);
        migration.Finish.SetResult();
        Dialogs.Find("[data-testid=migrate-copy]").Change(true);
        Dialogs.Find("[data-testid=migrate-confirm]").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal((vm.Key, beta.Id, MigrationMode.Live, true),
            (migration.Vm, migration.Spec!.TargetHostId, migration.Spec.Mode, migration.Spec.CopyStorage)));
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        Dialogs.WaitForAssertion(() => Assert.EndsWith($"/vms/{beta.Id}/{vm.Uuid}", navigation.Uri));
    }

    [Fact]
    public void The_progress_shows_what_libvirt_reports_and_cancel_aborts_leaving_the_vm_where_it_was()
    {
        var alpha = Inventory.AddHost("alpha");
        Inventory.AddHost("beta");
        var vm = Inventory.AddVm(alpha, "web1", VmState.Running);
        Open(vm);

        Dialogs.Find("[data-testid=migrate-confirm]").Click();
        migration.Report(new MigrationProgress(MigrationPhase.Transferring, 64UL << 20, 64UL << 20, 128UL << 20));
        Dialogs.WaitForAssertion(() => Assert.Contains("Sent 64.0 MiB of 128.0 MiB, 64.0 MiB to go", Dialogs.Find("[data-testid=migrate-progress]").TextContent));
        Assert.Contains("50", Dialogs.Find(".mud-progress-linear").OuterHtml);
        migration.Report(new MigrationProgress(MigrationPhase.Transferring, 96UL << 20, 32UL << 20, 128UL << 20, ExpectedDowntimeMs: 300));
        Dialogs.WaitForAssertion(() => Assert.Contains("(expected downtime 300 ms)", Dialogs.Find("[data-testid=migrate-progress]").TextContent));

        Dialogs.Find("[data-testid=migrate-cancel]").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains("The migration was cancelled; web1 stays on host alpha.", Dialogs.Find("[data-testid=migrate-cancelled]").TextContent));
        Assert.True(migration.WasCancelled);
        Assert.Empty(Dialogs.FindAll("[data-testid=migrate-progress]"));
    }

    [Fact]
    public void A_refusal_is_shown_translated_and_a_shut_off_vm_may_only_go_offline()
    {
        var alpha = Inventory.AddHost("alpha");
        Inventory.AddHost("beta");
        var vm = Inventory.AddVm(alpha, "web1", VmState.ShutOff);
        Open(vm);
        migration.Finish.SetException(HypervisorException.Because(HypervisorErrorKind.MigrationVmExists, "exists", "web1", "beta"));

        Assert.True(Dialogs.FindAll("[data-testid=migrate-mode] input")[0].HasAttribute("disabled")); // live
        Assert.False(Dialogs.FindAll("[data-testid=migrate-mode] input")[1].HasAttribute("disabled")); // offline
        Dialogs.Find("[data-testid=migrate-confirm]").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains("host beta already has a VM named web1 or with its UUID", Dialogs.Find("[data-testid=migrate-error]").TextContent));
        Assert.Equal(MigrationMode.Offline, migration.Spec!.Mode);
    }

    [Fact]
    public void Without_another_online_host_the_dialog_says_so_and_cannot_start()
    {
        var alpha = Inventory.AddHost("alpha");
        Inventory.AddHost("beta", HostStatus.Offline);
        var vm = Inventory.AddVm(alpha, "web1", VmState.Running);
        Open(vm);

        Assert.Contains("No other host is online", Dialogs.Find("[data-testid=migrate-no-targets]").TextContent);
        Assert.True(Dialogs.Find("[data-testid=migrate-confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public void A_user_without_the_migrate_permission_gets_no_migrate_button()
    {
        var alpha = Inventory.AddHost("alpha");
        Inventory.AddHost("beta");
        var vm = Inventory.AddVm(alpha, "web1", VmState.Running);
        var team = Guid.NewGuid();
        Permissions.View = new AccessView([new RoleGrant(PortalRole.HelpDesk, team)], new Dictionary<VmKey, Guid> { [vm.Key] = team });
        var page = Render(vm);

        page.WaitForAssertion(() => Assert.Contains("web1", page.Markup));
        Assert.Empty(page.FindAll("[data-testid=vm-migrate]"));
    }

    /// <summary>A migration the test drives: it reports what the test says and ends when <see cref="Finish"/> does, or is cancelled.</summary>
    private sealed class ControlledMigration : IVmMigration
    {
        private IProgress<MigrationProgress>? progress;

        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public VmKey Vm { get; private set; }
        public MigrationSpec? Spec { get; private set; }
        public bool WasCancelled { get; private set; }

        public void Report(MigrationProgress value) => progress!.Report(value);

        public Task CheckAsync(VmKey vm, MigrationSpec spec, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public async Task<VmKey> MigrateAsync(VmKey vm, MigrationSpec spec, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            (Vm, Spec, this.progress) = (vm, spec, progress);
            try
            {
                await Finish.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                WasCancelled = true;
                throw;
            }
            return new VmKey(spec.TargetHostId, vm.Uuid);
        }
    }
}
