using System.Net;
using System.Net.Http.Json;
using KvmPortal.Web.Access;
using KvmPortal.Web.Tests.Access;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>A quota refusal through the API: 409 with the refusal's text, the request never reaching the hypervisor.</summary>
[Collection(ApiCollection.Name)]
public sealed class QuotaApiTests(ApiAppFixture app)
{
    [Fact]
    public async Task Creating_a_vm_past_the_teams_quota_is_a_conflict_naming_the_quota()
    {
        var access = app.Access;
        var hostId = await access.CreateHostAsync();
        var host = app.Inventory.AddHost("quota-api-" + hostId.ToString("N")[..6], id: hostId);
        var team = await access.CreateTeamAsync("quota");
        await access.OwnAsync(app.Inventory.AddVm(host, "existing").Key, team);
        await using (var db = await access.Contexts.CreateDbContextAsync())
            await db.Teams.Where(t => t.Id == team).ExecuteUpdateAsync(s => s.SetProperty(t => t.MaxVms, 1));
        var teamName = await SingleNameAsync(access, team);
        var user = await access.CreateUserAsync("operator");
        await access.GrantAsync(user, PortalRole.Operator, team);
        var client = app.ApiClient((await app.CreateTokenAsync(user.UserId)).Token);

        var response = await client.PostAsync("/api/v1/vms", JsonContent.Create(new { hostId = host.Id, name = "quota-api-vm", memoryBytes = 1UL << 30, vCpus = 1 }));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal($"Team {teamName}'s VM count quota (1) would be exceeded: 1 in use, 1 requested.", problem.GetProperty("detail").GetString());
        Assert.Equal("QuotaVmsExceeded", problem.GetProperty("kind").GetString());
        Assert.DoesNotContain(app.Provisioning.Created, s => s.Name == "quota-api-vm");
    }

    private static async Task<string> SingleNameAsync(AccessScenario access, Guid team)
    {
        await using var db = await access.Contexts.CreateDbContextAsync();
        return await db.Teams.Where(t => t.Id == team).Select(t => t.Name).SingleAsync();
    }
}
