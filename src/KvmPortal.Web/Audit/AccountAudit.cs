using System.Text.Json;
using KvmPortal.Web.Access;
using Microsoft.AspNetCore.Identity;

namespace KvmPortal.Web.Audit;

/// <summary>Audits sign-in attempts and sign-outs. Only the user name and the outcome are kept, never the password.</summary>
public sealed class AccountAudit(IAuditLog log, TimeProvider clock)
{
    /// <param name="userId">The account's id when the name belongs to one, else null (the attempt is still recorded).</param>
    public Task SignInAsync(HttpContext context, string userName, string? userId, SignInResult result)
    {
        var outcome = OutcomeOf(result);
        return log.RecordAsync(new AuditEntry(clock.GetUtcNow(), new Actor(userId ?? "", userName, SourceAddress.Of(context)),
            AuditActions.SignIn, new AuditTarget(Other: userName), JsonSerializer.Serialize(new { outcome }),
            result.Succeeded, result.Succeeded ? null : outcome));
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
