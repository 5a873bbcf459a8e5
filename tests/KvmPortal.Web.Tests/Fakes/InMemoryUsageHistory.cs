using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Usage;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>
/// Usage history held in memory for component tests: series per VM and host as the test sets them, report lines
/// filtered by the query's teams and summed per team. Records what was asked. As <see cref="IUsageReports"/> it
/// reports within <see cref="Scope"/> and refuses when <see cref="Refused"/> (the server's decision, set by the test).
/// </summary>
public sealed class InMemoryUsageHistory : IUsageHistory, IUsageReports
{
    /// <summary>The teams the server lets the user see (null: all).</summary>
    public IReadOnlyCollection<Guid>? Scope { get; set; }

    /// <summary>The server refuses every read: the user has no usage permission (any more).</summary>
    public bool Refused { get; set; }

    public Task<bool> MayViewReportsAsync(CancellationToken cancellationToken) => Task.FromResult(!Refused);

    public Task<UsageReport> ReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ThrowIfRefused();
        return ReportAsync(new UsageReportQuery(from, to, Scope), cancellationToken);
    }

    public Task<UsageSeries> VmSeriesAsync(VmKey vm, UsagePeriod period, CancellationToken cancellationToken)
    {
        ThrowIfRefused();
        return VmSeriesAsync(vm.Uuid, period, cancellationToken);
    }

    public ConcurrentDictionary<Guid, List<UsagePoint>> VmPoints { get; } = new();

    public ConcurrentDictionary<Guid, List<UsagePoint>> HostPoints { get; } = new();

    public ConcurrentDictionary<Guid, HostUsageNow> HostLatest { get; } = new();

    public List<VmUsageLine> ReportLines { get; } = [];

    public ConcurrentQueue<(Guid Id, UsagePeriod Period)> SeriesRequests { get; } = new();

    public ConcurrentQueue<UsageReportQuery> ReportQueries { get; } = new();

    /// <summary>When set, every read fails with it (the database is down).</summary>
    public Exception? Failure { get; set; }

    public Task<UsageSeries> VmSeriesAsync(Guid vmUuid, UsagePeriod period, CancellationToken cancellationToken) =>
        SeriesAsync(VmPoints, vmUuid, period);

    public Task<UsageSeries> HostSeriesAsync(Guid hostId, UsagePeriod period, CancellationToken cancellationToken) =>
        SeriesAsync(HostPoints, hostId, period);

    public Task<HostUsageNow?> HostLatestAsync(Guid hostId, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return Task.FromResult(HostLatest.TryGetValue(hostId, out var now) ? now : null);
    }

    public Task<UsageReport> ReportAsync(UsageReportQuery query, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        ReportQueries.Enqueue(query);
        var lines = ReportLines.Where(l => query.Teams is null || (l.TeamId is { } team && query.Teams.Contains(team))).ToList();
        var teams = lines.GroupBy(l => (l.TeamId, l.TeamName))
            .Select(g => new TeamUsageTotal(g.Key.TeamId, g.Key.TeamName, g.Count(), g.Sum(l => l.VcpuHours), g.Sum(l => l.MemoryGibHours),
                g.Sum(l => l.DiskAllocatedBytes), g.Sum(l => l.DiskUsedBytes), g.Average(l => l.CpuAveragePercent), g.Max(l => l.CpuPeakPercent),
                g.Count(l => l.Idle), g.Count(l => l.Oversized)))
            .ToList();
        return Task.FromResult(new UsageReport(query.From, query.To, lines, teams));
    }

    public static UsagePoint Point(DateTimeOffset at, double cpu, long memoryKib = 1024 * 1024, long? usedKib = 512 * 1024) =>
        new(at, cpu, cpu + 5, memoryKib, usedKib, 2048, 1024, 4096, 512);

    private Task<UsageSeries> SeriesAsync(ConcurrentDictionary<Guid, List<UsagePoint>> points, Guid id, UsagePeriod period)
    {
        ThrowIfFailing();
        SeriesRequests.Enqueue((id, period));
        var list = points.TryGetValue(id, out var found) ? found.ToList() : [];
        return Task.FromResult(new UsageSeries(period, TimeSpan.FromSeconds(10), list));
    }

    private void ThrowIfRefused()
    {
        if (Refused)
            throw new AccessDeniedException(PortalAction.ViewUsage, "refused");
    }

    private void ThrowIfFailing()
    {
        if (Failure is not null)
            throw Failure;
    }
}
