using System.Net;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Consoles;
using KvmPortal.Web.Tests.Access;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>
/// GET /screenshots/{host}/{vm} through the real gate and grants: refusals happen before any libvirt call (the
/// service's own answers for running VMs are tested against qemu:///system in the hypervisor tests).
/// </summary>
public sealed class ScreenshotEndpointTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private const string Password = "Screens-Passw0rd!";
    private readonly AccessScenario scenario = new(app);

    [Fact]
    public async Task Only_users_who_may_watch_the_vms_console_get_an_answer_and_a_stopped_vm_is_a_conflict()
    {
        var hostId = await scenario.CreateHostAsync();
        var host = app.Inventory.AddHost("screens-" + hostId.ToString("N")[..8], id: hostId);
        var ours = app.Inventory.AddVm(host, "ours-stopped", VmState.ShutOff);
        var theirs = app.Inventory.AddVm(host, "theirs-running", VmState.Running);
        var team = await scenario.CreateTeamAsync();
        await scenario.OwnAsync(ours.Key, team);
        var desk = await UserAsync("screens-desk");
        await scenario.GrantAsync(desk, PortalRole.HelpDesk, team, consoleViewOnly: true);
        var viewer = await UserAsync("screens-viewer");
        await scenario.GrantAsync(viewer, PortalRole.Viewer, team);
        var nobody = await UserAsync("screens-nobody");

        var anonymous = await PortalSignIn.NewBrowser(app).GetAsync(ScreenshotEndpoints.PathOf(theirs.Key));
        var client = await PortalSignIn.SignedInAsync(app, desk.UserName, Password);
        var otherTeams = await client.GetAsync(ScreenshotEndpoints.PathOf(theirs.Key));
        var stopped = await client.GetAsync(ScreenshotEndpoints.PathOf(ours.Key));
        // Seeing the VM in the list is not enough: its screen shows what its console would.
        var viewOnly = await (await PortalSignIn.SignedInAsync(app, viewer.UserName, Password)).GetAsync(ScreenshotEndpoints.PathOf(ours.Key));
        var noGrant = await (await PortalSignIn.SignedInAsync(app, nobody.UserName, Password)).GetAsync(ScreenshotEndpoints.PathOf(ours.Key));

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/account/login", anonymous.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, otherTeams.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewOnly.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noGrant.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stopped.StatusCode);
        Assert.Equal("application/problem+json", stopped.Content.Headers.ContentType!.MediaType);
        var problem = await stopped.Content.ReadAsStringAsync();
        Assert.Contains("ours-stopped", problem);
        Assert.Contains("\"kind\":\"InvalidState\"", problem);
    }

    [Fact]
    public async Task An_unknown_vm_is_not_found_and_a_stopped_one_is_a_conflict_for_an_administrator_too()
    {
        var hostId = await scenario.CreateHostAsync();
        var host = app.Inventory.AddHost("screens-" + hostId.ToString("N")[..8], id: hostId);
        var stopped = app.Inventory.AddVm(host, "api-stopped", VmState.ShutOff);
        var admin = await PortalSignIn.SignedInAsync(app, "admin", KvmPortalAppFixture.AdminPassword);

        var unknown = await admin.GetAsync(ScreenshotEndpoints.PathOf(new VmKey(hostId, Guid.NewGuid())));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.GetAsync(ScreenshotEndpoints.PathOf(stopped.Key))).StatusCode);
    }

    private async Task<Actor> UserAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..24];
        var id = await PortalSignIn.EnsurePlainUserAsync(app, name, Password);
        return new Actor(id, name, "192.0.2.7");
    }
}
