using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Api;

/// <summary>A partial edit: each field that is set is applied (vCPUs, memory, autostart, then the rename).</summary>
public sealed record VmEditRequest(int? VCpus = null, ulong? MemoryBytes = null, ChangeScope? Scope = null, bool? Autostart = null, string? Name = null);

public sealed record VmXmlRequest(string? Xml = null);

/// <summary>A clone of a shut-off VM: its name, the pool for full copies (null: each disk's own), linked or full, the owning team.</summary>
public sealed record VmCloneRequest(string? Name = null, string? Pool = null, bool Linked = false, Guid? Team = null);

/// <summary>/api/v1/vms: the VM list from the inventory (what the caller may see), details, lifecycle, create, clone, edit, delete.</summary>
public static class VmsApi
{
    public static RouteGroupBuilder MapVmsApi(this RouteGroupBuilder api)
    {
        var vms = api.MapGroup("/vms").WithTags("VMs");

        vms.MapGet("/", async (bool? template, IInventory inventory, ApiAccess access, CancellationToken ct) =>
        {
            var visible = await access.VmVisibilityAsync(ct);
            return TypedResults.Ok(inventory.Current.Vms.Values.Where(vm => visible(vm.Key) && (template is null || vm.Template == template))
                .OrderBy(vm => vm.Name, StringComparer.OrdinalIgnoreCase).ToList());
        });

        vms.MapPost("/", async (DomainSpec spec, IInventory inventory, IVmProvisioning provisioning, CancellationToken ct) =>
        {
            if (!inventory.Current.Hosts.ContainsKey(spec.HostId))
                return ApiProblems.HostNotFound(spec.HostId);
            var problems = await provisioning.ValidateAsync(spec, ct);
            if (problems.Count > 0)
                return ApiProblems.Invalid(problems);
            var key = await provisioning.CreateAsync(spec, ct);
            return Results.Created($"{ApiRoutes.Base}/vms/{key.HostId}/{key.Uuid}", key);
        });

        var vm = vms.MapGroup("/{hostId}/{uuid}").AddEndpointFilter(RequireKnownVm);

        vm.MapGet("/", async (Guid hostId, Guid uuid, IVmOperations operations, CancellationToken ct) =>
            TypedResults.Ok(await operations.GetDetailsAsync(new VmKey(hostId, uuid), ct)));

        vm.MapPost("/actions/{action}", async (Guid hostId, Guid uuid, string action, IVmOperations operations, CancellationToken ct) =>
        {
            if (ParseAction(action) is not { } parsed)
                return ApiProblems.Invalid("action", $"Unknown action '{action}'; use one of: {string.Join(", ", Enum.GetNames<VmAction>().Select(n => n.ToLowerInvariant()))}.");
            await operations.ExecuteAsync(new VmKey(hostId, uuid), parsed, ct);
            return Results.NoContent();
        });

        vm.MapPatch("/", async (Guid hostId, Guid uuid, VmEditRequest edit, IVmEditing editing, CancellationToken ct) =>
        {
            if (EditProblems(edit) is { } problem)
                return problem;
            var key = new VmKey(hostId, uuid);
            var scope = edit.Scope ?? ChangeScope.Config;
            if (edit.VCpus is { } vcpus) await editing.SetVcpusAsync(key, vcpus, scope, ct);
            if (edit.MemoryBytes is { } memory) await editing.SetMemoryAsync(key, memory, scope, ct);
            if (edit.Autostart is { } autostart) await editing.SetAutostartAsync(key, autostart, ct);
            if (edit.Name is { } name) await editing.RenameAsync(key, name, ct);
            return Results.NoContent();
        });

        vm.MapPost("/clone", (Guid hostId, Guid uuid, VmCloneRequest request, IVmCloning cloning, VmCreationTeam creationTeam, CancellationToken ct) =>
            CloneAsync(new VmKey(hostId, uuid), request, fromTemplate: false, cloning, creationTeam, ct));

        vm.MapGet("/xml", async (Guid hostId, Guid uuid, IVmEditing editing, CancellationToken ct) =>
            TypedResults.Text(await editing.GetPersistentXmlAsync(new VmKey(hostId, uuid), ct), "application/xml"));

        vm.MapPut("/xml", async (Guid hostId, Guid uuid, VmXmlRequest request, IVmEditing editing, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Xml))
                return ApiProblems.Invalid("xml", "The domain XML is required.");
            await editing.ReplaceXmlAsync(new VmKey(hostId, uuid), request.Xml, ct);
            return Results.NoContent();
        });

        vm.MapDelete("/", async (Guid hostId, Guid uuid, bool? removeStorage, bool? removeSnapshotsMetadata, bool? removeNvram,
            IVmEditing editing, CancellationToken ct) =>
        {
            var options = new DeleteOptions(removeStorage ?? false, removeSnapshotsMetadata ?? true, removeNvram ?? true);
            return TypedResults.Ok(await editing.DeleteAsync(new VmKey(hostId, uuid), options, ct));
        });
        return api;
    }

    /// <summary>A clone, or a VM made from a template: 201 with the new VM, 400 with the spec's problems.</summary>
    internal static async Task<IResult> CloneAsync(VmKey source, VmCloneRequest request, bool fromTemplate, IVmCloning cloning, VmCreationTeam creationTeam,
        CancellationToken ct)
    {
        creationTeam.Chosen = request.Team;
        try
        {
            var key = await cloning.CloneAsync(source, new CloneSpec(request.Name ?? "", request.Pool, request.Linked, fromTemplate), cancellationToken: ct);
            return Results.Created($"{ApiRoutes.Base}/vms/{key.HostId}/{key.Uuid}", key);
        }
        catch (HypervisorException invalid) when (invalid.Kind == HypervisorErrorKind.InvalidSpec)
        {
            return ApiProblems.Invalid(invalid.Problems);
        }
    }

    /// <summary>404 for a VM the inventory does not know, before anything is asked of the host.</summary>
    internal static async ValueTask<object?> RequireKnownVm(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!Guid.TryParse(http.Request.RouteValues["hostId"]?.ToString(), out var hostId)
            || !Guid.TryParse(http.Request.RouteValues["uuid"]?.ToString(), out var uuid))
            return await next(context); // binding already answered 400
        var inventory = http.RequestServices.GetRequiredService<IInventory>().Current;
        if (!inventory.Hosts.ContainsKey(hostId))
            return ApiProblems.HostNotFound(hostId);
        if (!inventory.Vms.ContainsKey(new VmKey(hostId, uuid)))
            return ApiProblems.VmNotFound(hostId, uuid);
        return await next(context);
    }

    private static VmAction? ParseAction(string action) =>
        Enum.GetValues<VmAction>().Select(a => (VmAction?)a).FirstOrDefault(a => string.Equals(a.ToString(), action, StringComparison.OrdinalIgnoreCase));

    private static IResult? EditProblems(VmEditRequest edit)
    {
        var problems = new List<SpecProblem>();
        if (edit is { VCpus: null, MemoryBytes: null, Autostart: null, Name: null })
            problems.Add(SpecProblem.Of("edit", "NothingToChange", "Nothing to change: set vCpus, memoryBytes, autostart or name."));
        if (edit.VCpus is <= 0 or > DomainSpecValidator.MaxVCpus)
            problems.Add(SpecProblem.Of("vCpus", "VCpusRange", $"vCPUs must be between 1 and {DomainSpecValidator.MaxVCpus}.", SpecProblem.Number(DomainSpecValidator.MaxVCpus)));
        if (edit.MemoryBytes is { } memory && memory is < DomainSpecValidator.MinMemoryBytes or > DomainSpecValidator.MaxMemoryBytes)
            problems.Add(SpecProblem.Of("memoryBytes", "MemoryRange", $"Memory must be between {SpecProblem.Size(DomainSpecValidator.MinMemoryBytes)} and {SpecProblem.Size(DomainSpecValidator.MaxMemoryBytes)}.",
                SpecProblem.Size(DomainSpecValidator.MinMemoryBytes), SpecProblem.Size(DomainSpecValidator.MaxMemoryBytes)));
        if (edit.Scope is { } scope && (scope == 0 || (scope & ~ChangeScope.Both) != 0))
            problems.Add(SpecProblem.Of("scope", "ScopeInvalid", "The scope must be Live, Config or Both."));
        if (edit.Name is { } name && string.IsNullOrWhiteSpace(name))
            problems.Add(SpecProblem.Of("name", "NameRequired", "The new name must not be empty."));
        return problems.Count > 0 ? ApiProblems.Invalid(problems) : null;
    }
}
