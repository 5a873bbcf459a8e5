using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Access;

public sealed class VmOwnershipIndexTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private readonly AccessScenario _scenario = new(app);

    private VmOwnershipIndex Index => app.Services.GetRequiredService<VmOwnershipIndex>();

    [Fact]
    public async Task A_VM_is_owned_moved_to_another_team_and_released()
    {
        var vm = new VmKey(await _scenario.CreateHostAsync(), Guid.NewGuid());
        var (first, second) = (await _scenario.CreateTeamAsync(), await _scenario.CreateTeamAsync());

        await Index.SetAsync(vm, first);
        Assert.Equal(first, await Index.GetTeamAsync(vm));
        await Index.SetAsync(vm, second);
        Assert.Equal(second, await Index.GetTeamAsync(vm));
        await Index.SetAsync(vm, null);
        Assert.Null(await Index.GetTeamAsync(vm));
    }

    [Fact]
    public async Task Writers_racing_to_own_a_new_VM_leave_one_owner_and_no_error()
    {
        var vm = new VmKey(await _scenario.CreateHostAsync(), Guid.NewGuid());
        var teams = new[] { await _scenario.CreateTeamAsync(), await _scenario.CreateTeamAsync() };

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Index.SetAsync(vm, teams[i % 2]))));

        Assert.Contains(await Index.GetTeamAsync(vm), teams.Cast<Guid?>());
    }
}
