using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Web.Access;
using KvmPortal.Web.Access.Gated;
using KvmPortal.Web.Quotas;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using static KvmPortal.Web.Tests.Quotas.QuotaWorld;

namespace KvmPortal.Web.Tests.Quotas;

/// <summary>Cloning through the gate: the create permission for the chosen team, its quota as a new VM, the owner, the audit.</summary>
public sealed class CloneGateTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    [Fact]
    public async Task A_clone_is_owned_by_the_chosen_team_and_audited_with_both_names()
    {
        var world = await CreateAsync(app, t => t.MaxVms = 2);
        var source = await world.AddVmAsync(VmState.ShutOff, 2, GiB, owned: false);
        var (inner, cloning) = Gated(world, world.Scenario.Gate(await AdminAsync(world)), world.Team);

        var clone = await cloning.CloneAsync(source.Key, new CloneSpec("copy-of-it"));

        Assert.Equal(("copy-of-it", source.Key), (Assert.Single(inner.Cloned).Spec.Name, inner.Cloned.Single().Source));
        Assert.Equal(world.Team, await app.Services.GetRequiredService<VmOwnershipIndex>().GetTeamAsync(clone));
        var entry = Assert.Single(world.Scenario.Audit.Entries, e => e.Action == "vm.clone");
        Assert.True(entry.Succeeded);
        Assert.Equal("copy-of-it", entry.Target.VmName);
        Assert.Contains($"\"source\":\"{source.Name}\"", entry.ParametersJson);
        Assert.Contains("\"clone\":\"copy-of-it\"", entry.ParametersJson);
    }

    [Fact]
    public async Task A_clone_past_the_teams_quota_is_refused_and_audited_with_the_message()
    {
        var world = await CreateAsync(app, t => { t.MaxVcpus = 3; t.MaxDiskGib = 10; });
        var source = await world.AddVmAsync(VmState.ShutOff, 2, GiB);
        var admin = await AdminAsync(world);
        var (inner, cloning) = Gated(world, world.Scenario.Gate(admin), world.Team);

        var vcpus = await Assert.ThrowsAsync<HypervisorException>(() => cloning.CloneAsync(source.Key, new CloneSpec("two-more")));

        var message = $"Team {world.TeamName}'s vCPU quota (3) would be exceeded: 2 in use, 2 requested.";
        Assert.Equal(message, vcpus.Message);
        Assert.Empty(inner.Cloned);
        Assert.Equal([("vm.clone", "Refused: " + message)], world.Refusals);

        var roomy = await CreateAsync(app, t => t.MaxDiskGib = 10);
        var small = await roomy.AddVmAsync(VmState.ShutOff, 1, GiB);
        var (linkedInner, linked) = Gated(roomy, roomy.Scenario.Gate(await AdminAsync(roomy)), roomy.Team);
        linkedInner.Disks.Add(new ClonedDisk("vda", roomy.Pool, "base.qcow2", "/p/base.qcow2", "qcow2", 11 * GiB, GiB, roomy.Pool, "big-vda.qcow2"));
        var disk = await Assert.ThrowsAsync<HypervisorException>(() => linked.CloneAsync(small.Key, new CloneSpec("big", Linked: true)));
        Assert.Equal(HypervisorErrorKind.QuotaDiskExceeded, disk.Kind); // an overlay counts its virtual size
        Assert.Empty(linkedInner.Cloned);
    }

    [Fact]
    public async Task Without_the_create_permission_for_the_team_the_clone_is_refused_and_audited()
    {
        var world = await CreateAsync(app, _ => { });
        var source = await world.AddVmAsync(VmState.ShutOff, 1, GiB);
        var viewer = await world.Scenario.CreateUserAsync("viewer");
        await world.Scenario.GrantAsync(viewer, PortalRole.Viewer, world.Team);
        var (inner, cloning) = Gated(world, world.Scenario.Gate(viewer), world.Team);

        await Assert.ThrowsAsync<AccessDeniedException>(() => cloning.CloneAsync(source.Key, new CloneSpec("not-allowed")));

        Assert.Empty(inner.Cloned);
        var refusal = Assert.Single(world.Scenario.Audit.Entries, e => e.Action == "vm.clone");
        Assert.False(refusal.Succeeded);
    }

    [Fact]
    public async Task A_running_source_is_refused_by_the_cloner_after_the_gate()
    {
        var world = await CreateAsync(app, _ => { });
        var source = await world.AddVmAsync(VmState.Running, 1, GiB);
        var (inner, cloning) = Gated(world, world.Scenario.Gate(await AdminAsync(world)), world.Team);

        var refusal = await Assert.ThrowsAsync<HypervisorException>(() => cloning.CloneAsync(source.Key, new CloneSpec("from-running")));

        Assert.Equal(HypervisorErrorKind.InvalidState, refusal.Kind);
        Assert.Empty(inner.Cloned);
    }

    private static async Task<Actor> AdminAsync(QuotaWorld world)
    {
        var admin = await world.Scenario.CreateUserAsync("cloner");
        await world.Scenario.GrantAsync(admin, PortalRole.Administrator, null);
        return admin;
    }

    private (RecordingVmCloning Inner, IVmCloning Gated) Gated(QuotaWorld world, OperationGate gate, Guid team)
    {
        var inner = new RecordingVmCloning(app.Inventory);
        var creationTeam = new VmCreationTeam(world.Scenario.Policy, app.Services.GetRequiredService<TeamDirectoryReader>()) { Chosen = team };
        return (inner, new GatedVmCloning(inner, gate, creationTeam, app.Services.GetRequiredService<VmOwnership>(), world.Scenario.Targets,
            new FixedAccessViewSource(), app.Inventory, app.Services.GetRequiredService<QuotaGuard>()));
    }
}
