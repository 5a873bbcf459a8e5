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

    /// <summary>Records one sample now. Never throws for a database failure: that interval is dropped and logged.</summary>
    public async Task<UsageRecordOutcome> RecordAsync(HostUsageSample sample, CancellationToken cancellationToken)
    {
        try
        {
            var hold = await _session.HoldAsync(sample.HostId, cancellationToken);
            if (hold != HostLock.Held)
                _deltas.Forget(sample.HostId); // another instance may have recorded it meanwhile
            if (hold == HostLock.NotHeld)
                return UsageRecordOutcome.NotOwner;
            var interval = _deltas.Next(sample, await _teams.CurrentAsync(cancellationToken));
            await _session.WriteAsync(interval, cancellationToken);
            return UsageRecordOutcome.Recorded;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Usage of host {Host} at {At} was not recorded: {Reason}", sample.HostId, sample.SampledAt, e.Message);
            return UsageRecordOutcome.Failed;
        }
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
    /// <summary>The database failed; the interval was dropped.</summary>
    Failed,
}
