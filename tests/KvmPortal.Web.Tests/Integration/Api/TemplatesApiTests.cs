using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>PUT/DELETE /api/v1/vms/{hostId}/{uuid}/template and POST .../template/vms: through the gate, audited, refused clearly.</summary>
[Collection(ApiCollection.Name)]
public sealed class TemplatesApiTests(ApiAppFixture app)
{
    [Fact]
    public async Task A_vm_is_marked_listed_as_a_template_made_into_a_new_vm_and_unmarked()
    {
        var host = app.Inventory.AddHost("api-template-" + Guid.NewGuid().ToString("N")[..6]);
        var vm = app.Inventory.AddVm(host, "golden", VmState.ShutOff);
        var other = app.Inventory.AddVm(host, "plain", VmState.ShutOff);
        var client = await app.AdminClientAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}/template", null)).StatusCode);

        Assert.Contains((vm.Key, true), app.Templates.Changes);
        var templates = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?template=true");
        var listed = Assert.Single(templates.EnumerateArray(), v => v.GetProperty("hostId").GetGuid() == host.Id);
        Assert.Equal(vm.Uuid, listed.GetProperty("uuid").GetGuid());
        Assert.True(listed.GetProperty("template").GetBoolean());
        var ordinary = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?template=false");
        Assert.Contains(ordinary.EnumerateArray(), v => v.GetProperty("uuid").GetGuid() == other.Uuid);
        Assert.DoesNotContain(ordinary.EnumerateArray(), v => v.GetProperty("uuid").GetGuid() == vm.Uuid);

        var created = await client.PostAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}/template/vms", JsonContent.Create(new { name = "web-1", linked = true }));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var (_, spec) = Assert.Single(app.Cloning.Cloned, c => c.Source == vm.Key);
        Assert.Equal(("web-1", true, true), (spec.Name, spec.Linked, spec.FromTemplate));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}/template")).StatusCode);
        Assert.False(app.Inventory.Current.Vms[vm.Key].Template);
        await using var db = await app.Access.Contexts.CreateDbContextAsync();
        var actions = await db.AuditLog.Where(a => a.VmUuid == vm.Uuid || a.VmName == "web-1").Select(a => new { a.Action, a.Succeeded }).ToListAsync();
        Assert.Contains(new { Action = "vm.template.mark", Succeeded = true }, actions);
        Assert.Contains(new { Action = "vm.template.create", Succeeded = true }, actions);
        Assert.Contains(new { Action = "vm.template.unmark", Succeeded = true }, actions);
    }

    [Fact]
    public async Task A_running_vm_cannot_be_marked_and_a_vm_that_is_not_a_template_gives_no_new_vm()
    {
        var host = app.Inventory.AddHost("api-template-bad-" + Guid.NewGuid().ToString("N")[..6]);
        var running = app.Inventory.AddVm(host, "busy", VmState.Running);
        var plain = app.Inventory.AddVm(host, "plain", VmState.ShutOff);
        var client = await app.AdminClientAsync();

        var busy = await ApiAssert.ProblemAsync(await client.PutAsync($"/api/v1/vms/{host.Id}/{running.Uuid}/template", null), HttpStatusCode.Conflict);
        Assert.Equal("TemplateNeedsShutOff", busy.GetProperty("kind").GetString());
        var notTemplate = await ApiAssert.ProblemAsync(
            await client.PostAsync($"/api/v1/vms/{host.Id}/{plain.Uuid}/template/vms", JsonContent.Create(new { name = "plain-1" })), HttpStatusCode.Conflict);
        Assert.Equal("NotATemplate", notTemplate.GetProperty("kind").GetString());
        await ApiAssert.ProblemAsync(await client.PutAsync($"/api/v1/vms/{host.Id}/{Guid.NewGuid()}/template", null), HttpStatusCode.NotFound);

        Assert.False(app.Inventory.Current.Vms[running.Key].Template);
        Assert.DoesNotContain(app.Cloning.Cloned, c => c.Source == plain.Key);
    }

    [Fact]
    public async Task An_operator_of_another_team_may_neither_mark_unmark_nor_use_the_teams_template()
    {
        var access = app.Access;
        var hostId = await access.CreateHostAsync();
        var host = app.Inventory.AddHost("api-template-teams-" + hostId.ToString("N")[..6], id: hostId);
        var owners = await access.CreateTeamAsync("owners");
        var others = await access.CreateTeamAsync("others");
        var template = app.Inventory.AddVm(host, "owners-golden", VmState.ShutOff);
        var plain = app.Inventory.AddVm(host, "owners-plain", VmState.ShutOff);
        await access.OwnAsync(template.Key, owners);
        await access.OwnAsync(plain.Key, owners);
        await app.Templates.SetTemplateAsync(template.Key, true);
        var outsider = await access.CreateUserAsync("operator");
        await access.GrantAsync(outsider, PortalRole.Operator, others);
        var client = app.ApiClient((await app.CreateTokenAsync(outsider.UserId)).Token);

        var mark = await ApiAssert.ProblemAsync(await client.PutAsync($"/api/v1/vms/{host.Id}/{plain.Uuid}/template", null), HttpStatusCode.Forbidden);
        Assert.Equal(nameof(PortalAction.EditVm), mark.GetProperty("action").GetString());
        await ApiAssert.ProblemAsync(await client.DeleteAsync($"/api/v1/vms/{host.Id}/{template.Uuid}/template"), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(
            await client.PostAsync($"/api/v1/vms/{host.Id}/{template.Uuid}/template/vms", JsonContent.Create(new { name = "stolen", team = others })),
            HttpStatusCode.Forbidden);

        Assert.DoesNotContain(app.Templates.Changes, c => c.Vm == plain.Key);
        Assert.True(app.Inventory.Current.Vms[template.Key].Template);
        Assert.DoesNotContain(app.Cloning.Cloned, c => c.Source == template.Key);
        await using var db = await access.Contexts.CreateDbContextAsync();
        Assert.Contains(await db.AuditLog.Where(a => a.VmUuid == plain.Uuid).Select(a => new { a.Action, a.Succeeded }).ToListAsync(),
            a => a is { Action: "vm.template.mark", Succeeded: false });

        // An operator of the owning team may.
        var insider = await access.CreateUserAsync("operator");
        await access.GrantAsync(insider, PortalRole.Operator, owners);
        var own = app.ApiClient((await app.CreateTokenAsync(insider.UserId)).Token);
        Assert.Equal(HttpStatusCode.NoContent, (await own.PutAsync($"/api/v1/vms/{host.Id}/{plain.Uuid}/template", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created,
            (await own.PostAsync($"/api/v1/vms/{host.Id}/{template.Uuid}/template/vms", JsonContent.Create(new { name = "owners-web-1" }))).StatusCode);
    }
}
