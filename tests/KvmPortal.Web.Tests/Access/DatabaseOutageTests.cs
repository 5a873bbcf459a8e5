using KvmPortal.Hypervisor;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using KvmPortal.Web.Tests.Fakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmPortal.Web.Tests.Access;

/// <summary>
/// The gate when the portal's PostgreSQL is gone (a port nobody listens on): no operation runs without its
/// permission check, and the user hears that the database is down rather than the driver's exception.
/// </summary>
public sealed class DatabaseOutageTests
{
    private static readonly Actor Someone = new("user-1", "someone", "192.0.2.1");

    // Port 1 on loopback: the connection is refused at once.
    private static readonly IDbContextFactory<KvmPortalDbContext> Unreachable = new PooledDbContextFactory<KvmPortalDbContext>(
        new DbContextOptionsBuilder<KvmPortalDbContext>().UseNpgsql("Host=127.0.0.1;Port=1;Username=x;Password=x;Timeout=3").Options);

    private static GatedOperation Operation => new(PortalAction.ControlVm, "vm.start", AccessTarget.Host(Guid.NewGuid()), new AuditTarget());

    [Fact]
    public async Task Without_the_grants_nothing_runs_and_the_error_says_the_database_is_unavailable()
    {
        var audit = new RecordingAuditLog();
        var gate = new OperationGate(new FixedActor(Someone), new AccessPolicy(Unreachable, new VmOwnershipIndex(Unreachable)), audit, TimeProvider.System);
        var ran = false;

        var error = await Assert.ThrowsAsync<HypervisorException>(() => gate.RunAsync(Operation, () => { ran = true; return Task.CompletedTask; }));

        Assert.Equal(HypervisorErrorKind.PortalDatabaseUnavailable, error.Kind);
        Assert.False(ran);
    }

    [Fact]
    public async Task A_change_whose_audit_entry_cannot_be_written_is_reported_as_done_but_unrecorded()
    {
        var audit = new PostgresAuditLog(Unreachable, NullLogger<PostgresAuditLog>.Instance);
        var gate = new OperationGate(new FixedActor(Someone), new AllowingPolicy(), audit, TimeProvider.System);
        var ran = false;

        var error = await Assert.ThrowsAsync<HypervisorException>(() => gate.RunAsync(Operation, () => { ran = true; return Task.CompletedTask; }));

        Assert.Equal(HypervisorErrorKind.AuditNotRecorded, error.Kind);
        Assert.True(ran);
    }

    [Fact]
    public async Task The_pages_access_view_says_the_database_is_unavailable_instead_of_failing()
    {
        var source = new AccessViewSource(new FixedActor(Someone), new AccessPolicy(Unreachable, new VmOwnershipIndex(Unreachable)),
            new VmOwnershipIndex(Unreachable), new TeamDirectoryReader(Unreachable));

        var view = await source.GetAsync();

        Assert.True(view.DatabaseUnavailable);
        Assert.False(view.CanAnywhere(PortalAction.ViewVm));
    }

    [Fact]
    public void Faults_of_our_own_are_not_taken_for_an_outage()
    {
        Assert.False(PortalDatabase.IsUnavailable(new InvalidOperationException("a bug")));
        Assert.True(PortalDatabase.IsUnavailable(new InvalidOperationException("wrapped", new Npgsql.NpgsqlException("refused"))));
    }

    private sealed class AllowingPolicy : IAccessPolicy
    {
        public Task<bool> IsAllowedAsync(Actor actor, PortalAction action, AccessTarget target, CancellationToken cancellationToken = default) =>
            Task.FromResult(true);

        public Task DemandAsync(Actor actor, PortalAction action, AccessTarget target, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;

        public Task<Func<Hypervisor.Vms.VmKey, bool>> GetVmVisibilityAsync(Actor actor, CancellationToken cancellationToken = default) =>
            Task.FromResult<Func<Hypervisor.Vms.VmKey, bool>>(_ => true);
    }
}
