using KvmPortal.Web.Oidc;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Hosting;

public static class OidcServiceCollectionExtensions
{
    /// <summary>
    /// Optional sign-in through an OpenID Connect identity provider (KvmPortal:Oidc). Call after AddKvmPortalIdentity.
    /// </summary>
    public static IServiceCollection AddKvmPortalOidc(this IServiceCollection services)
    {
        services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>();
        services.AddScoped<OidcGrantSync>();
        services.AddScoped<OidcSignIn>();

        // The scheme exists only when a provider is configured (the handler refuses to run without one). Decided when
        // the authentication options are first read rather than here, as settings can still be added after
        // registration (test hosts do); this is what AddOpenIdConnect registers, made conditional.
        services.AddOptions<AuthenticationOptions>().Configure<IOptions<OidcOptions>>((authentication, oidc) =>
        {
            if (oidc.Value.Enabled)
                authentication.AddScheme<OpenIdConnectHandler>(OidcEndpoints.Scheme, oidc.Value.DisplayName);
        });
        services.AddTransient<OpenIdConnectHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.AddOptions<OpenIdConnectOptions>(OidcEndpoints.Scheme)
            .Configure<IOptions<OidcOptions>>((handler, oidc) => OidcHandlerSetup.Apply(handler, oidc.Value))
            .Validate(handler =>
            {
                handler.Validate();
                return true;
            });
        return services;
    }
}
