using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Usage;

namespace KvmPortal.Web.Api;

/// <summary>
/// /api/v1/usage/report and /api/v1/vms/{hostId}/{uuid}/usage: usage history, scoped by the caller's usage grants
/// as on the pages (<see cref="UsageReports"/>; 403 without any).
/// </summary>
public static class UsageApi
{
    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        api.MapGet("/usage/report", async (string? from, string? to, UsageReports reports, TimeProvider clock, CancellationToken ct) =>
            UsageRange.TryParse(from, to, clock.GetUtcNow(), out var start, out var end, out var problem)
                ? Results.Ok(await reports.ReportAsync(start, end, ct))
                : ApiProblems.Invalid("period", problem!))
            .WithTags("Usage")
            .WithSummary("Per-VM and per-team usage over [from, to) (ISO 8601; to defaults to now, from to 30 days before to)")
            .Produces<UsageReport>();

        api.MapGet("/vms/{hostId}/{uuid}/usage", async (Guid hostId, Guid uuid, string? period, UsageReports reports, CancellationToken ct) =>
            UsageRange.TryParsePeriod(period, out var parsed)
                ? Results.Ok(await reports.VmSeriesAsync(new VmKey(hostId, uuid), parsed, ct))
                : ApiProblems.Invalid("period", UsageRange.PeriodProblem(period)))
            .AddEndpointFilter(VmsApi.RequireKnownVm)
            .WithTags("Usage")
            .WithSummary("One VM's usage chart ending now: period hour (raw samples), day (5 minutes), week or month (hours)")
            .Produces<UsageSeries>();
        return api;
    }
}
