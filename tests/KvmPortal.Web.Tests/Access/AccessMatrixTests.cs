using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Hypervisor.Vms.Migration;
using KvmPortal.Web.Access;
using KvmPortal.Web.Access.Gated;
using KvmPortal.Web.Consoles;
using KvmPortal.Web.Hosts;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Access;

/// <summary>
/// Every role x every action x (a VM of the user's team, a VM of another team), through the gated services and the
/// real policy on PostgreSQL, with recording fakes behind the gate. The expected table below is issue 7's model
/// written out by hand, not derived from the code under test.
/// </summary>
public sealed class AccessMatrixTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    public enum Profile { GlobalAdministrator, TeamAdministrator, Operator, HelpDeskFullMayReboot, HelpDeskViewOnly, Viewer, NoGrant }

    private static readonly PortalAction[] OnVms =
    [
        PortalAction.ViewVm, PortalAction.CreateVm, PortalAction.EditVm, PortalAction.DeleteVm, PortalAction.ControlVm,
        PortalAction.RebootVm, PortalAction.SnapshotVm, PortalAction.MigrateVm, PortalAction.OpenConsole,
        PortalAction.OpenConsoleViewOnly, PortalAction.ViewUsage,
    ];

    /// <summary>What a team grant allows on its own team's VMs, plus the lists it may see.</summary>
    private static readonly Dictionary<Profile, PortalAction[]> TeamGrantAllows = new()
    {
        [Profile.TeamAdministrator] = [.. OnVms, PortalAction.ViewHosts, PortalAction.ViewStorage, PortalAction.ViewNetworks],
        [Profile.Operator] =
        [
            PortalAction.ViewVm, PortalAction.CreateVm, PortalAction.EditVm, PortalAction.ControlVm, PortalAction.RebootVm,
            PortalAction.SnapshotVm, PortalAction.OpenConsole, PortalAction.OpenConsoleViewOnly,
            PortalAction.ViewUsage, PortalAction.ViewHosts, PortalAction.ViewStorage, PortalAction.ViewNetworks,
        ],
        [Profile.HelpDeskFullMayReboot] =
            [PortalAction.ViewVm, PortalAction.OpenConsole, PortalAction.OpenConsoleViewOnly, PortalAction.RebootVm, PortalAction.ViewHosts],
        [Profile.HelpDeskViewOnly] = [PortalAction.ViewVm, PortalAction.OpenConsoleViewOnly, PortalAction.ViewHosts],
        [Profile.Viewer] = [PortalAction.ViewVm, PortalAction.ViewUsage, PortalAction.ViewHosts],
        [Profile.NoGrant] = [],
    };

    private readonly AccessScenario scenario = new(app);

    public static TheoryData<Profile, PortalAction, bool> Cases()
    {
        var data = new TheoryData<Profile, PortalAction, bool>();
        foreach (var profile in Enum.GetValues<Profile>())
            foreach (var action in Enum.GetValues<PortalAction>())
                foreach (var ownTeam in new[] { true, false })
                    data.Add(profile, action, ownTeam);
        return data;
    }

    private static bool Expected(Profile profile, PortalAction action, bool ownTeam) =>
        profile == Profile.GlobalAdministrator
        || (TeamGrantAllows[profile].Contains(action) && (ownTeam || !OnVms.Contains(action)));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_may_do_exactly_what_the_model_says(Profile profile, PortalAction action, bool ownTeam)
    {
        var world = await World.CreateAsync(scenario, profile);
        var vm = ownTeam ? world.OwnVm : world.OtherVm;
        var services = new GatedServices(app, scenario, world.Actor, ownTeam ? world.OwnTeam : world.OtherTeam);

        var outcome = await services.TryAsync(action, vm);

        Assert.Equal(Expected(profile, action, ownTeam), outcome.Allowed);
        if (!outcome.Allowed)
        {
            Assert.False(services.InnerWasCalled, $"{action} was refused but reached the hypervisor");
            if (outcome.Audited)
                Assert.Contains(scenario.Audit.Entries, e => !e.Succeeded && e.Error!.StartsWith("Refused") && e.Actor.UserId == world.Actor.UserId);
        }
        else if (outcome.Audited)
            Assert.Contains(scenario.Audit.Entries, e => e.Succeeded && e.Actor.UserId == world.Actor.UserId);
    }

    [Fact]
    public async Task A_help_desk_user_cannot_force_off_even_with_reboot_allowed()
    {
        var world = await World.CreateAsync(scenario, Profile.HelpDeskFullMayReboot);
        var services = new GatedServices(app, scenario, world.Actor, world.OwnTeam);

        await Assert.ThrowsAsync<AccessDeniedException>(() => services.Vms.ExecuteAsync(world.OwnVm, VmAction.ForceOff));
        await services.Vms.ExecuteAsync(world.OwnVm, VmAction.Reboot);

        Assert.Equal([(world.OwnVm, VmAction.Reboot)], services.InnerVms.Calls.ToArray());
        var refusal = Assert.Single(scenario.Audit.Entries, e => !e.Succeeded);
        Assert.Equal("vm.forceoff", refusal.Action);
        Assert.Equal(world.OwnVm.Uuid, refusal.Target.VmUuid);
        Assert.Equal("192.0.2.7", refusal.Actor.SourceIp);
    }

    [Fact]
    public async Task A_viewer_gets_no_console_ticket_of_either_kind()
    {
        var world = await World.CreateAsync(scenario, Profile.Viewer);
        var tickets = scenario.Tickets(world.Actor);

        foreach (var mode in Enum.GetValues<ConsoleMode>())
            await Assert.ThrowsAsync<AccessDeniedException>(() =>
                tickets.IssueAsync(world.Actor.UserId, new ConsoleTarget(world.OwnVm.HostId, world.OwnVm.Uuid, ConsoleKind.Vnc, mode)));

        Assert.Equal(2, scenario.Audit.Entries.Count(e => e.Action == "console.ticket" && !e.Succeeded));
    }

    [Fact]
    public async Task A_view_only_help_desk_grant_yields_a_view_only_ticket_when_a_full_console_is_asked_for()
    {
        var world = await World.CreateAsync(scenario, Profile.HelpDeskViewOnly);
        var tickets = scenario.Tickets(world.Actor);

        var token = await tickets.IssueAsync(world.Actor.UserId, new ConsoleTarget(world.OwnVm.HostId, world.OwnVm.Uuid, ConsoleKind.Vnc, ConsoleMode.Full));
        var redeemed = await tickets.RedeemAsync(token, world.Actor.UserId);

        Assert.Equal(ConsoleMode.ViewOnly, redeemed.Target!.Mode);
        Assert.Contains(scenario.Audit.Entries, e => e.Action == "console.ticket" && e.Succeeded && e.ParametersJson!.Contains("\"granted\":\"ViewOnly\""));
    }

    [Fact]
    public async Task A_full_help_desk_grant_yields_the_full_console()
    {
        var world = await World.CreateAsync(scenario, Profile.HelpDeskFullMayReboot);
        var tickets = scenario.Tickets(world.Actor);

        var token = await tickets.IssueAsync(world.Actor.UserId, new ConsoleTarget(world.OwnVm.HostId, world.OwnVm.Uuid, ConsoleKind.Vnc, ConsoleMode.Full));

        Assert.Equal(ConsoleMode.Full, (await tickets.RedeemAsync(token, world.Actor.UserId)).Target!.Mode);
    }

    [Fact]
    public async Task The_console_access_is_decided_again_when_the_grant_changes_after_the_ticket()
    {
        var world = await World.CreateAsync(scenario, Profile.HelpDeskFullMayReboot);
        var access = app.Services.GetRequiredService<ConsoleAccess>();
        Assert.Equal(ConsoleMode.Full, await access.GetModeAsync(world.Actor, world.OwnVm.HostId, world.OwnVm.Uuid, ConsoleMode.Full));

        await using (var db = await scenario.Contexts.CreateDbContextAsync())
        {
            var grant = db.RoleGrants.Single(g => g.UserId == world.Actor.UserId);
            grant.ConsoleViewOnly = true;
            await db.SaveChangesAsync();
        }
        Assert.Equal(ConsoleMode.ViewOnly, await access.GetModeAsync(world.Actor, world.OwnVm.HostId, world.OwnVm.Uuid, ConsoleMode.Full));

        await using (var db = await scenario.Contexts.CreateDbContextAsync())
        {
            db.RoleGrants.RemoveRange(db.RoleGrants.Where(g => g.UserId == world.Actor.UserId));
            await db.SaveChangesAsync();
        }
        Assert.Null(await access.GetModeAsync(world.Actor, world.OwnVm.HostId, world.OwnVm.Uuid, ConsoleMode.ViewOnly));
    }

    [Fact]
    public async Task Nobody_signed_in_is_refused_under_the_action_asked_for()
    {
        var world = await World.CreateAsync(scenario, Profile.GlobalAdministrator);
        var services = new GatedServices(app, scenario, actor: null, world.OwnTeam);

        var refusal = await Assert.ThrowsAsync<AccessDeniedException>(() => services.Editing.SetVcpusAsync(world.OwnVm, 2, ChangeScope.Config));

        Assert.Equal(PortalAction.EditVm, refusal.Action);
        Assert.Empty(services.InnerEditing.Calls);
    }

    [Fact]
    public async Task An_edit_is_audited_with_the_xml_before_and_after_and_its_parameters()
    {
        var world = await World.CreateAsync(scenario, Profile.Operator);
        var services = new GatedServices(app, scenario, world.Actor, world.OwnTeam);
        services.InnerEditing.PersistentXml = "<domain><vcpu>1</vcpu></domain>";

        await services.Editing.SetVcpusAsync(world.OwnVm, 2, ChangeScope.Config);

        var entry = Assert.Single(scenario.Audit.Entries);
        Assert.Equal("vm.edit.vcpus", entry.Action);
        Assert.Equal("<domain><vcpu>1</vcpu></domain>", entry.XmlBefore);
        Assert.NotNull(entry.XmlAfter);
        Assert.Equal("""{"count":2,"scope":"Config"}""", entry.ParametersJson);
    }

    [Fact]
    public async Task A_failing_operation_is_audited_with_its_error_and_still_fails()
    {
        var world = await World.CreateAsync(scenario, Profile.Operator);
        var services = new GatedServices(app, scenario, world.Actor, world.OwnTeam);
        services.InnerVms.Failure = new HypervisorException("Domain is not running");

        await Assert.ThrowsAsync<HypervisorException>(() => services.Vms.ExecuteAsync(world.OwnVm, VmAction.Shutdown));

        var entry = Assert.Single(scenario.Audit.Entries);
        Assert.False(entry.Succeeded);
        Assert.Equal("Domain is not running", entry.Error);
    }

    [Fact]
    public async Task An_operator_creates_vms_for_its_own_team_and_they_are_owned_by_it()
    {
        var world = await World.CreateAsync(scenario, Profile.Operator);
        var services = new GatedServices(app, scenario, world.Actor, chosenTeam: null);

        var vm = await services.Provisioning.CreateAsync(new DomainSpec { HostId = world.HostId, Name = "kvmportal-test-new", MemoryBytes = 256UL << 20 });

        Assert.Equal(world.OwnTeam, await app.Services.GetRequiredService<VmOwnershipIndex>().GetTeamAsync(vm));
        Assert.True(await scenario.Policy.IsAllowedAsync(world.Actor, PortalAction.EditVm, AccessTarget.Of(vm)));
    }

    [Fact]
    public async Task A_user_sees_only_the_vms_of_the_teams_granted()
    {
        var world = await World.CreateAsync(scenario, Profile.Viewer);
        var unowned = new VmKey(world.HostId, Guid.NewGuid());

        var visible = await scenario.Policy.GetVmVisibilityAsync(world.Actor);

        Assert.True(visible(world.OwnVm));
        Assert.False(visible(world.OtherVm));
        Assert.False(visible(unowned));
    }

    /// <summary>A user with one grant for team A; VMs owned by A and by B on one host.</summary>
    private sealed record World(Actor Actor, Guid HostId, Guid OwnTeam, Guid OtherTeam, VmKey OwnVm, VmKey OtherVm)
    {
        public static async Task<World> CreateAsync(AccessScenario scenario, Profile profile)
        {
            var actor = await scenario.CreateUserAsync(profile.ToString().ToLowerInvariant());
            var host = await scenario.CreateHostAsync();
            var own = await scenario.CreateTeamAsync("own");
            var other = await scenario.CreateTeamAsync("other");
            var ownVm = new VmKey(host, Guid.NewGuid());
            var otherVm = new VmKey(host, Guid.NewGuid());
            await scenario.OwnAsync(ownVm, own);
            await scenario.OwnAsync(otherVm, other);
            switch (profile)
            {
                case Profile.GlobalAdministrator: await scenario.GrantAsync(actor, PortalRole.Administrator, null); break;
                case Profile.TeamAdministrator: await scenario.GrantAsync(actor, PortalRole.Administrator, own); break;
                case Profile.Operator: await scenario.GrantAsync(actor, PortalRole.Operator, own); break;
                case Profile.HelpDeskFullMayReboot: await scenario.GrantAsync(actor, PortalRole.HelpDesk, own, mayReboot: true); break;
                case Profile.HelpDeskViewOnly: await scenario.GrantAsync(actor, PortalRole.HelpDesk, own, consoleViewOnly: true); break;
                case Profile.Viewer: await scenario.GrantAsync(actor, PortalRole.Viewer, own); break;
            }
            return new World(actor, host, own, other, ownVm, otherVm);
        }
    }

    /// <summary>The gated services for one actor over recording fakes; <see cref="TryAsync"/> runs one action through them.</summary>
    private sealed class GatedServices
    {
        private readonly AccessScenario scenario;
        private readonly Actor? actor;
        private readonly RecordingHostManager hostManager = new();

        public GatedServices(KvmPortalAppFixture app, AccessScenario scenario, Actor? actor, Guid? chosenTeam)
        {
            this.scenario = scenario;
            this.actor = actor;
            var gate = scenario.Gate(actor);
            var targets = scenario.Targets;
            var ownership = app.Services.GetRequiredService<VmOwnership>();
            var creationTeam = new VmCreationTeam(scenario.Policy, app.Services.GetRequiredService<TeamDirectoryReader>()) { Chosen = chosenTeam };
            var quotas = app.Services.GetRequiredService<KvmPortal.Web.Quotas.QuotaGuard>();
            Vms = new GatedVmOperations(InnerVms, gate, targets, quotas);
            Editing = new GatedVmEditing(InnerEditing, gate, targets, app.Services.GetRequiredService<VmOwnershipIndex>(), quotas);
            var views = new AccessViewSource(new FixedActor(actor), scenario.Policy, app.Services.GetRequiredService<VmOwnershipIndex>(), app.Services.GetRequiredService<TeamDirectoryReader>());
            Provisioning = new GatedVmProvisioning(InnerProvisioning, gate, creationTeam, ownership, targets, views, quotas);
            Networks = new GatedNetworkOperations(InnerNetworks, gate, targets);
            Storage = new GatedStorageOperations(InnerStorage, gate, targets, quotas);
            StorageQueries = new GatedStorageQueries(InnerStorage, gate);
            Snapshots = new GatedSnapshotOperations(InnerSnapshots, gate, targets, quotas);
            Migration = new GatedVmMigration(InnerMigration, gate, targets, app.Services.GetRequiredService<VmOwnershipIndex>(), views,
                app.Services.GetRequiredService<KvmPortal.Hypervisor.Inventory.IInventory>());
            var directory = ActivatorUtilities.CreateInstance<HostDirectory>(app.Services, (KvmPortal.Hypervisor.Hosts.IHostManager)hostManager);
            Hosts = new GatedHostDirectory(directory, gate, targets);
        }

        public RecordingVmOperations InnerVms { get; } = new();
        public RecordingVmEditing InnerEditing { get; } = new();
        public RecordingVmProvisioning InnerProvisioning { get; } = new();
        public RecordingNetworkOperations InnerNetworks { get; } = new();
        public FakeStorage InnerStorage { get; } = new();
        public RecordingSnapshotOperations InnerSnapshots { get; } = new();
        public RecordingVmMigration InnerMigration { get; } = new();

        public IVmOperations Vms { get; }
        public IVmEditing Editing { get; }
        public IVmProvisioning Provisioning { get; }
        public INetworkOperations Networks { get; }
        public IStorageOperations Storage { get; }
        public IStorageQueries StorageQueries { get; }
        public ISnapshotOperations Snapshots { get; }
        public IVmMigration Migration { get; }
        public IHostDirectory Hosts { get; }

        public bool InnerWasCalled => !InnerVms.Calls.IsEmpty || !InnerEditing.Calls.IsEmpty || !InnerProvisioning.Created.IsEmpty
            || !InnerNetworks.Calls.IsEmpty || !InnerStorage.Calls.IsEmpty || !InnerSnapshots.Calls.IsEmpty || !InnerMigration.Calls.IsEmpty || hostManager.Detached.Count > 0;

        public sealed record Outcome(bool Allowed, bool Audited);

        /// <summary>Runs the action; a refusal is an <see cref="AccessDeniedException"/>, anything else (even a hypervisor error) got past the gate.</summary>
        public async Task<Outcome> TryAsync(PortalAction action, VmKey vm)
        {
            var (run, audited) = Operation(action, vm);
            try
            {
                await run();
                return new Outcome(true, audited);
            }
            catch (AccessDeniedException e)
            {
                Assert.Equal(action, e.Action);
                return new Outcome(false, audited);
            }
            catch (HypervisorException)
            {
                return new Outcome(true, audited);
            }
        }

        private (Func<Task> Run, bool Audited) Operation(PortalAction action, VmKey vm) => action switch
        {
            PortalAction.ViewVm => (() => Vms.GetDetailsAsync(vm), false),
            PortalAction.CreateVm => (() => Provisioning.CreateAsync(new DomainSpec { HostId = vm.HostId, Name = "kvmportal-test-matrix", MemoryBytes = 256UL << 20 }), true),
            PortalAction.EditVm => (() => Editing.SetVcpusAsync(vm, 2, ChangeScope.Config), true),
            PortalAction.DeleteVm => (() => Editing.DeleteAsync(vm, new DeleteOptions()), true),
            PortalAction.ControlVm => (() => Vms.ExecuteAsync(vm, VmAction.ForceOff), true),
            PortalAction.RebootVm => (() => Vms.ExecuteAsync(vm, VmAction.Reboot), true),
            PortalAction.SnapshotVm => (() => Snapshots.CreateAsync(vm, new SnapshotSpec("matrix", null, SnapshotKind.Internal, false)), true),
            // The fake refuses a migration to the VM's own host (as the real one does): past the gate, without a second host,
            // so it is audited as a failure (the success entry: MigrationGateTests).
            PortalAction.MigrateVm => (() => Migration.MigrateAsync(vm, new MigrationSpec(vm.HostId, MigrationMode.Live)), false),
            // Audited either way, but a view-only ticket in its place is a success entry: checked by the console tests.
            PortalAction.OpenConsole => (() => FullConsoleAsync(vm), false),
            PortalAction.OpenConsoleViewOnly => (() => scenario.Tickets(actor).IssueAsync(actor!.UserId, new ConsoleTarget(vm.HostId, vm.Uuid, ConsoleKind.Vnc, ConsoleMode.ViewOnly)), true),
            PortalAction.ViewHosts => (() => Hosts.ListAsync(), false),
            PortalAction.ManageHosts => (() => Hosts.RemoveAsync(vm.HostId), true),
            PortalAction.ViewStorage => (() => StorageQueries.ListPoolsAsync(vm.HostId), false),
            PortalAction.ManageStorage => (() => Storage.CreateVolumeAsync(vm.HostId, new VolumeSpec("default", "kvmportal-test.qcow2", 1UL << 30)), true),
            PortalAction.ViewNetworks => (() => Networks.GetLeasesAsync(new NetworkKey(vm.HostId, Guid.NewGuid())), false),
            PortalAction.ManageNetworks => (() => Networks.StartAsync(new NetworkKey(vm.HostId, Guid.NewGuid())), true),
            // No service of this branch performs these yet (usage, users, audit pages): the policy decides them.
            _ => (() => DemandAsync(action, vm), false),
        };

        /// <summary>A full console: a ticket that comes back view-only is a refusal of the full console.</summary>
        private async Task FullConsoleAsync(VmKey vm)
        {
            var tickets = scenario.Tickets(actor);
            var token = await tickets.IssueAsync(actor!.UserId, new ConsoleTarget(vm.HostId, vm.Uuid, ConsoleKind.Vnc, ConsoleMode.Full));
            if ((await tickets.RedeemAsync(token, actor.UserId)).Target!.Mode != ConsoleMode.Full)
                throw new AccessDeniedException(PortalAction.OpenConsole, "view-only instead");
        }

        private Task DemandAsync(PortalAction action, VmKey vm) =>
            scenario.Gate(actor).DemandAsync(action, IsGlobal(action) ? AccessTarget.Host(vm.HostId) : AccessTarget.Of(vm));

        private static bool IsGlobal(PortalAction action) => !OnVms.Contains(action);
    }
}
