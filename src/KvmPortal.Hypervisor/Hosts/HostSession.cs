using System.Globalization;
using System.Threading.Channels;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Usage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Libvirt;
using Microsoft.Extensions.Logging;

namespace KvmPortal.Hypervisor.Hosts;

/// <summary>
/// One libvirt host: owns its connection, keeps the host's part of the inventory right from lifecycle
/// events and one bulk stats call per interval, and reconnects with backoff when the connection is lost.
/// Every session runs its own loop, so a host that hangs delays no other host.
/// </summary>
internal sealed class HostSession : IAsyncDisposable
{
    private const DomainStatsTypes SampledStats =
        DomainStatsTypes.State | DomainStatsTypes.CpuTotal | DomainStatsTypes.Balloon | DomainStatsTypes.Vcpu
        | DomainStatsTypes.Interface | DomainStatsTypes.Block;

    private readonly InventoryStore _inventory;
    private readonly HypervisorOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly VmInfoBuilder _vms;
    private readonly IReadOnlyList<IUsageSampleSink> _usageSinks;
    private readonly Channel<Guid> _refreshRequests = Channel.CreateUnbounded<Guid>();
    private readonly Channel<NetworkLifecycleEvent> _networkEvents = Channel.CreateUnbounded<NetworkLifecycleEvent>();
    private readonly HostNetworkTracker _networks;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _publishGate = new();
    private readonly Task _loop;
    private readonly Func<string> _credentialsRoot;
    private HostCredentialFiles? _credentialFiles;
    private Connection? _connection;
    private HostCapabilities? _capabilities;
    private HostStatus _status = HostStatus.Connecting;
    private DateTimeOffset _statusSince;
    private bool _detached;
    private bool _nodeStatsUnsupported; // per connection: the test driver has no node memory stats
    private long _lastSampledTicks; // UTC ticks, read by the metrics off the session's loop

    public HostSession(
        HostDefinition host, InventoryStore inventory, HypervisorOptions options, TimeProvider clock, ILogger logger,
        IReadOnlyList<IUsageSampleSink>? usageSinks = null, Func<string>? credentialsRoot = null)
    {
        Host = host;
        _credentialsRoot = credentialsRoot ?? (() => throw new InvalidOperationException("No folder for host credentials was given."));
        _usageSinks = usageSinks ?? [];
        _inventory = inventory;
        _options = options;
        _clock = clock;
        _logger = logger;
        _networks = new HostNetworkTracker(host.Id, logger);
        _vms = new VmInfoBuilder(host.Id, IsLocalQemu(host.Uri) ? LocalQemuProcesses.StartTime : _ => null, clock);
        _statusSince = clock.GetUtcNow();
        Publish([new HostChanged(Info(null))]);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public HostDefinition Host { get; }

    /// <summary>The host sessions' logger; <see cref="HostCalls"/> logs the operations made through it.</summary>
    internal ILogger Logger => _logger;

    /// <summary>When the last full stats listing (at connect or by the sampler) completed; null before the first.</summary>
    public DateTimeOffset? LastSampledAt =>
        Interlocked.Read(ref _lastSampledTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>The host's networks and its VMs' NICs and addresses, as this session keeps them.</summary>
    internal HostNetworkTracker Networks => _networks;

    /// <summary>Runs a blocking libvirt call on the live connection, off the caller's thread.</summary>
    public Task<T> CallAsync<T>(Func<Connection, T> call, CancellationToken cancellationToken)
    {
        var connection = LiveConnection;
        return Task.Run(() => call(connection), cancellationToken);
    }

    /// <summary>The live connection, for a call that needs two hosts at once (a migration); throws when offline.</summary>
    internal Connection LiveConnection => Volatile.Read(ref _connection)
        ?? throw new HypervisorException($"Host {Host.Name} is offline.") { Kind = HypervisorErrorKind.HostOffline, Arguments = [Host.Name] };

    /// <summary>The SSH tunnel to the host's loopback (for consoles listening there), with the host's own credentials; null when not an SSH host.</summary>
    internal Consoles.SshTunnel? ConsoleTunnel => Consoles.SshTunnel.For(Host, Volatile.Read(ref _credentialFiles));

    /// <summary>Asks the session to re-read one domain now, e.g. right after an operation on it.</summary>
    public void RequestRefresh(Guid uuid) => _refreshRequests.Writer.TryWrite(uuid);

    /// <summary>Asks the session to re-read one network now, e.g. after virNetworkUpdate, which raises no event.</summary>
    public void RequestNetworkRefresh(Guid uuid) =>
        _networkEvents.Writer.TryWrite(new NetworkLifecycleEvent(uuid, "", NetworkEventType.Defined, 0));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _credentialFiles?.Dispose();
        lock (_publishGate)
        {
            _detached = true;
            var changes = new List<InventoryChange>(OwnVms().Keys.Select(uuid => new VmRemoved(new VmKey(Host.Id, uuid))))
            {
                new HostRemoved(Host.Id),
            };
            changes.InsertRange(0, _inventory.Current.Networks.Keys.Where(k => k.HostId == Host.Id).Select(k => new NetworkRemoved(k)));
            _inventory.Publish(changes);
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            OfflineCause cause;
            try
            {
                using var connection = await OpenAsync(stop);
                failures = 0;
                cause = await RunConnectedAsync(connection, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) // the supervisor loop must survive anything one host does
            {
                cause = e switch
                {
                    LibvirtException libvirt => new OfflineCause(ConnectFailures.Classify(libvirt), e.Message),
                    ConnectTimeoutException t => new OfflineCause(HostOfflineReason.ConnectTimeout, t.Message, [t.Seconds.ToString(CultureInfo.InvariantCulture)]),
                    _ => new OfflineCause(HostOfflineReason.Unexpected, $"Unexpected error: {e.Message}"),
                };
                if (cause.Reason == HostOfflineReason.Unexpected)
                    _logger.LogError(e, "Host {Host} ({Uri}) failed", Host.Name, Host.Uri);
            }

            MarkOffline(cause);
            var delay = Backoff(++failures);
            _logger.LogWarning("Host {Host} ({Uri}) is offline: {Reason}. Retrying in {Delay}", Host.Name, Host.Uri, cause.Message, delay);
            try
            {
                await Task.Delay(delay, _clock, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<Connection> OpenAsync(CancellationToken stop)
    {
        var (uri, interactive) = ConnectUri();
        var opening = Task.Run(() => Connection.Open(uri, interactive));
        try
        {
            return await opening.WaitAsync(_options.ConnectTimeout, _clock, stop);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // libvirt's open cannot be interrupted: close the connection should it complete after all.
            _ = opening.ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully) t.Result.Dispose();
                else _ = t.Exception;
            }, TaskScheduler.Default);
            if (e is TimeoutException)
                throw new ConnectTimeoutException((int)_options.ConnectTimeout.TotalSeconds);
            throw;
        }
    }

    /// <summary>
    /// The URI to open and whether libvirt may ask questions: a host with stored credentials gets the URI that uses
    /// their files and no authentication callback (nothing may prompt, e.g. to accept an unknown host key).
    /// </summary>
    private (string Uri, bool Interactive) ConnectUri()
    {
        if (Host.Credentials is not { IsEmpty: false })
            return (Host.Uri, true);
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("Stored host credentials need a Unix file system.");
        if (_credentialFiles is null)
            Volatile.Write(ref _credentialFiles, HostCredentialFiles.Write(_credentialsRoot(), Host)); // read by consoles
        return (_credentialFiles!.EffectiveUri, false);
    }

    /// <summary>Serves one connection until it closes; returns why it closed.</summary>
    private async Task<OfflineCause> RunConnectedAsync(Connection connection, CancellationToken stop)
    {
        var closed = Channel.CreateUnbounded<ConnectionClosed>();
        var events = Channel.CreateUnbounded<DomainLifecycleEvent>();
        connection.RegisterCloseCallback(closed.Writer);
        connection.SetKeepAlive(_options.KeepAliveIntervalSeconds, (uint)_options.KeepAliveCount);
        using var lifecycle = connection.SubscribeDomainLifecycle(events.Writer);
        using var networkLifecycle = connection.SubscribeNetworkLifecycle(_networkEvents.Writer);

        // Set before Synchronize publishes "online", so a caller who sees the host online can call it at once.
        Volatile.Write(ref _connection, connection);
        var closing = closed.Reader.ReadAsync(stop).AsTask();
        try
        {
            await Task.Run(() => Synchronize(connection), stop).WaitAsync(stop);
            _logger.LogInformation("Host {Host} ({Uri}) is online", Host.Name, Host.Uri);

            using var timer = new PeriodicTimer(_options.StatsInterval, _clock);
            var tick = timer.WaitForNextTickAsync(stop).AsTask();
            var domainChanged = WaitForDomainChangeAsync(events.Reader, stop);
            while (true)
            {
                var done = await Task.WhenAny(closing, tick, domainChanged);
                if (done == closing) return Describe((await closing).Reason);
                if (done == domainChanged)
                {
                    await domainChanged;
                    await Task.Run(() => RefreshChangedDomains(connection, events.Reader), stop).WaitAsync(stop);
                    domainChanged = WaitForDomainChangeAsync(events.Reader, stop);
                }
                else
                {
                    await tick;
                    await Task.Run(() => Sample(connection), stop).WaitAsync(stop);
                    tick = timer.WaitForNextTickAsync(stop).AsTask();
                }
            }
        }
        catch (LibvirtException) when (!connection.IsAlive)
        {
            // A call failed because the connection died under it: the close callback, which libvirt raises at
            // about the same moment, says why (keepalive, EOF) better than the failed call's message.
            var closedFirst = await Task.WhenAny(closing, Task.Delay(TimeSpan.FromSeconds(1), _clock, stop));
            if (closedFirst == closing) return Describe((await closing).Reason);
            throw;
        }
        finally
        {
            Volatile.Write(ref _connection, null);
        }
    }

    private async Task WaitForDomainChangeAsync(ChannelReader<DomainLifecycleEvent> events, CancellationToken stop) =>
        await Task.WhenAny(events.WaitToReadAsync(stop).AsTask(), _refreshRequests.Reader.WaitToReadAsync(stop).AsTask(),
            _networkEvents.Reader.WaitToReadAsync(stop).AsTask()).Unwrap();

    private void Synchronize(Connection connection)
    {
        _nodeStatsUnsupported = false;
        _capabilities = CapabilitiesReader.Read(connection);
        var records = connection.GetAllDomainStats(SampledStats);
        var changes = Reconcile(connection, records, TransientDomains(connection));
        changes.AddRange(_networks.Synchronize(connection));
        _networks.SampleAddresses(connection, records);
        changes.Insert(0, new HostChanged(Info(null, HostStatus.Online)));
        Interlocked.Exchange(ref _lastSampledTicks, _clock.GetUtcNow().UtcTicks); // before "online" is seen
        Publish(changes);
        DeliverUsage(connection, records);
    }

    private void Sample(Connection connection)
    {
        var records = connection.GetAllDomainStats(SampledStats);
        _networks.SampleAddresses(connection, records);
        var known = OwnVms();
        var transient = records.Any(r => !known.ContainsKey(r.Uuid)) ? TransientDomains(connection) : null;
        Publish(Reconcile(connection, records, transient));
        Interlocked.Exchange(ref _lastSampledTicks, _clock.GetUtcNow().UtcTicks);
        DeliverUsage(connection, records);
    }

    /// <summary>Hands the round's usage to every sink; a failing sink is logged and never stops the sampler.</summary>
    private void DeliverUsage(Connection connection, IReadOnlyList<DomainStatsRecord> records)
    {
        if (_usageSinks.Count == 0) return;
        var sample = UsageSampleReader.Read(Host.Id, _clock.GetUtcNow(), records, ReadHostCounters(connection));
        foreach (var sink in _usageSinks)
        {
            try
            {
                sink.Accept(sample);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Usage sink {Sink} failed for host {Host}", sink.GetType().Name, Host.Name);
            }
        }
    }

    /// <summary>The node's CPU and memory counters; null when the driver does not report them (test://).</summary>
    private HostResourceCounters? ReadHostCounters(Connection connection)
    {
        if (_nodeStatsUnsupported) return null;
        try
        {
            return UsageSampleReader.ReadHost(_capabilities?.Cpus ?? 0, connection.GetNodeCpuStats(), connection.GetNodeMemoryStats());
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoSupport)
        {
            _nodeStatsUnsupported = true;
            return null;
        }
    }

    /// <summary>Turns a full stats listing into row changes, and removes the rows of domains that are gone.</summary>
    private List<InventoryChange> Reconcile(Connection connection, IReadOnlyList<DomainStatsRecord> records, IReadOnlySet<Guid>? transient)
    {
        var known = OwnVms();
        var changes = new List<InventoryChange>();
        foreach (var record in records)
        {
            known.Remove(record.Uuid, out var previous);
            var persistent = transient is not null ? !transient.Contains(record.Uuid) : previous?.Persistent ?? true;
            // The stats carry no metadata: a VM seen first has its template mark read once; events refresh it later.
            var vm = previous is null && !record.Values.ContainsKey("vcpu.current")
                ? ReadOne(connection, record.Uuid, previous) // drivers without vcpu/balloon stats (test://): once per new VM
                : previous is null
                    ? _vms.FromStats(record, previous, persistent) with { Template = IsTemplate(connection, record.Uuid) }
                    : _vms.FromStats(record, previous, persistent);
            if (vm is not null) changes.Add(new VmChanged(vm));
        }
        changes.AddRange(known.Keys.Select(uuid => new VmRemoved(new VmKey(Host.Id, uuid))));
        return changes;
    }

    private void RefreshChangedDomains(Connection connection, ChannelReader<DomainLifecycleEvent> events)
    {
        var uuids = new HashSet<Guid>();
        while (events.TryRead(out var e)) uuids.Add(e.Uuid);
        while (_refreshRequests.Reader.TryRead(out var uuid)) uuids.Add(uuid);
        var networkUuids = new HashSet<Guid>();
        while (_networkEvents.Reader.TryRead(out var n)) networkUuids.Add(n.Uuid);

        var known = OwnVms();
        var changes = new List<InventoryChange>();
        foreach (var uuid in uuids)
        {
            var vm = ReadOne(connection, uuid, known.GetValueOrDefault(uuid));
            changes.Add(vm is null ? new VmRemoved(new VmKey(Host.Id, uuid)) : new VmChanged(vm));
        }
        changes.AddRange(_networks.Refresh(connection, uuids, networkUuids));
        Publish(changes);
    }

    /// <summary>Reads one domain; null when it no longer exists.</summary>
    private VmInfo? ReadOne(Connection connection, Guid uuid, VmInfo? previous)
    {
        try
        {
            using var domain = connection.LookupDomainByUuid(uuid);
            return _vms.FromDomain(domain, previous);
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
        {
            return null;
        }
    }

    private static bool IsTemplate(Connection connection, Guid uuid)
    {
        try
        {
            using var domain = connection.LookupDomainByUuid(uuid);
            return Vms.Templates.VmTemplateTag.IsTemplate(domain);
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
        {
            return false; // gone meanwhile; the next round removes it
        }
    }

    private static HashSet<Guid> TransientDomains(Connection connection)
    {
        var domains = connection.ListAllDomains(ListAllDomainsFlags.Transient);
        try
        {
            return domains.Select(d => d.Uuid).ToHashSet();
        }
        finally
        {
            foreach (var domain in domains) domain.Dispose();
        }
    }

    private void MarkOffline(OfflineCause cause)
    {
        var offline = Info(cause.Message, HostStatus.Offline) with { OfflineReason = cause.Reason, OfflineArguments = cause.Arguments ?? [] };
        var changes = new List<InventoryChange> { new HostChanged(offline) };
        changes.AddRange(OwnVms().Values
            .Where(vm => vm.State != VmState.Unknown)
            .Select(vm => new VmChanged(VmInfoBuilder.AsUnknown(vm))));
        Publish(changes);
    }

    private void Publish(List<InventoryChange> changes)
    {
        lock (_publishGate)
        {
            // A libvirt call abandoned at detach may finish later: it must not bring the host back.
            if (!_detached) _inventory.Publish(_networks.WithAddresses(changes));
        }
    }

    private Dictionary<Guid, VmInfo> OwnVms() =>
        _inventory.Current.Vms.Values.Where(vm => vm.HostId == Host.Id).ToDictionary(vm => vm.Uuid);

    private HostInfo Info(string? message, HostStatus? status = null)
    {
        if (status is { } newStatus && newStatus != _status)
        {
            _status = newStatus;
            _statusSince = _clock.GetUtcNow();
        }
        return new HostInfo(Host.Id, Host.Name, Host.Uri, _status, message, _statusSince, _capabilities);
    }

    private TimeSpan Backoff(int failures)
    {
        var delay = _options.ReconnectMinDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < _options.ReconnectMaxDelay ? delay : _options.ReconnectMaxDelay;
    }

    private static OfflineCause Describe(CloseReason reason) => reason switch
    {
        CloseReason.Eof => new(HostOfflineReason.ClosedByHost, "The host closed the connection (libvirtd stopped or restarted)."),
        CloseReason.Keepalive => new(HostOfflineReason.KeepaliveTimeout, "The host stopped answering (keepalive timed out)."),
        _ => new(HostOfflineReason.ConnectionFailed, "The connection to the host failed."),
    };

    private sealed record OfflineCause(HostOfflineReason Reason, string Message, IReadOnlyList<string>? Arguments = null);

    private sealed class ConnectTimeoutException(int seconds)
        : TimeoutException($"The host did not answer within {seconds} s.")
    {
        public int Seconds { get; } = seconds;
    }

    private static bool IsLocalQemu(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme is "qemu" or "qemu+unix" && parsed.Host.Length == 0;
}
