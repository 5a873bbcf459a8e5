using KvmPortal.Web.Observability;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Hosting;

/// <summary>Health (/healthz), readiness (/readyz) and Prometheus metrics (/metrics).</summary>
public static class ObservabilityServiceCollectionExtensions
{
    public const string MetricsSection = "KvmPortal:Metrics";
    private const string ReadyTag = "ready";

    public static IServiceCollection AddKvmPortalObservability(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("postgresql", tags: [ReadyTag])
            .AddCheck<HostsHealthCheck>("hosts", tags: [ReadyTag]);
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsSection);
        services.AddSingleton<PortalMetrics>();
        services.AddSingleton<PrometheusExport>();
        return services;
    }

    public static WebApplication MapKvmPortalObservability(this WebApplication app)
    {
        // Liveness runs no check: the process answers, that is all it claims.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        var export = app.Services.GetRequiredService<PrometheusExport>();
        app.Services.GetRequiredService<PortalMetrics>(); // registers its gauges
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>();
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            if (!MetricsAccess.IsAllowed(context, options.Value))
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await export.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
            return Results.Empty;
        }).AllowAnonymous();
        return app;
    }
}
