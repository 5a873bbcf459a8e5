using System.Security.Claims;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Oidc;

/// <summary>
/// The last step of a sign-in through the identity provider, after its handler verified the answer into Identity's
/// external cookie: finds the account by its external login (AspNetUserLogins) or creates it, re-syncs the grants
/// the groups map to, signs in and audits. The provider's two-factor step counts; the portal's own is not asked.
/// </summary>
public sealed class OidcSignIn(
    SignInManager<KvmPortalUser> signIn,
    OidcGrantSync grants,
    AccountAudit audit,
    IOptions<OidcOptions> options,
    ILogger<OidcSignIn> logger)
{
    /// <summary>Null when the user is signed in; else why not (the attempt is audited either way).</summary>
    public async Task<OidcSignInFailure?> CompleteAsync(HttpContext context)
    {
        var provider = options.Value.DisplayName;
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
        {
            await TryAuditRefusalAsync(context, null, null, "no verified answer from the identity provider");
            return OidcSignInFailure.Refused;
        }
        try
        {
            return await SignInAsync(context, info, provider);
        }
        finally
        {
            await context.SignOutAsync(IdentityConstants.ExternalScheme);
        }
    }

    private async Task<OidcSignInFailure?> SignInAsync(HttpContext context, ExternalLoginInfo info, string provider)
    {
        var users = signIn.UserManager;
        var user = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        if (user is null)
        {
            var userName = info.Principal.FindFirstValue(options.Value.UserNameClaim) is { Length: > 0 } name ? name : info.ProviderKey;
            if (await users.FindByNameAsync(userName) is not null)
            {
                await TryAuditRefusalAsync(context, null, userName, "a local account has this user name");
                return OidcSignInFailure.NameTaken;
            }
            user = new KvmPortalUser { UserName = userName };
            var created = await users.CreateAsync(user);
            if (created.Succeeded)
                created = await users.AddLoginAsync(user, info);
            if (!created.Succeeded)
            {
                var errors = string.Join(" ", created.Errors.Select(e => e.Description));
                logger.LogWarning("Could not create the account {UserName} for a sign-in through the identity provider: {Errors}", userName, errors);
                if (await users.FindByIdAsync(user.Id) is { } partial) // created, but the login could not be added
                    await users.DeleteAsync(partial);
                await TryAuditRefusalAsync(context, null, userName, "account not created: " + errors);
                return OidcSignInFailure.AccountNotCreated;
            }
            logger.LogInformation("Created the account {UserName} at its first sign-in through the identity provider", userName);
        }

        var actor = new Actor(user.Id, user.UserName ?? user.Id, SourceAddress.Of(context));
        if (await users.IsLockedOutAsync(user))
        {
            await TryAuditRefusalAsync(context, user.Id, actor.UserName, "locked out");
            return OidcSignInFailure.LockedOut;
        }
        try
        {
            await grants.SyncAsync(actor, info.Principal.FindAll(options.Value.GroupClaim).Select(c => c.Value), context.RequestAborted);
        }
        catch (AuditWriteException)
        {
            return OidcSignInFailure.AuditFailed;
        }

        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        if (!await audit.SignInOrUndoAsync(context, signIn, actor.UserName, user.Id, result, provider))
            return OidcSignInFailure.AuditFailed;
        return result.Succeeded ? null : result.IsLockedOut ? OidcSignInFailure.LockedOut : OidcSignInFailure.Refused;
    }

    /// <summary>The provider's handler refused its answer (see <see cref="OidcHandlerSetup"/>): audited with the reason.</summary>
    public Task RecordRefusalAsync(HttpContext context, string reason) =>
        TryAuditRefusalAsync(context, null, null, "identity provider answer refused: " + reason);

    private async Task TryAuditRefusalAsync(HttpContext context, string? userId, string? userName, string reason)
    {
        try
        {
            await audit.ExternalSignInRefusedAsync(context, options.Value.DisplayName, userId, userName, reason);
        }
        catch (AuditWriteException)
        {
            // A refused attempt stays refused; the audit log has logged its own failure.
        }
    }
}
