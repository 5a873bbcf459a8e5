using System.Security.Claims;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Components.Account.Pages;
using KvmPortal.Web.Data;
using KvmPortal.Web.Localization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace KvmPortal.Web.Components.Account;

public static class AccountEndpoints
{
    public const string LanguagePath = "/account/language";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // POST /account/logout: a form post carrying the antiforgery token; signs out and shows the login page.
        endpoints.MapPost("/account/logout", async (HttpContext context, IAntiforgery antiforgery, SignInManager<KvmPortalUser> signInManager,
            AccountAudit audit) =>
        {
            // No form field is bound here, so the antiforgery check is not implied: do it explicitly.
            if (!await antiforgery.IsRequestValidAsync(context))
                return Results.BadRequest();
            try
            {
                if (context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
                    await audit.SignOutAsync(context, userId, context.User.Identity?.Name ?? userId);
            }
            catch (AuditWriteException)
            {
                // Leaving is the safe direction: the user is signed out even when the entry could not be written
                // (the audit log has logged the failure).
            }
            await signInManager.SignOutAsync();
            return Results.LocalRedirect("~/account/login");
        }).AllowAnonymous();

        // POST /account/language (form: culture, returnUrl): the language switch. Sets the culture cookie, stores
        // the choice for a logged-in user, and reloads the page (a Blazor circuit keeps the culture it started with).
        endpoints.MapPost(LanguagePath, async (HttpContext context, IAntiforgery antiforgery, UserManager<KvmPortalUser> users) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return Results.BadRequest();
            var form = await context.Request.ReadFormAsync();
            var culture = form["culture"].ToString();
            if (!Cultures.Supported.Contains(culture))
                return Results.BadRequest();

            if (await users.GetUserAsync(context.User) is { } user && user.PreferredLanguage != culture)
            {
                user.PreferredLanguage = culture;
                var result = await users.UpdateAsync(user);
                if (!result.Succeeded)
                    return Results.Problem(string.Join(" ", result.Errors.Select(e => e.Description)));
            }
            Cultures.SetCookie(context.Response, culture);
            return Results.LocalRedirect("~" + Login.LocalReturnUrl(form["returnUrl"]));
        }).AllowAnonymous();
        return endpoints;
    }
}
