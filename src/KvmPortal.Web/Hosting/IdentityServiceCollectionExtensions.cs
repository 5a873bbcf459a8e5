using KvmPortal.Web.Components.Account;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace KvmPortal.Web.Hosting;

public static class IdentityServiceCollectionExtensions
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    /// <summary>Identity with EF stores, cookie sign-in, "logged in" as the fallback policy, and the first administrator.</summary>
    public static IServiceCollection AddKvmPortalIdentity(this IServiceCollection services)
    {
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<KvmPortalUser>(options => options.Lockout.AllowedForNewUsers = true)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<KvmPortalDbContext>()
            .AddSignInManager();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "KvmPortal.Auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = LoginPath;
            cookie.LogoutPath = LogoutPath;
            cookie.AccessDeniedPath = LoginPath;
            cookie.ReturnUrlParameter = CookieAuthenticationDefaults.ReturnUrlParameter;
            // A signed-in user without the role a page or endpoint needs gets 403, not the login page they already passed.
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddHostedService<AdministratorSeeder>();
        return services;
    }
}
