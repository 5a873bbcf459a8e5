using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Api;

/// <summary>A pool to define, and what to do right after: build its storage, start it, mark it autostart.</summary>
public sealed record PoolCreateRequest(PoolSpec Pool, bool Build = true, bool Start = true, bool Autostart = true);

/// <summary>A volume to create in the pool of the URL; like <see cref="VolumeSpec"/> without the pool.</summary>
public sealed record VolumeCreateRequest(
    string Name,
    ulong SizeBytes,
    VolumeFormat Format = VolumeFormat.Qcow2,
    Preallocation Preallocation = Preallocation.Off,
    VolumeRef? BackingVolume = null);

/// <summary>/api/v1/pools/{hostId}: a host's storage pools and their volumes.</summary>
public static class StorageApi
{
    public static RouteGroupBuilder MapStorageApi(this RouteGroupBuilder api)
    {
        var pools = api.MapGroup("/pools/{hostId}").WithTags("Storage").AddEndpointFilter(RequireKnownHost);

        pools.MapGet("/", async (Guid hostId, IStorageQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListPoolsAsync(hostId, ct)));

        pools.MapPost("/", async (Guid hostId, PoolCreateRequest request, IStorageOperations storage, CancellationToken ct) =>
        {
            var problems = await storage.ValidatePoolAsync(hostId, request.Pool, ct);
            if (problems.Count > 0)
                return ApiProblems.Invalid(problems);
            await storage.DefinePoolAsync(hostId, request.Pool, request.Build, request.Start, request.Autostart, ct);
            return Results.Created($"{ApiRoutes.Base}/pools/{hostId}/{Uri.EscapeDataString(request.Pool.Name)}/volumes", null);
        });

        pools.MapDelete("/{pool}", async (Guid hostId, string pool, bool? deleteStorage, IStorageOperations storage, CancellationToken ct) =>
        {
            await storage.DeletePoolAsync(hostId, pool, deleteStorage ?? false, ct);
            return Results.NoContent();
        });

        pools.MapGet("/{pool}/volumes", async (Guid hostId, string pool, IStorageOperations storage, CancellationToken ct) =>
            TypedResults.Ok(await storage.ListVolumesAsync(hostId, pool, ct)));

        pools.MapPost("/{pool}/volumes", async (Guid hostId, string pool, VolumeCreateRequest request, IStorageOperations storage, CancellationToken ct) =>
        {
            var spec = new VolumeSpec(pool, request.Name, request.SizeBytes, request.Format, request.Preallocation, request.BackingVolume);
            var problems = await storage.ValidateVolumeAsync(hostId, spec, ct);
            if (problems.Count > 0)
                return ApiProblems.Invalid(problems);
            await storage.CreateVolumeAsync(hostId, spec, ct);
            return Results.Created($"{ApiRoutes.Base}/pools/{hostId}/{Uri.EscapeDataString(pool)}/volumes/{Uri.EscapeDataString(request.Name)}", null);
        });

        pools.MapDelete("/{pool}/volumes/{name}", async (Guid hostId, string pool, string name, IStorageOperations storage, CancellationToken ct) =>
        {
            await storage.DeleteVolumeAsync(hostId, pool, name, ct);
            return Results.NoContent();
        });
        return api;
    }

    /// <summary>404 for a host the inventory does not know, before anything is asked of it.</summary>
    internal static async ValueTask<object?> RequireKnownHost(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (Guid.TryParse(http.Request.RouteValues["hostId"]?.ToString(), out var hostId)
            && !http.RequestServices.GetRequiredService<IInventory>().Current.Hosts.ContainsKey(hostId))
            return ApiProblems.HostNotFound(hostId);
        return await next(context);
    }
}
