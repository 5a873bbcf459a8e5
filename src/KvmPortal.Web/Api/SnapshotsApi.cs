using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Api;

/// <summary>Take a snapshot: the name (libvirt picks one when null), a description, internal or external, with memory.</summary>
public sealed record SnapshotRequest(string? Name = null, string? Description = null, SnapshotKind Kind = SnapshotKind.Internal, bool IncludeMemory = false);

/// <summary>Revert: as the snapshot recorded, or start the VM running or paused.</summary>
public sealed record SnapshotRevertRequest(RevertStart Start = RevertStart.AsSaved);

public sealed record SnapshotDescriptionRequest(string? Description = null);

public sealed record SnapshotCreated(string Name);

/// <summary>/api/v1/vms/{hostId}/{uuid}/snapshots: a VM's snapshots, as on its Snapshots tab (gated and audited alike).</summary>
public static class SnapshotsApi
{
    public static RouteGroupBuilder MapSnapshotsApi(this RouteGroupBuilder api)
    {
        var snapshots = api.MapGroup("/vms/{hostId}/{uuid}/snapshots").WithTags("Snapshots").AddEndpointFilter(VmsApi.RequireKnownVm);

        snapshots.MapGet("/", async (Guid hostId, Guid uuid, ISnapshotOperations operations, CancellationToken ct) =>
            TypedResults.Ok(await operations.ListAsync(new VmKey(hostId, uuid), ct)))
            .WithSummary("The VM's snapshots, parents before children, the current one marked");

        snapshots.MapPost("/", async (Guid hostId, Guid uuid, SnapshotRequest request, ISnapshotOperations operations, CancellationToken ct) =>
        {
            var name = await operations.CreateAsync(new VmKey(hostId, uuid),
                new SnapshotSpec(request.Name, request.Description, request.Kind, request.IncludeMemory), cancellationToken: ct);
            return Results.Created($"{ApiRoutes.Base}/vms/{hostId}/{uuid}/snapshots/{Uri.EscapeDataString(name)}", new SnapshotCreated(name));
        }).WithSummary("Take a snapshot (internal: qcow2 disks, with memory when running; or external disk-only)");

        snapshots.MapPost("/{name}/revert", async (Guid hostId, Guid uuid, string name, SnapshotRevertRequest? request,
            ISnapshotOperations operations, CancellationToken ct) =>
        {
            await operations.RevertAsync(new VmKey(hostId, uuid), name, request?.Start ?? RevertStart.AsSaved, ct);
            return Results.NoContent();
        }).WithSummary("Revert the VM to the snapshot");

        snapshots.MapPatch("/{name}", async (Guid hostId, Guid uuid, string name, SnapshotDescriptionRequest request,
            ISnapshotOperations operations, CancellationToken ct) =>
        {
            await operations.SetDescriptionAsync(new VmKey(hostId, uuid), name, request.Description, ct);
            return Results.NoContent();
        }).WithSummary("Change the snapshot's description");

        snapshots.MapDelete("/{name}", async (Guid hostId, Guid uuid, string name, bool? children, ISnapshotOperations operations, CancellationToken ct) =>
        {
            await operations.DeleteAsync(new VmKey(hostId, uuid), name, children ?? false, ct);
            return Results.NoContent();
        }).WithSummary("Delete the snapshot (with its children when children=true)");
        return api;
    }
}
