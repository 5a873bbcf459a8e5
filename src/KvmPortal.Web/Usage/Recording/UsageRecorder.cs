using System.Collections.Concurrent;
using System.Threading.Channels;
using KvmPortal.Hypervisor.Usage;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Usage.Recording;

/// <summary>
/// Records the host sessions' usage samples in PostgreSQL. <see cref="Accept"/> runs on a host session's loop: it
/// keeps at most one sample per host per RecordInterval and queues it (bounded; the oldest is dropped, with a
/// warning, when the database falls behind). The background loop turns samples into per-interval rows and writes
/// each host's interval in one round trip, for the hosts whose advisory lock this instance holds.
/// </summary>
public sealed class UsageRecorder : BackgroundService, IUsageSampleSink
{
    private const int QueueCapacity = 256;

    private readonly UsageRecordingSession _session;
    private readonly UsageTeams _teams;
    private readonly ILogger<UsageRecorder> _logger;
    private readonly TimeSpan _minimumGap;
    private readonly Channel<HostUsageSample> _queue;
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastQueued = new();
    private readonly UsageDeltas _deltas = new();
    private readonly Dictionary<Guid, int> _failures = []; // consecutive failed attempts per host; the writer loop owns it

    public UsageRecorder(UsageRecordingSession session, UsageTeams teams, IOptions<UsageOptions> options, ILogger<UsageRecorder> logger)
    {
        _session = session;
        _teams = teams;
        _logger = logger;
        // A tenth of slack, so a sampler ticking at the same interval is not skipped every other time for jitter.
        _minimumGap = options.Value.RecordInterval * 0.9;
        _queue = Channel.CreateBounded<HostUsageSample>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => _logger.LogWarning("Usage queue full: dropped the sample of host {Host} at {At}", dropped.HostId, dropped.SampledAt));
    }

    public void Accept(HostUsageSample sample)
    {
        var last = _lastQueued.GetValueOrDefault(sample.HostId);
        if (sample.SampledAt - last < _minimumGap) return;
        _lastQueued[sample.HostId] = sample.SampledAt;
        _queue.Writer.TryWrite(sample);
    }

    /// <summary>
    /// Records one sample now. Never throws for a database failure: the interval is counted in the next one that lands
    /// (its sample does not become the baseline), and the host's first failure is logged as a warning, not every one.
    /// </summary>
    public async Task<UsageRecordOutcome> RecordAsync(HostUsageSample sample, CancellationToken cancellationToken)
    {
        try
        {
            var hold = await _session.HoldAsync(sample.HostId, cancellationToken);
            if (hold == HostLock.NotHeld)
            {
                _deltas.Forget(sample.HostId); // another instance records it; our baseline goes stale
                return UsageRecordOutcome.NotOwner;
            }
            if (hold == HostLock.Acquired && _deltas.BaselineOf(sample.HostId) is { } since
                && await _session.RecordedSinceAsync(sample.HostId, since, cancellationToken))
                _deltas.Forget(sample.HostId);
            var interval = _deltas.Measure(sample, await _teams.CurrentAsync(cancellationToken));
            await _session.WriteAsync(interval, cancellationToken);
            _deltas.Remember(sample);
            Recovered(sample.HostId);
            return UsageRecordOutcome.Recorded;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed(sample, e);
            return UsageRecordOutcome.Failed;
        }
    }

    private void Failed(HostUsageSample sample, Exception e)
    {
        var failures = _failures.GetValueOrDefault(sample.HostId) + 1;
        _failures[sample.HostId] = failures;
        if (failures == 1)
            _logger.LogWarning("Usage of host {Host} is not being recorded ({Reason}); it will be counted in the next interval that lands", sample.HostId, e.Message);
        else
            _logger.LogDebug("Usage of host {Host} at {At} not recorded either: {Reason}", sample.HostId, sample.SampledAt, e.Message);
    }

    private void Recovered(Guid hostId)
    {
        if (_failures.Remove(hostId, out var failures))
            _logger.LogInformation("Usage recording of host {Host} resumed after {Failures} failed attempts", hostId, failures);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var sample in _queue.Reader.ReadAllAsync(stoppingToken))
                await RecordAsync(sample, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _session.DisposeAsync();
    }
}

public enum UsageRecordOutcome
{
    Recorded,
    /// <summary>Another instance holds the host's lock and records it.</summary>
    NotOwner,
    /// <summary>The database failed; the interval will be counted in the next one that lands.</summary>
    Failed,
}
