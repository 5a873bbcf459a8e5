using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace KvmPortal.Web.Access;

/// <summary>An endpoint or page that needs a portal permission on everything (e.g. the audit log).</summary>
public sealed record PortalActionRequirement(PortalAction Action) : IAuthorizationRequirement;

/// <summary>
/// Decides <see cref="PortalActionRequirement"/> with <see cref="IAccessPolicy"/>, from the grants in the database at
/// this request, not from a role claim in the cookie (which lags until the cookie is revalidated).
/// </summary>
public sealed class PortalActionAuthorizationHandler(IAccessPolicy policy) : AuthorizationHandler<PortalActionRequirement>
{
    public const string ViewAuditPolicy = "portal:" + nameof(PortalAction.ViewAudit);

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PortalActionRequirement requirement)
    {
        if (context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return;
        var actor = new Actor(userId, context.User.Identity?.Name ?? userId, null);
        if (await policy.IsAllowedAsync(actor, requirement.Action, AccessTarget.Global))
            context.Succeed(requirement);
    }
}
