using System.Security.Claims;
using System.Text.Encodings.Web;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Api.Tokens;

/// <summary>
/// Authenticates <c>Authorization: Bearer kvp_...</c> with a personal API token. The principal is the token owner's,
/// made by Identity's claims factory exactly as for a cookie sign-in, so every permission check sees the same user.
/// WebSocket clients cannot set headers: on the inventory hub's path only, the token may come as <c>access_token</c>.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokens tokens,
    UserManager<KvmPortalUser> users,
    IUserClaimsPrincipalFactory<KvmPortalUser> principals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string TokenIdClaim = "kvmportal:api_token";
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedToken() is not { } presented)
            return AuthenticateResult.NoResult();

        var check = await tokens.CheckAsync(presented, Context.RequestAborted);
        if (check.Token is not { } token)
        {
            Logger.LogInformation("API token refused: {Refusal}", check.Refusal);
            return AuthenticateResult.Fail("The API token is not valid.");
        }

        var user = await users.FindByIdAsync(token.UserId);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            Logger.LogInformation("API token {Prefix} refused: its user is gone or locked out", token.Prefix);
            return AuthenticateResult.Fail("The API token is not valid.");
        }

        var principal = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(TokenIdClaim, token.Id.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>401 with a problem body; the same answer for a missing, malformed, unknown, revoked or expired token.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            title: "Unauthorized",
            detail: "This API needs a personal API token: 'Authorization: Bearer kvp_...' (create one at /account/tokens).",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Results.Problem(title: "Forbidden", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(Context);

    private string? PresentedToken()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return header[BearerPrefix.Length..].Trim();
        if (Request.Path.StartsWithSegments(ApiRoutes.InventoryHub) && Request.Query["access_token"].ToString() is { Length: > 0 } query)
            return query;
        return null;
    }
}
