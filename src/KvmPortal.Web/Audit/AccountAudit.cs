using System.Text.Json;
using KvmPortal.Web.Access;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace KvmPortal.Web.Audit;

/// <summary>Audits sign-in attempts and sign-outs. Only the user name and the outcome are kept, never the password.</summary>
public sealed class AccountAudit(IAuditLog log, TimeProvider clock)
{
    /// <param name="userId">The account's id when the name belongs to one, else null (the attempt is still recorded).</param>
    /// <param name="provider">The identity provider's name for a sign-in through it; null for a password.</param>
    public Task SignInAsync(HttpContext context, string userName, string? userId, SignInResult result, string? provider = null)
    {
        var outcome = OutcomeOf(result);
        return log.RecordAsync(new AuditEntry(clock.GetUtcNow(), new Actor(userId ?? "", userName, SourceAddress.Of(context)),
            AuditActions.SignIn, new AuditTarget(Other: userName), Parameters(outcome, provider),
            result.Succeeded, result.Succeeded ? null : outcome));
    }

    /// <summary>A sign-in through the identity provider that was refused before any account was signed in.</summary>
    /// <param name="userName">The name the provider gave, when its answer got that far; else the provider's name.</param>
    public Task ExternalSignInRefusedAsync(HttpContext context, string provider, string? userId, string? userName, string reason) =>
        log.RecordAsync(new AuditEntry(clock.GetUtcNow(), new Actor(userId ?? "", userName ?? provider, SourceAddress.Of(context)),
            AuditActions.SignIn, new AuditTarget(Other: userName ?? provider), Parameters(reason, provider), false, reason));

    private static string Parameters(string outcome, string? provider) =>
        provider is null ? JsonSerializer.Serialize(new { outcome }) : JsonSerializer.Serialize(new { outcome, provider });

    /// <summary>
    /// Records the attempt; false when it succeeded but its entry could not be written, and then the sign-in is undone:
    /// nobody gets in unaudited. (A failed attempt stays refused either way; the audit log's own error log has it.)
    /// </summary>
    public async Task<bool> SignInOrUndoAsync(HttpContext context, SignInManager<KvmPortalUser> signIn, string userName, string? userId,
        SignInResult result, string? provider = null)
    {
        try
        {
            await SignInAsync(context, userName, userId, result, provider);
            return true;
        }
        catch (AuditWriteException) when (result.Succeeded)
        {
            await signIn.SignOutAsync();
            return false;
        }
        catch (AuditWriteException)
        {
            return true;
        }
    }

    public Task SignOutAsync(HttpContext context, string userId, string userName) =>
        log.RecordAsync(new AuditEntry(clock.GetUtcNow(), new Actor(userId, userName, SourceAddress.Of(context)),
            AuditActions.SignOut, new AuditTarget(Other: userName), null, true, null));

    internal static string OutcomeOf(SignInResult result) =>
        result.Succeeded ? "signed in"
        : result.IsLockedOut ? "locked out"
        : result.IsNotAllowed ? "not allowed"
        : result.RequiresTwoFactor ? "two-factor code required"
        : "wrong user name or password";
}
