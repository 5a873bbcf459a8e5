using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>/api/v1/vms/{hostId}/{uuid}/snapshots: list, take, revert, describe, delete; gated like the Snapshots tab.</summary>
[Collection(ApiCollection.Name)]
public sealed class SnapshotsApiTests(ApiAppFixture app)
{
    [Fact]
    public async Task An_administrator_takes_lists_reverts_describes_and_deletes_snapshots()
    {
        var host = app.Inventory.AddHost("api-snap-" + Guid.NewGuid().ToString("N")[..6]);
        var vm = app.Inventory.AddVm(host, "snappy", VmState.ShutOff);
        var client = await app.AdminClientAsync();
        var name = "before-" + Guid.NewGuid().ToString("N")[..6];
        var path = $"/api/v1/vms/{host.Id}/{vm.Uuid}/snapshots";

        var created = await client.PostAsync(path, JsonContent.Create(new { name, description = "clean", kind = "Internal", includeMemory = false }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"{path}/{name}", created.Headers.Location?.ToString());

        var listed = JsonDocument.Parse(await client.GetStringAsync(path)).RootElement;
        Assert.Contains(listed.EnumerateArray(), s => s.GetProperty("name").GetString() == name);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"{path}/{name}/revert", JsonContent.Create(new { start = "Running" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsync($"{path}/{name}", JsonContent.Create(new { description = "tidy" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{path}/{name}?children=true")).StatusCode);

        Assert.Contains($"Create {name} 'clean' Internal memory=False", app.Snapshots.Calls);
        Assert.Contains($"Revert {name} Running", app.Snapshots.Calls);
        Assert.Contains($"Describe {name} 'tidy'", app.Snapshots.Calls);
        Assert.Contains($"Delete {name} children=True", app.Snapshots.Calls);
    }

    [Fact]
    public async Task A_viewer_may_list_but_not_take_an_unknown_vm_is_404_and_a_bad_kind_is_400()
    {
        var access = app.Access;
        var host = app.Inventory.AddHost("api-snap-viewer-" + Guid.NewGuid().ToString("N")[..6]);
        var vm = app.Inventory.AddVm(host, "watched", VmState.ShutOff);
        var viewer = await access.CreateUserAsync("viewer");
        await access.GrantAsync(viewer, PortalRole.Viewer, team: null);
        var client = app.ApiClient((await app.CreateTokenAsync(viewer.UserId)).Token);
        var path = $"/api/v1/vms/{host.Id}/{vm.Uuid}/snapshots";

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
        await ApiAssert.ProblemAsync(await client.PostAsync(path, JsonContent.Create(new { name = "nope" })), HttpStatusCode.Forbidden);
        Assert.DoesNotContain(app.Snapshots.Calls, c => c.StartsWith("Create nope", StringComparison.Ordinal));

        var admin = await app.AdminClientAsync();
        await ApiAssert.ProblemAsync(await admin.GetAsync($"/api/v1/vms/{host.Id}/{Guid.NewGuid()}/snapshots"), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await admin.PostAsync(path, JsonContent.Create(new { name = "x", kind = "Sideways" })), HttpStatusCode.BadRequest);
    }
}
