using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>POST /api/v1/vms/{hostId}/{uuid}/clone: 201 with the new VM, 400 for a bad name, 409 for a running VM or a quota.</summary>
[Collection(ApiCollection.Name)]
public sealed class CloneApiTests(ApiAppFixture app)
{
    [Fact]
    public async Task A_clone_is_created_with_its_key_and_reaches_the_cloner_with_what_was_sent()
    {
        var host = app.Inventory.AddHost("api-clone-" + Guid.NewGuid().ToString("N")[..6]);
        var vm = app.Inventory.AddVm(host, "golden", VmState.ShutOff);
        var client = await app.AdminClientAsync();

        var response = await client.PostAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}/clone", JsonContent.Create(new { name = "golden-2", pool = "fast", linked = false }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var key = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(host.Id, key.GetProperty("hostId").GetGuid());
        var uuid = key.GetProperty("uuid").GetGuid();
        Assert.Equal($"/api/v1/vms/{host.Id}/{uuid}", response.Headers.Location?.ToString());
        var (source, spec) = Assert.Single(app.Cloning.Cloned, c => c.Source == vm.Key);
        Assert.Equal(("golden-2", "fast", false), (spec.Name, spec.TargetPool, spec.Linked));
    }

    [Fact]
    public async Task A_bad_name_is_a_validation_problem_and_a_running_vm_a_conflict()
    {
        var host = app.Inventory.AddHost("api-clone-bad-" + Guid.NewGuid().ToString("N")[..6]);
        var off = app.Inventory.AddVm(host, "off", VmState.ShutOff);
        var running = app.Inventory.AddVm(host, "busy", VmState.Running);
        var client = await app.AdminClientAsync();

        var bad = await ApiAssert.ProblemAsync(await client.PostAsync($"/api/v1/vms/{host.Id}/{off.Uuid}/clone", JsonContent.Create(new { name = "a/b" })),
            HttpStatusCode.BadRequest);
        Assert.Equal("NameHasSlash", bad.GetProperty("problems")[0].GetProperty("key").GetString());
        Assert.True(bad.GetProperty("errors").TryGetProperty("Name", out _));

        var busy = await ApiAssert.ProblemAsync(await client.PostAsync($"/api/v1/vms/{host.Id}/{running.Uuid}/clone", JsonContent.Create(new { name = "busy-2" })),
            HttpStatusCode.Conflict);
        Assert.Equal("InvalidState", busy.GetProperty("kind").GetString());
        Assert.DoesNotContain(app.Cloning.Cloned, c => c.Source == off.Key || c.Source == running.Key);
    }

    [Fact]
    public async Task A_clone_past_the_teams_quota_is_a_conflict()
    {
        var access = app.Access;
        var hostId = await access.CreateHostAsync();
        var host = app.Inventory.AddHost("clone-quota-" + hostId.ToString("N")[..6], id: hostId);
        var team = await access.CreateTeamAsync("clonequota");
        var vm = app.Inventory.AddVm(host, "only", VmState.ShutOff);
        await access.OwnAsync(vm.Key, team);
        await using (var db = await access.Contexts.CreateDbContextAsync())
            await db.Teams.Where(t => t.Id == team).ExecuteUpdateAsync(s => s.SetProperty(t => t.MaxVms, 1));
        var user = await access.CreateUserAsync("operator");
        await access.GrantAsync(user, PortalRole.Operator, team);
        var client = app.ApiClient((await app.CreateTokenAsync(user.UserId)).Token);

        var response = await client.PostAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}/clone", JsonContent.Create(new { name = "only-2", team }));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("QuotaVmsExceeded", problem.GetProperty("kind").GetString());
        Assert.DoesNotContain(app.Cloning.Cloned, c => c.Source == vm.Key);
    }
}
