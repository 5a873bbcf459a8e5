using System.Security.Claims;
using KvmPortal.Web.Audit;
using Microsoft.AspNetCore.Components.Authorization;

namespace KvmPortal.Web.Access;

/// <summary>
/// The actor of the current scope: in a Blazor circuit the user of the authentication state (the HttpContext there
/// is not the circuit's), in a plain request (pages rendered on the server, minimal APIs, the console WebSocket)
/// HttpContext.User; in a job's scope the job's owner (<see cref="Jobs.JobActor"/>).
/// </summary>
internal sealed class CurrentActor(
    Jobs.JobActor job,
    CircuitConnection circuit,
    IHttpContextAccessor http,
    AuthenticationStateProvider authentication) : ICurrentActor
{
    public async Task<Actor> GetAsync(CancellationToken cancellationToken = default)
    {
        if (job.Actor is { } owner)
            return owner;
        ClaimsPrincipal user;
        string? sourceIp;
        if (!circuit.IsCircuit && http.HttpContext is { } context)
        {
            user = context.User;
            sourceIp = SourceAddress.Of(context);
        }
        else
        {
            user = (await authentication.GetAuthenticationStateAsync()).User;
            sourceIp = circuit.SourceIp;
        }
        return FromPrincipal(user, sourceIp);
    }

    /// <summary>
    /// The actor of a principal. Nobody signed in is refused as <see cref="PortalAction.ViewVm"/>, the least action;
    /// <see cref="OperationGate"/> reports the refusal under the action that was asked for.
    /// </summary>
    internal static Actor FromPrincipal(ClaimsPrincipal user, string? sourceIp) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } id
            ? new Actor(id, user.Identity.Name ?? id, sourceIp)
            : throw new AccessDeniedException(PortalAction.ViewVm, "Nobody is signed in.");
}
