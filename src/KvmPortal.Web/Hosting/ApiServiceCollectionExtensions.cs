using KvmPortal.Web.Api;
using KvmPortal.Web.Api.Hubs;
using KvmPortal.Web.Api.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace KvmPortal.Web.Hosting;

public static class ApiServiceCollectionExtensions
{
    /// <summary>Personal API tokens (bearer authentication), the REST API's JSON and problem details, the inventory hub, OpenAPI.</summary>
    public static IServiceCollection AddKvmPortalApi(this IServiceCollection services)
    {
        services.AddSingleton<ApiTokens>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiRoutes.Policy, policy => policy
            .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());

        services.AddScoped<ApiAccess>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        services.AddSignalR().AddJsonProtocol(json => ApiJson.Configure(json.PayloadSerializerOptions));
        services.AddSingleton<InventoryFeeds>();
        services.AddOpenApi(openApi => openApi.ShouldInclude = endpoint =>
            endpoint.RelativePath?.StartsWith(ApiRoutes.Base.TrimStart('/'), StringComparison.Ordinal) == true);
        return services;
    }
}
