using System.Security.Claims;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Components.Account;

/// <summary>
/// Re-checks the user's security stamp every 30 minutes while a circuit is open (deleted users drop out). While the
/// portal's database is unavailable the user stays signed in: nothing can be done meanwhile anyway (every operation
/// checks its grant in the database), and an outage should not sign out every open page.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> options) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<IdentityRevalidatingAuthenticationStateProvider>();

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(30);

    protected override Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken) => IsStillValidAsync(authenticationState, cancellationToken);

    internal async Task<bool> IsStillValidAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            return await MatchesStoredUserAsync(authenticationState);
        }
        catch (Exception e) when (PortalDatabase.IsUnavailable(e))
        {
            logger.LogWarning("The sign-in of {User} could not be re-checked, the database is unavailable: {Reason}",
                authenticationState.User.Identity?.Name, e.Message);
            return true;
        }
    }

    private async Task<bool> MatchesStoredUserAsync(AuthenticationState authenticationState)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        var user = await users.GetUserAsync(authenticationState.User);
        if (user is null)
            return false;
        if (!users.SupportsUserSecurityStamp)
            return true;
        var principalStamp = authenticationState.User.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await users.GetSecurityStampAsync(user);
    }
}
