using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace KvmPortal.Web.Components.Account;

public static class AccountEndpoints
{
    /// <summary>POST /account/logout: a form post carrying the antiforgery token; signs out and shows the login page.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (HttpContext context, IAntiforgery antiforgery, SignInManager<KvmPortalUser> signInManager) =>
        {
            // No form field is bound here, so the antiforgery check is not implied: do it explicitly.
            if (!await antiforgery.IsRequestValidAsync(context))
                return Results.BadRequest();
            await signInManager.SignOutAsync();
            return Results.LocalRedirect("~/account/login");
        }).AllowAnonymous();
        return endpoints;
    }
}
