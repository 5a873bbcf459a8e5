using KvmPortal.Web.Components.Account;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace KvmPortal.Web.Hosting;

public static class AccountSecurityServiceCollectionExtensions
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public const int MinimumPasswordLength = 12;

    /// <summary>
    /// PBKDF2 (HMAC-SHA512) rounds per password hash: OWASP's figure for that hash, above Identity's default of
    /// 100,000. Hashes made with fewer rounds are upgraded at the user's next sign-in.
    /// </summary>
    public const int PasswordHashIterations = 210_000;

    /// <summary>
    /// Lockout, password rules, hashing cost, two-factor sign-in, and the cookies' flags: HttpOnly, SameSite=Lax (top-level navigation
    /// and the same-origin console WebSocket and downloads keep the cookie; cross-site posts do not get it) and
    /// Secure whenever the request came over HTTPS, directly or through a trusted proxy's X-Forwarded-Proto.
    /// </summary>
    public static IServiceCollection AddKvmPortalAccountSecurity(this IServiceCollection services)
    {
        services.Configure<IdentityOptions>(options =>
        {
            options.Lockout.AllowedForNewUsers = true;
            options.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
            options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
            options.Password.RequiredLength = MinimumPasswordLength;
        });
        services.Configure<PasswordHasherOptions>(options =>
        {
            options.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            options.IterationCount = Math.Max(options.IterationCount, PasswordHashIterations);
        });

        foreach (var scheme in new[] { IdentityConstants.ApplicationScheme, IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.TwoFactorRememberMeScheme })
        {
            services.Configure<CookieAuthenticationOptions>(scheme, cookie =>
            {
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
        }
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // Two-factor sign-in with an authenticator app (TOTP) and recovery codes.
        new IdentityBuilder(typeof(KvmPortalUser), typeof(IdentityRole), services)
            .AddTokenProvider<AuthenticatorTokenProvider<KvmPortalUser>>(TokenOptions.DefaultAuthenticatorProvider);
        services.AddScoped<TwoFactorSetup>();
        return services;
    }
}
