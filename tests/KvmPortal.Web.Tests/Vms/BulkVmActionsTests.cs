using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Access.Gated;
using KvmPortal.Web.Resources;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Localization;
using KvmPortal.Web.Vms.Bulk;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Vms;

public sealed class BulkVmActionsTests
{
    private static readonly IStringLocalizer<Strings> Text = new StringLocalizer<Strings>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private readonly FakeInventory inventory = new();
    private readonly GatedFakeVmOperations operations = new();

    private BulkVmActions Bulk(IVmOperations? through = null) =>
        new(through ?? operations, new RecordingSnapshotOperations(), new RecordingVmEditing(), inventory, Text, NullLogger<BulkVmActions>.Instance);

    private static HypervisorException Offline(HostInfo host) =>
        new($"Host {host.Name} is offline.") { Kind = HypervisorErrorKind.HostOffline, Arguments = [host.Name] };

    [Fact]
    public async Task Each_vm_gets_its_result_and_one_failure_does_not_stop_the_rest()
    {
        using var _ = new CultureScope("en");
        var host = inventory.AddHost("alpha");
        var web1 = inventory.AddVm(host, "web1");
        var web2 = inventory.AddVm(host, "web2");
        var web3 = inventory.AddVm(host, "web3");
        operations.Failures[web1.Key] = new HypervisorException("Force off web1: host alpha did not answer.")
        {
            Kind = HypervisorErrorKind.HostNotAnswering,
            Arguments = ["alpha"],
        };

        var results = await Bulk().RunAsync([web1.Key, web2.Key, web3.Key], VmAction.ForceOff);

        Assert.Equal([web1.Key, web2.Key, web3.Key], results.Select(r => r.Vm));
        Assert.Equal(["web1", "web2", "web3"], results.Select(r => r.Name));
        Assert.False(results[0].Succeeded);
        Assert.Contains("web1", results[0].Error);
        Assert.Contains("alpha", results[0].Error);
        Assert.True(results[1].Succeeded);
        Assert.True(results[2].Succeeded);
        Assert.Equal(new HashSet<VmKey> { web2.Key, web3.Key }, operations.Calls.Select(c => c.Vm).ToHashSet());
        Assert.All(operations.Calls, c => Assert.Equal(VmAction.ForceOff, c.Action));
    }

    [Fact]
    public async Task Errors_are_translated_into_the_users_language()
    {
        using var _ = new CultureScope("zh-Hans");
        var host = inventory.AddHost("alpha");
        var web1 = inventory.AddVm(host, "web1");
        operations.Failures[web1.Key] = Offline(host);

        var results = await Bulk().RunAsync([web1.Key], VmAction.Start);

        Assert.Contains("开机 web1", results[0].Error);
    }

    [Fact]
    public async Task Vms_the_user_may_not_touch_are_refused_and_audited_while_the_others_run()
    {
        using var _ = new CultureScope("en");
        var host = inventory.AddHost("alpha");
        var mine = inventory.AddVm(host, "mine");
        var theirs = inventory.AddVm(host, "theirs");
        var audit = new RecordingAuditLog();
        var gate = new OperationGate(new FixedActor(new Actor("u1", "alice", null)), new RefusingPolicy(theirs.Key), audit, TimeProvider.System);
        var gated = new GatedVmOperations(operations, gate, new AuditTargets(inventory), QuotaGuards.WithoutDatabase(inventory));

        var results = await Bulk(gated).RunAsync([mine.Key, theirs.Key], VmAction.Pause);

        Assert.True(results[0].Succeeded);
        Assert.Equal(Text["AccessDenied"].Value, results[1].Error);
        Assert.Equal([mine.Key], operations.Calls.Select(c => c.Vm));
        Assert.Equal(2, audit.Entries.Count);
        Assert.Contains(audit.Entries, e => e.Target.VmUuid == theirs.Uuid && !e.Succeeded && e.Error!.StartsWith("Refused"));
        Assert.Contains(audit.Entries, e => e.Target.VmUuid == mine.Uuid && e.Succeeded);
    }

    [Fact]
    public async Task At_most_the_limit_runs_at_once_on_one_host_while_hosts_run_in_parallel()
    {
        var alpha = inventory.AddHost("alpha");
        var beta = inventory.AddHost("beta");
        var vms = Enumerable.Range(1, 10).Select(i => inventory.AddVm(alpha, $"a{i}").Key)
            .Concat(Enumerable.Range(1, 6).Select(i => inventory.AddVm(beta, $"b{i}").Key)).ToList();
        operations.HeldHosts[alpha.Id] = true;
        operations.HeldHosts[beta.Id] = true;

        var running = Bulk().RunAsync(vms, VmAction.Resume);
        // Both hosts have filled their slots while every call is held.
        Assert.Equal(BulkVmActions.PerHostLimit, operations.InFlight(alpha.Id));
        Assert.Equal(BulkVmActions.PerHostLimit, operations.InFlight(beta.Id));
        operations.Release();
        var results = await running;

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(16, operations.Calls.Count);
        Assert.Equal(BulkVmActions.PerHostLimit, operations.MaxInFlight(alpha.Id));
        Assert.Equal(BulkVmActions.PerHostLimit, operations.MaxInFlight(beta.Id));
    }

    [Fact]
    public async Task Vms_of_an_offline_host_fail_without_waiting_for_a_busy_host()
    {
        using var _ = new CultureScope("en");
        var busy = inventory.AddHost("busy");
        var down = inventory.AddHost("down", HostStatus.Offline);
        var slow = inventory.AddVm(busy, "slow");
        var gone1 = inventory.AddVm(down, "gone1");
        var gone2 = inventory.AddVm(down, "gone2");
        operations.HeldHosts[busy.Id] = true;
        operations.Failures[gone1.Key] = Offline(down);
        operations.Failures[gone2.Key] = Offline(down);
        var reported = new System.Collections.Concurrent.ConcurrentQueue<BulkVmResult>();

        var running = Bulk().RunAsync([slow.Key, gone1.Key, gone2.Key], VmAction.Shutdown, reported.Enqueue);

        Assert.Equal(["gone1", "gone2"], reported.Select(r => r.Name).Order());
        Assert.All(reported, r => Assert.Contains("down", r.Error));
        Assert.False(running.IsCompleted);
        operations.Release();
        var results = await running;
        Assert.True(results[0].Succeeded);
        Assert.Equal(3, reported.Count);
    }

    private sealed class RefusingPolicy(VmKey refused) : IAccessPolicy
    {
        public Task<bool> IsAllowedAsync(Actor actor, PortalAction action, AccessTarget target, CancellationToken cancellationToken = default) =>
            Task.FromResult(target != AccessTarget.Of(refused));

        public async Task DemandAsync(Actor actor, PortalAction action, AccessTarget target, CancellationToken cancellationToken = default)
        {
            if (!await IsAllowedAsync(actor, action, target, cancellationToken))
                throw new AccessDeniedException(action, "refused");
        }

        public Task<Func<VmKey, bool>> GetVmVisibilityAsync(Actor actor, CancellationToken cancellationToken = default) =>
            Task.FromResult<Func<VmKey, bool>>(_ => true);
    }
}
