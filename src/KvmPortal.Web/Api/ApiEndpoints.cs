using KvmPortal.Web.Api.Hubs;
using KvmPortal.Web.Hosting;

namespace KvmPortal.Web.Api;

/// <summary>The REST API under /api/v1, its inventory hub and its OpenAPI document.</summary>
public static class ApiEndpoints
{
    public static WebApplication MapKvmPortalApi(this WebApplication app)
    {
        var api = app.MapGroup(ApiRoutes.Base).RequireAuthorization(ApiRoutes.Policy).RequireRateLimiting(RateLimitPolicies.Api)
            .DisableAntiforgery();
        api.MapHostsApi();
        api.MapVmsApi();
        api.MapTemplatesApi();
        api.MapConsolesApi();
        api.MapSnapshotsApi();
        api.MapStorageApi();
        api.MapNetworksApi();
        api.MapUsageApi();
        // Anything else under /api/v1 is a 404 problem, not the cookie login's redirect.
        api.Map("/{**path}", (string? path) => ApiProblems.NotFound($"No API endpoint at /api/v1/{path}.")).ExcludeFromDescription();
        app.MapHub<InventoryHub>(ApiRoutes.InventoryHub).RequireAuthorization(ApiRoutes.Policy).RequireRateLimiting(RateLimitPolicies.Api);
        app.MapOpenApi(ApiRoutes.OpenApiDocument.Replace("v1", "{documentName}")).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// For API paths only: known exceptions become problem details (403, 404, 409, 422, 400 for unreadable input) and
    /// bodiless error statuses get one too.
    /// </summary>
    public static WebApplication UseKvmPortalApiErrors(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(ApiRoutes.Base), api =>
        {
            api.UseStatusCodePages(async pages =>
            {
                // A bodiless error here is the framework's own: outside Development a request whose parameters could
                // not be read gets a bare 400, so say what to check.
                var status = pages.HttpContext.Response.StatusCode;
                await Results.Problem(statusCode: status, detail: status == StatusCodes.Status400BadRequest
                    ? "The request could not be read: check the JSON body, the types of its fields and the GUIDs and values in the URL."
                    : null).ExecuteAsync(pages.HttpContext);
            });
            api.Use(async (context, next) =>
            {
                try
                {
                    await next(context);
                }
                catch (Exception e) when (!context.Response.HasStarted && ApiProblems.From(e) is { } problem)
                {
                    context.Response.Clear();
                    await problem.ExecuteAsync(context);
                }
            });
        });
        return app;
    }
}
