using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Usage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KvmPortal.Hypervisor.Hosts;

/// <summary>Keeps one <see cref="HostSession"/> per attached host.</summary>
internal sealed class HostManager(
    InventoryStore inventory,
    IOptions<HypervisorOptions> options,
    TimeProvider clock,
    ILoggerFactory loggers,
    IEnumerable<IUsageSampleSink>? usageSinks = null) : IHostManager, IHostSampling, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, HostSession> _sessions = [];
    private readonly ILogger _logger = loggers.CreateLogger<HostSession>();
    private readonly IReadOnlyList<IUsageSampleSink> _usageSinks = [.. usageSinks ?? []];
    private string? _ownCredentialsRoot;

    public void Attach(HostDefinition host)
    {
        lock (_gate)
        {
            if (_sessions.ContainsKey(host.Id)) return;
            _sessions[host.Id] = new HostSession(host, inventory, options.Value, clock, _logger, _usageSinks, CredentialsRoot);
        }
    }

    /// <summary>The configured credentials folder, or (made when first asked) a private one of this instance.</summary>
    private string CredentialsRoot()
    {
        if (options.Value.CredentialsDirectory is { Length: > 0 } configured)
            return configured;
        lock (_gate)
            return _ownCredentialsRoot ??= HostCredentialFiles.CreateInstanceRoot();
    }

    public async Task DetachAsync(Guid hostId)
    {
        HostSession? session;
        lock (_gate)
        {
            if (!_sessions.Remove(hostId, out session)) return;
        }
        await session.DisposeAsync();
    }

    public HostSession? Find(Guid hostId)
    {
        lock (_gate) return _sessions.GetValueOrDefault(hostId);
    }

    public IReadOnlyList<HostSample> LastSamples()
    {
        lock (_gate) return [.. _sessions.Values.Select(s => new HostSample(s.Host.Id, s.Host.Name, s.LastSampledAt))];
    }

    public async ValueTask DisposeAsync()
    {
        HostSession[] sessions;
        lock (_gate)
        {
            sessions = [.. _sessions.Values];
            _sessions.Clear();
        }
        await Task.WhenAll(sessions.Select(s => s.DisposeAsync().AsTask()));
        if (_ownCredentialsRoot is { } root && Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }
}
