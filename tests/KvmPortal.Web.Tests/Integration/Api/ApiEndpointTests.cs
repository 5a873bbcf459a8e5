using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>The REST API as an administrator's token drives it: calls reach the (fake) services with what was sent.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiEndpointTests(ApiAppFixture app)
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Lifecycle_actions_reach_the_vm_operations()
    {
        var host = app.Inventory.AddHost("api-life-" + Guid.NewGuid().ToString("N")[..6]);
        var vm = app.Inventory.AddVm(host, "web1");
        var client = await app.AdminClientAsync();

        foreach (var (path, action) in new[] { ("forceoff", VmAction.ForceOff), ("start", VmAction.Start), ("Reboot", VmAction.Reboot) })
        {
            var response = await client.PostAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}/actions/{path}", null);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Contains((vm.Key, action), app.VmOperations.Calls);
        }
    }

    [Theory]
    [InlineData(HypervisorErrorKind.InvalidState, HttpStatusCode.Conflict)]
    [InlineData(HypervisorErrorKind.Failed, HttpStatusCode.UnprocessableEntity)]
    [InlineData(HypervisorErrorKind.VmGone, HttpStatusCode.NotFound)]
    [InlineData(HypervisorErrorKind.HostOffline, HttpStatusCode.ServiceUnavailable)]
    public async Task Libvirt_refusals_become_problems_by_kind(HypervisorErrorKind kind, HttpStatusCode status)
    {
        var host = app.Inventory.AddHost("api-fail-" + Guid.NewGuid().ToString("N")[..6]);
        var vm = app.Inventory.AddVm(host, "web1");
        var client = await app.AdminClientAsync();
        app.VmOperations.Failure = new HypervisorException("Pause web1 failed.", "Requested operation is not valid: domain is not running") { Kind = kind };
        try
        {
            var problem = await ApiAssert.ProblemAsync(await client.PostAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}/actions/pause", null), status);
            Assert.Equal("Pause web1 failed.", problem.GetProperty("detail").GetString());
            Assert.Equal(kind.ToString(), problem.GetProperty("kind").GetString());
            Assert.Equal("Requested operation is not valid: domain is not running", problem.GetProperty("libvirtMessage").GetString());
        }
        finally
        {
            app.VmOperations.Failure = null;
        }
    }

    [Fact]
    public async Task Lists_and_details_come_from_the_inventory_and_the_operations()
    {
        var host = app.Inventory.AddHost("api-list-" + Guid.NewGuid().ToString("N")[..6]);
        var vm = app.Inventory.AddVm(host, "listed-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.AdminClientAsync();

        var vms = await client.GetFromJsonAsync<JsonElement>("/api/v1/vms");
        var row = vms.EnumerateArray().Single(v => v.GetProperty("uuid").GetGuid() == vm.Uuid);
        Assert.Equal("Running", row.GetProperty("state").GetString());
        Assert.Equal(vm.Name, row.GetProperty("name").GetString());

        var hosts = await client.GetFromJsonAsync<JsonElement>("/api/v1/hosts");
        Assert.Contains(hosts.EnumerateArray(), h => h.GetProperty("id").GetGuid() == host.Id);
        Assert.Equal(host.Name, (await client.GetFromJsonAsync<JsonElement>($"/api/v1/hosts/{host.Id}")).GetProperty("name").GetString());

        app.VmOperations.Details = key => new VmDetails(vm, null, null, "qemu", "hvm", "x86_64", "pc", vm.MemoryBytes, true, [], [], [], "<domain/>");
        var details = await client.GetFromJsonAsync<JsonElement>($"/api/v1/vms/{host.Id}/{vm.Uuid}");
        Assert.True(details.GetProperty("autostart").GetBoolean());
        Assert.Equal("<domain/>", details.GetProperty("xml").GetString());
    }

    [Fact]
    public async Task A_vm_is_created_from_a_spec_with_its_install_source()
    {
        var host = app.Inventory.AddHost("api-new-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.AdminClientAsync();
        var body = """
            {"hostId":"HOST","name":"api-made","memoryBytes":536870912,"vCpus":2,"kind":"Qemu",
             "install":{"kind":"cdrom","iso":{"pool":"isos","name":"debian.iso"}},
             "disks":[{"newVolume":{"pool":"default","name":"api-made.qcow2","sizeBytes":1073741824}}],
             "nics":[{"kind":"Network","source":"default"}]}
            """.Replace("HOST", host.Id.ToString());

        var response = await client.PostAsync("/api/v1/vms", Json(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/vms/{host.Id}/{app.Provisioning.CreatedUuid}", response.Headers.Location?.ToString());
        var spec = app.Provisioning.Created.Single(s => s.Name == "api-made");
        Assert.Equal(new VolumeRef("isos", "debian.iso"), Assert.IsType<CdromInstallSource>(spec.Install).Iso);
        Assert.Equal(2, spec.VCpus);
        Assert.Equal(DomainKind.Qemu, spec.Kind);
    }

    [Fact]
    public async Task An_invalid_spec_lists_every_problem()
    {
        var host = app.Inventory.AddHost("api-bad-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.AdminClientAsync();

        var response = await client.PostAsync("/api/v1/vms", Json($$"""{"hostId":"{{host.Id}}","name":"bad name/","memoryBytes":1,"vCpus":0}"""));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("Name", fields);
        Assert.Contains("MemoryBytes", fields);
        Assert.Contains("VCpus", fields);
        Assert.DoesNotContain(app.Provisioning.Created, s => s.Name == "bad name/");
    }

    [Fact]
    public async Task Edits_apply_each_field_given()
    {
        var host = app.Inventory.AddHost("api-edit-" + Guid.NewGuid().ToString("N")[..6]);
        var vm = app.Inventory.AddVm(host, "web1");
        var client = await app.AdminClientAsync();
        while (app.Editing.Calls.TryDequeue(out _)) { }

        var response = await client.PatchAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}",
            Json("""{"vCpus":4,"memoryBytes":2147483648,"scope":"Both","autostart":true,"name":"web2"}"""));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["SetVcpus 4 Both", "SetMemory 2147483648 Both", "SetAutostart True", "Rename web2"], app.Editing.Calls.ToArray());

        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}/xml", Json("""{"xml":"<domain/>"}"""))).StatusCode);
        Assert.Contains("ReplaceXml", app.Editing.Calls);

        var deleted = await client.DeleteAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}?removeStorage=true");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Contains("Delete storage=True snapshots=True nvram=True", app.Editing.Calls);
    }

    [Fact]
    public async Task Networks_are_created_started_stopped_and_deleted()
    {
        var host = app.Inventory.AddHost("api-net-" + Guid.NewGuid().ToString("N")[..6]);
        var network = new NetworkInfo(host.Id, Guid.NewGuid(), "lab", NetworkForwardMode.Nat, "virbr9", "192.168.150.1/24", null,
            null, null, true, false, true, 0);
        app.Inventory.Push(new KvmPortal.Hypervisor.Inventory.NetworkChanged(network));
        var client = await app.AdminClientAsync();

        var listed = await client.GetFromJsonAsync<JsonElement>("/api/v1/networks");
        Assert.Contains(listed.EnumerateArray(), n => n.GetProperty("uuid").GetGuid() == network.Uuid);

        var created = await client.PostAsync($"/api/v1/networks/{host.Id}",
            Json("""{"name":"api-net","mode":"Isolated","ipv4Address":"192.168.151.1","ipv4Prefix":24}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains(app.Networks.Created, s => s.Name == "api-net" && s.Mode == NetworkForwardMode.Isolated);

        foreach (var (method, path, call) in new[] { ("POST", "/start", "start"), ("POST", "/stop", "stop"), ("DELETE", "", "delete") })
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/v1/networks/{host.Id}/{network.Uuid}{path}"));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Contains($"{call} {network.Uuid}", app.Networks.Calls);
        }
    }

    [Fact]
    public async Task Pools_and_volumes_are_listed_created_and_deleted()
    {
        var host = app.Inventory.AddHost("api-pool-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.AdminClientAsync();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/pools/{host.Id}")).StatusCode);
        var pool = await client.PostAsync($"/api/v1/pools/{host.Id}", Json("""{"pool":{"name":"api-pool","type":"Dir","targetPath":"/var/lib/api-pool"},"autostart":false}"""));
        Assert.Equal(HttpStatusCode.Created, pool.StatusCode);
        Assert.Contains("define api-pool build=True start=True autostart=False", app.Storage.Calls);

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/v1/pools/{host.Id}/api-pool/volumes",
            Json("""{"name":"disk.qcow2","sizeBytes":1073741824}"""))).StatusCode);
        Assert.Contains("create api-pool/disk.qcow2 1073741824 Qcow2 Off ", app.Storage.Calls);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/pools/{host.Id}/api-pool/volumes/disk.qcow2")).StatusCode);
        Assert.Contains("delete api-pool/disk.qcow2", app.Storage.Calls);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/pools/{host.Id}/api-pool?deleteStorage=true")).StatusCode);
        Assert.Contains("delete-pool api-pool True", app.Storage.Calls);
    }

    [Fact]
    public async Task A_console_ticket_comes_with_its_websocket_url()
    {
        var host = app.Inventory.AddHost("api-con-" + Guid.NewGuid().ToString("N")[..6]);
        var vm = app.Inventory.AddVm(host, "web1");
        var client = await app.AdminClientAsync();

        var response = await client.PostAsync($"/api/v1/vms/{host.Id}/{vm.Uuid}/console-tickets", Json("""{"viewOnly":true}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(ticket.GetProperty("viewOnly").GetBoolean());
        Assert.Equal($"ws://localhost/consoles/vnc?ticket={ticket.GetProperty("ticket").GetString()}", ticket.GetProperty("webSocketUrl").GetString());
    }
}
