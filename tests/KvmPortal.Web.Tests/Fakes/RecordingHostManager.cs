using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Hosts;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>Records attach/detach calls; the sessions themselves are the hypervisor layer's business.</summary>
public sealed class RecordingHostManager : IHostManager
{
    public ConcurrentDictionary<Guid, HostDefinition> Attached { get; } = new();

    public ConcurrentQueue<Guid> Detached { get; } = new();

    public void Attach(HostDefinition host) => Attached[host.Id] = host;

    public Task DetachAsync(Guid hostId)
    {
        Attached.TryRemove(hostId, out _);
        Detached.Enqueue(hostId);
        return Task.CompletedTask;
    }
}
