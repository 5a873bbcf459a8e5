using System.Text.Json;
using System.Threading.Channels;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Api.Hubs;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>The inventory hub over a real SignalR client: the visible snapshot, then the visible changes, in order.</summary>
[Collection(ApiCollection.Name)]
public sealed class InventoryHubTests(ApiAppFixture app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HubConnection Connect(string token, HttpTransportType transport, Channel<(string Method, JsonElement Body)> received)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "api/v1/hubs/inventory"), options =>
            {
                options.Transports = transport;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                options.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                // As a browser does: WebSockets cannot carry the header there, so the token goes as access_token in the URL.
                options.WebSocketFactory = async (context, ct) => await app.Server.CreateWebSocketClient()
                    .ConnectAsync(new Uri($"{context.Uri}&access_token={Uri.EscapeDataString(token)}"), ct);
            })
            .Build();
        connection.On<JsonElement>(InventoryHub.SnapshotMethod, body => received.Writer.TryWrite((InventoryHub.SnapshotMethod, body)));
        connection.On<JsonElement>(InventoryHub.ChangesMethod, body => received.Writer.TryWrite((InventoryHub.ChangesMethod, body)));
        return connection;
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task A_client_gets_its_visible_snapshot_then_pushed_vm_changes(HttpTransportType transport)
    {
        var access = app.Access;
        var hostId = await access.CreateHostAsync();
        var host = app.Inventory.AddHost("hub-" + hostId.ToString("N")[..6], id: hostId);
        var own = app.Inventory.AddVm(host, "seen");
        var other = app.Inventory.AddVm(host, "unseen");
        var team = await access.CreateTeamAsync();
        await access.OwnAsync(own.Key, team);
        var user = await access.CreateUserAsync("hub");
        await access.GrantAsync(user, PortalRole.Viewer, team);
        var received = Channel.CreateUnbounded<(string Method, JsonElement Body)>();
        await using var connection = Connect((await app.CreateTokenAsync(user.UserId)).Token, transport, received);

        await connection.StartAsync().WaitAsync(Patience);

        var (method, snapshot) = await received.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(InventoryHub.SnapshotMethod, method);
        var vms = snapshot.GetProperty("vms").EnumerateArray().Select(v => v.GetProperty("uuid").GetGuid()).ToList();
        Assert.Contains(own.Uuid, vms);
        Assert.DoesNotContain(other.Uuid, vms);
        Assert.Contains(snapshot.GetProperty("hosts").EnumerateArray(), h => h.GetProperty("id").GetGuid() == host.Id);

        // The invisible VM's change is pushed first: the feed is ordered, so it would arrive before the visible one.
        app.Inventory.Push(new VmChanged(other with { State = VmState.Paused }));
        app.Inventory.Push(new VmChanged(own with { State = VmState.Paused }));

        var (changesMethod, changes) = await received.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(InventoryHub.ChangesMethod, changesMethod);
        var change = Assert.Single(changes.EnumerateArray());
        Assert.Equal("vmChanged", change.GetProperty("type").GetString());
        Assert.Equal(own.Uuid, change.GetProperty("vm").GetProperty("uuid").GetGuid());
        Assert.Equal("Paused", change.GetProperty("vm").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Without_a_valid_token_the_hub_refuses_the_connection()
    {
        var received = Channel.CreateUnbounded<(string Method, JsonElement Body)>();
        await using var connection = Connect("kvp_0123456789_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", HttpTransportType.LongPolling, received);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync().WaitAsync(Patience));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }
}
