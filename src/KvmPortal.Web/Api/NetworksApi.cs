using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Api;

/// <summary>/api/v1/networks: every host's virtual networks from the inventory; create, start, stop, delete.</summary>
public static class NetworksApi
{
    public static RouteGroupBuilder MapNetworksApi(this RouteGroupBuilder api)
    {
        var networks = api.MapGroup("/networks").WithTags("Networks");

        networks.MapGet("/", async (IInventory inventory, ApiAccess access, CancellationToken ct) =>
        {
            // Seeing networks does not depend on the host (AccessRules): one decision serves the whole list.
            List<NetworkInfo> visible = await access.AllowedAsync(PortalAction.ViewNetworks, AccessTarget.Global, ct)
                ? [.. inventory.Current.Networks.Values.OrderBy(n => n.Name, StringComparer.Ordinal)]
                : [];
            return TypedResults.Ok(visible);
        });

        var host = networks.MapGroup("/{hostId}").AddEndpointFilter(StorageApi.RequireKnownHost);

        host.MapPost("/", async (Guid hostId, NetworkSpec spec, INetworkOperations operations, CancellationToken ct) =>
        {
            var key = await operations.CreateAsync(hostId, spec, ct); // an invalid spec raises every problem: 400
            return Results.Created($"{ApiRoutes.Base}/networks/{key.HostId}/{key.Uuid}", key);
        });

        var network = host.MapGroup("/{uuid}").AddEndpointFilter(RequireKnownNetwork);
        network.MapPost("/start", (Guid hostId, Guid uuid, INetworkOperations operations, CancellationToken ct) =>
            Call(operations.StartAsync(new NetworkKey(hostId, uuid), ct)));
        network.MapPost("/stop", (Guid hostId, Guid uuid, INetworkOperations operations, CancellationToken ct) =>
            Call(operations.StopAsync(new NetworkKey(hostId, uuid), ct)));
        network.MapDelete("/", (Guid hostId, Guid uuid, INetworkOperations operations, CancellationToken ct) =>
            Call(operations.DeleteAsync(new NetworkKey(hostId, uuid), ct)));
        return api;
    }

    private static async Task<IResult> Call(Task operation)
    {
        await operation;
        return Results.NoContent();
    }

    private static async ValueTask<object?> RequireKnownNetwork(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (Guid.TryParse(http.Request.RouteValues["hostId"]?.ToString(), out var hostId)
            && Guid.TryParse(http.Request.RouteValues["uuid"]?.ToString(), out var uuid)
            && !http.RequestServices.GetRequiredService<IInventory>().Current.Networks.ContainsKey(new NetworkKey(hostId, uuid)))
            return ApiProblems.NotFound($"No network {uuid} on host {hostId}.");
        return await next(context);
    }
}
