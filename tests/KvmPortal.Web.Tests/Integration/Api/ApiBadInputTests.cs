using System.Net;
using System.Text;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>
/// Bad input on every endpoint: malformed JSON, wrong types, missing fields, bad GUIDs, unknown hosts and VMs. Each
/// gets a problem body with 400 or 404, never a 500. {host} and {vm} are a known host and VM, {unknown} a random GUID.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiBadInputTests(ApiAppFixture app)
{
    private static readonly Guid HostId = Guid.NewGuid();
    private static readonly Guid VmId = Guid.NewGuid();
    private static readonly Guid NetworkId = Guid.NewGuid();

    public static TheoryData<string, string, string?, HttpStatusCode> Cases => new()
    {
        { "GET", "/api/v1/hosts/not-a-guid", null, HttpStatusCode.BadRequest },
        { "GET", "/api/v1/hosts/{unknown}", null, HttpStatusCode.NotFound },
        { "POST", "/api/v1/hosts", "{", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/hosts", """{"name":5}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/hosts", """{"name":"","uri":"http://nope"}""", HttpStatusCode.BadRequest },
        { "DELETE", "/api/v1/hosts/not-a-guid", null, HttpStatusCode.BadRequest },
        { "DELETE", "/api/v1/hosts/{unknown}", null, HttpStatusCode.NotFound },
        { "POST", "/api/v1/hosts", """{"name":"credentialed","uri":"qemu+tls://lab/system","credentials":{"tlsCaCertificate":"not pem"}}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/hosts", """{"name":"credentialed","uri":"qemu+tcp://lab/system","credentials":{"sshPrivateKey":"x","sshKnownHosts":"y"}}""", HttpStatusCode.BadRequest },
        { "PUT", "/api/v1/hosts/{unknown}/credentials", """{"sshPrivateKey":"x"}""", HttpStatusCode.NotFound },
        { "PUT", "/api/v1/hosts/not-a-guid/credentials", "{}", HttpStatusCode.BadRequest },
        { "DELETE", "/api/v1/hosts/{unknown}/credentials", null, HttpStatusCode.NotFound },
        { "GET", "/api/v1/vms/not-a-guid/{vm}", null, HttpStatusCode.BadRequest },
        { "GET", "/api/v1/vms/{host}/12345", null, HttpStatusCode.BadRequest },
        { "GET", "/api/v1/vms/{unknown}/{vm}", null, HttpStatusCode.NotFound },
        { "GET", "/api/v1/vms/{host}/{unknown}", null, HttpStatusCode.NotFound },
        { "POST", "/api/v1/vms/{host}/{vm}/actions/explode", null, HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms/{host}/{vm}/actions/1", null, HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms/{host}/{unknown}/actions/start", null, HttpStatusCode.NotFound },
        { "POST", "/api/v1/vms", "{", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", "", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", "null", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", """{"name":"x","memoryBytes":536870912}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", """{"hostId":"nope","name":"x","memoryBytes":536870912}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", """{"hostId":"{host}","name":"x","memoryBytes":"lots"}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", """{"hostId":"{host}","name":"x","memoryBytes":-5}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", """{"hostId":"{host}","name":"x","memoryBytes":536870912,"kind":"Xen"}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", """{"hostId":"{host}","name":"x","memoryBytes":536870912,"install":{"kind":"floppy"}}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", """{"hostId":"{host}","name":"x","memoryBytes":536870912,"install":{"kind":"cdrom"}}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", """{"hostId":"{host}","name":null,"memoryBytes":536870912}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms", """{"hostId":"{unknown}","name":"x","memoryBytes":536870912}""", HttpStatusCode.NotFound },
        { "PATCH", "/api/v1/vms/{host}/{vm}", "{}", HttpStatusCode.BadRequest },
        { "PATCH", "/api/v1/vms/{host}/{vm}", """{"vCpus":"many"}""", HttpStatusCode.BadRequest },
        { "PATCH", "/api/v1/vms/{host}/{vm}", """{"vCpus":0}""", HttpStatusCode.BadRequest },
        { "PATCH", "/api/v1/vms/{host}/{vm}", """{"memoryBytes":1}""", HttpStatusCode.BadRequest },
        { "PATCH", "/api/v1/vms/{host}/{vm}", """{"vCpus":2,"scope":"Sometimes"}""", HttpStatusCode.BadRequest },
        { "PATCH", "/api/v1/vms/{host}/{vm}", """{"name":" "}""", HttpStatusCode.BadRequest },
        { "PATCH", "/api/v1/vms/{host}/{unknown}", """{"vCpus":2}""", HttpStatusCode.NotFound },
        { "PUT", "/api/v1/vms/{host}/{vm}/xml", """{"xml":""}""", HttpStatusCode.BadRequest },
        { "PUT", "/api/v1/vms/{host}/{vm}/xml", "<domain/>", HttpStatusCode.BadRequest },
        { "DELETE", "/api/v1/vms/{host}/{vm}?removeStorage=maybe", null, HttpStatusCode.BadRequest },
        { "DELETE", "/api/v1/vms/{unknown}/{vm}", null, HttpStatusCode.NotFound },
        { "POST", "/api/v1/vms/{host}/{vm}/console-tickets", """{"viewOnly":"yes"}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/vms/{host}/{unknown}/console-tickets", "{}", HttpStatusCode.NotFound },
        { "GET", "/api/v1/pools/not-a-guid", null, HttpStatusCode.BadRequest },
        { "GET", "/api/v1/pools/{unknown}", null, HttpStatusCode.NotFound },
        { "POST", "/api/v1/pools/{host}", "{", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/pools/{host}", "{}", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/pools/{host}", """{"pool":{"name":""}}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/pools/{host}", """{"pool":{"name":"p","type":"Tape"}}""", HttpStatusCode.BadRequest },
        { "DELETE", "/api/v1/pools/{host}/p?deleteStorage=perhaps", null, HttpStatusCode.BadRequest },
        { "POST", "/api/v1/pools/{host}/p/volumes", """{"name":"v","sizeBytes":-1}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/pools/{host}/p/volumes", """{"sizeBytes":1}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/pools/{unknown}/p/volumes", """{"name":"v","sizeBytes":1}""", HttpStatusCode.NotFound },
        { "POST", "/api/v1/networks/{host}", "{", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/networks/{host}", """{"name":""}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/networks/{host}", """{"name":"n","mode":"Warp"}""", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/networks/{unknown}", """{"name":"n"}""", HttpStatusCode.NotFound },
        { "POST", "/api/v1/networks/{host}/not-a-guid/start", null, HttpStatusCode.BadRequest },
        { "POST", "/api/v1/networks/{host}/{unknown}/stop", null, HttpStatusCode.NotFound },
        { "DELETE", "/api/v1/networks/{host}/{unknown}", null, HttpStatusCode.NotFound },
        { "GET", "/api/v1/nothing-here", null, HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_problem_never_a_500(string method, string path, string? body, HttpStatusCode expected)
    {
        EnsureTargets();
        string Fill(string text) => text.Replace("{host}", HostId.ToString()).Replace("{vm}", VmId.ToString())
            .Replace("{unknown}", Guid.NewGuid().ToString());
        var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body is not null)
            request.Content = new StringContent(Fill(body), Encoding.UTF8, "application/json");
        var calls = app.VmOperations.Calls.Count + app.Editing.Calls.Count + app.Networks.Calls.Count + app.Storage.Calls.Count;

        var response = await (await app.AdminClientAsync()).SendAsync(request);

        await ApiAssert.ProblemAsync(response, expected);
        Assert.Equal(calls, app.VmOperations.Calls.Count + app.Editing.Calls.Count + app.Networks.Calls.Count + app.Storage.Calls.Count);
    }

    private void EnsureTargets()
    {
        if (app.Inventory.Current.Vms.ContainsKey(new(HostId, VmId)))
            return;
        var host = app.Inventory.AddHost("api-input", id: HostId);
        app.Inventory.Push(new KvmPortal.Hypervisor.Inventory.VmChanged(app.Inventory.AddVm(host, "web1") with { Uuid = VmId }));
        app.Inventory.Push(new KvmPortal.Hypervisor.Inventory.NetworkChanged(new(HostId, NetworkId, "lab",
            KvmPortal.Hypervisor.Networks.NetworkForwardMode.Nat, null, null, null, null, null, true, true, true, 0)));
    }
}
