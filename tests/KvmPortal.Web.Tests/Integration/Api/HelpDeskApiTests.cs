using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>A help-desk user's token: the same permissions as in the UI, whatever request it crafts.</summary>
[Collection(ApiCollection.Name)]
public sealed class HelpDeskApiTests(ApiAppFixture app)
{
    /// <summary>A host with a VM of the help desk's team and one of another team, and the help desk's token.</summary>
    private async Task<(HostInfo Host, VmInfo Own, VmInfo Other, HttpClient Client)> ArrangeAsync(bool mayReboot = false)
    {
        var access = app.Access;
        var hostId = await access.CreateHostAsync();
        var host = app.Inventory.AddHost("helpdesk-" + hostId.ToString("N")[..6], id: hostId);
        var own = app.Inventory.AddVm(host, "team-vm");
        var other = app.Inventory.AddVm(host, "other-vm");
        var team = await access.CreateTeamAsync();
        await access.OwnAsync(own.Key, team);
        await access.OwnAsync(other.Key, await access.CreateTeamAsync());
        var user = await access.CreateUserAsync("helpdesk");
        await access.GrantAsync(user, PortalRole.HelpDesk, team, mayReboot: mayReboot);
        return (host, own, other, app.ApiClient((await app.CreateTokenAsync(user.UserId)).Token));
    }

    [Fact]
    public async Task Help_desk_cannot_force_off_through_the_api()
    {
        var (host, own, _, client) = await ArrangeAsync(mayReboot: true);

        var problem = await ApiAssert.ProblemAsync(await client.PostAsync($"/api/v1/vms/{host.Id}/{own.Uuid}/actions/forceoff", null),
            HttpStatusCode.Forbidden);

        Assert.Equal(nameof(PortalAction.ControlVm), problem.GetProperty("action").GetString());
        Assert.DoesNotContain(app.VmOperations.Calls, call => call.Vm == own.Key);
        // The permitted action on the same VM goes through: the refusal is the permission, not the request.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/vms/{host.Id}/{own.Uuid}/actions/reboot", null)).StatusCode);
        Assert.Contains((own.Key, VmAction.Reboot), app.VmOperations.Calls);
    }

    [Fact]
    public async Task Help_desk_sees_only_its_teams_vms_and_cannot_touch_others()
    {
        var (host, own, other, client) = await ArrangeAsync();

        var vms = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms");
        var listed = vms.EnumerateArray().Select(v => v.GetProperty("uuid").GetGuid()).ToList();
        Assert.Contains(own.Uuid, listed);
        Assert.DoesNotContain(other.Uuid, listed);

        await ApiAssert.ProblemAsync(await client.PostAsync($"/api/v1/vms/{host.Id}/{other.Uuid}/actions/reboot", null), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await client.PatchAsync($"/api/v1/vms/{host.Id}/{own.Uuid}", JsonContent.Create(new { vCpus = 8 })), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await client.DeleteAsync($"/api/v1/vms/{host.Id}/{own.Uuid}"), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await client.PostAsync("/api/v1/hosts", JsonContent.Create(new { name = "evil", uri = "test:///default" })), HttpStatusCode.Forbidden);
        Assert.DoesNotContain(app.VmOperations.Calls, call => call.Vm == other.Key);
    }
}
