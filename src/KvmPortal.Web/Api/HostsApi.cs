using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Web.Access;
using KvmPortal.Web.Hosts;
using KvmPortal.Web.Hosts.Credentials;

namespace KvmPortal.Web.Api;

/// <summary>A new host; <c>credentials</c> (PEM/OpenSSH text, see the host form) are optional.</summary>
public sealed record AddHostRequest(string? Name = null, string? Uri = null, HostCredentialInput? Credentials = null);

/// <summary>/api/v1/hosts: the hosts' live state from the inventory; adding and removing through the host directory.</summary>
public static class HostsApi
{
    public static RouteGroupBuilder MapHostsApi(this RouteGroupBuilder api)
    {
        var hosts = api.MapGroup("/hosts").WithTags("Hosts");

        hosts.MapGet("/", async (IInventory inventory, ApiAccess access, CancellationToken ct) =>
        {
            // Seeing hosts does not depend on the host (AccessRules): one decision serves the whole list.
            List<HostInfo> visible = await access.AllowedAsync(PortalAction.ViewHosts, AccessTarget.Global, ct)
                ? [.. inventory.Current.Hosts.Values.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase)]
                : [];
            return TypedResults.Ok(visible);
        });

        hosts.MapGet("/{hostId}", async (Guid hostId, IInventory inventory, ApiAccess access, CancellationToken ct) =>
        {
            if (!inventory.Current.Hosts.TryGetValue(hostId, out var host))
                return ApiProblems.HostNotFound(hostId);
            await access.DemandAsync(PortalAction.ViewHosts, AccessTarget.Host(hostId), ct);
            return TypedResults.Ok(host);
        });

        hosts.MapPost("/", async (AddHostRequest request, IHostDirectory directory, CancellationToken ct) =>
        {
            var result = await directory.AddAsync(request.Name, request.Uri, request.Credentials, ct);
            return result.Host is { } host
                ? Results.Created($"{ApiRoutes.Base}/hosts/{host.Id}", new { host.Id, host.Name, host.Uri })
                : Invalid(result);
        });

        // Stored credentials: the summary (never the keys), replace, remove.
        hosts.MapGet("/{hostId}/credentials", async (Guid hostId, IHostDirectory directory, CancellationToken ct) =>
            await directory.CredentialSummaryAsync(hostId, ct) is { } summary ? Results.Ok(summary) : Results.NoContent());

        hosts.MapPut("/{hostId}/credentials", async (Guid hostId, HostCredentialInput credentials, IHostDirectory directory, CancellationToken ct) =>
            await directory.SetCredentialsAsync(hostId, credentials, ct) is { Succeeded: false } failed
                ? failed.Problems.Count > 0 ? Invalid(failed) : ApiProblems.HostNotFound(hostId)
                : Results.NoContent());

        hosts.MapDelete("/{hostId}/credentials", async (Guid hostId, IHostDirectory directory, CancellationToken ct) =>
            await directory.SetCredentialsAsync(hostId, null, ct) is { Succeeded: false } ? ApiProblems.HostNotFound(hostId) : Results.NoContent());

        hosts.MapDelete("/{hostId}", async (Guid hostId, IHostDirectory directory, CancellationToken ct) =>
        {
            var result = await directory.RemoveAsync(hostId, ct);
            return result.Succeeded ? Results.NoContent() : ApiProblems.HostNotFound(hostId);
        });
        return api;
    }

    private static IResult Invalid(HostDirectoryResult result) => result.Problems.Count > 0
        ? Results.ValidationProblem(result.Problems.GroupBy(p => p.Field.ToString()).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()))
        : ApiProblems.Invalid("host", result.Error!);
}
