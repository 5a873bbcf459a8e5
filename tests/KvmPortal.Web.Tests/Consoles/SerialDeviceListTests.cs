using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Consoles;
using KvmPortal.Web.Tests.Access;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Consoles;

/// <summary>The serial console page's device list asks for the grant that opens the console, on the real grants.</summary>
public sealed class SerialDeviceListTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private readonly AccessScenario scenario = new(app);
    private readonly CountingSerialConsoles consoles = new();

    [Theory]
    [InlineData(PortalRole.Operator, false)]
    [InlineData(PortalRole.HelpDesk, true)]
    [InlineData(PortalRole.HelpDesk, false)]
    public async Task Whoever_may_open_the_console_gets_the_devices(PortalRole role, bool viewOnly)
    {
        var (actor, vm) = await OwnedVmAsync(role, viewOnly);

        var devices = await List(actor).ListAsync(vm);

        Assert.Equal("serial0", Assert.Single(devices).Alias);
        Assert.Equal(1, consoles.Lists);
    }

    [Fact]
    public async Task A_viewer_of_the_team_is_refused_without_the_host_being_asked()
    {
        var (actor, vm) = await OwnedVmAsync(PortalRole.Viewer, false);

        await Assert.ThrowsAsync<AccessDeniedException>(() => List(actor).ListAsync(vm));
        Assert.Equal(0, consoles.Lists);
    }

    [Fact]
    public async Task An_operator_of_another_team_is_refused()
    {
        var (actor, _) = await OwnedVmAsync(PortalRole.Operator, false);
        var otherVm = new VmKey(await scenario.CreateHostAsync(), Guid.NewGuid());
        await scenario.OwnAsync(otherVm, await scenario.CreateTeamAsync());

        await Assert.ThrowsAsync<AccessDeniedException>(() => List(actor).ListAsync(otherVm));
        Assert.Equal(0, consoles.Lists);
    }

    private SerialDeviceList List(Actor actor) =>
        new(new FixedActor(actor), app.Services.GetRequiredService<ConsoleAccess>(), consoles);

    private async Task<(Actor Actor, VmKey Vm)> OwnedVmAsync(PortalRole role, bool viewOnly)
    {
        var actor = await scenario.CreateUserAsync();
        var team = await scenario.CreateTeamAsync();
        var vm = new VmKey(await scenario.CreateHostAsync(), Guid.NewGuid());
        await scenario.OwnAsync(vm, team);
        await scenario.GrantAsync(actor, role, team, consoleViewOnly: viewOnly);
        return (actor, vm);
    }

    /// <summary>Answers with one device and counts how often the host was asked.</summary>
    private sealed class CountingSerialConsoles : ISerialConsoles
    {
        public int Lists { get; private set; }

        public Task<IReadOnlyList<SerialDevice>> ListDevicesAsync(VmKey vm, CancellationToken cancellationToken = default)
        {
            Lists++;
            return Task.FromResult<IReadOnlyList<SerialDevice>>([new SerialDevice("serial0", "serial", "isa-serial", 0)]);
        }

        public Task<SerialConsole> OpenAsync(VmKey vm, string? alias, bool takeOver, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The device list never opens a console.");
    }
}
