using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Hypervisor.Vms.Templates;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Api;

/// <summary>
/// /api/v1/vms/{hostId}/{uuid}/template: PUT marks a shut-off VM as a template, DELETE unmarks it; POST .../template/vms
/// makes a VM from the template (a clone body: name, pool, linked, team), with the clone's permissions and quota.
/// </summary>
public static class TemplatesApi
{
    public static RouteGroupBuilder MapTemplatesApi(this RouteGroupBuilder api)
    {
        var template = api.MapGroup("/vms/{hostId}/{uuid}/template").WithTags("Templates").AddEndpointFilter(VmsApi.RequireKnownVm);

        template.MapPut("/", async (Guid hostId, Guid uuid, IVmTemplates templates, CancellationToken ct) =>
        {
            await templates.SetTemplateAsync(new VmKey(hostId, uuid), true, ct);
            return Results.NoContent();
        });

        template.MapDelete("/", async (Guid hostId, Guid uuid, IVmTemplates templates, CancellationToken ct) =>
        {
            await templates.SetTemplateAsync(new VmKey(hostId, uuid), false, ct);
            return Results.NoContent();
        });

        template.MapPost("/vms", (Guid hostId, Guid uuid, VmCloneRequest request, IVmCloning cloning, VmCreationTeam creationTeam, CancellationToken ct) =>
            VmsApi.CloneAsync(new VmKey(hostId, uuid), request, fromTemplate: true, cloning, creationTeam, ct));
        return api;
    }
}
