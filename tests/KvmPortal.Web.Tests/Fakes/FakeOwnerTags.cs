using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Ownership;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>Owner tags kept in memory, as the host's domain metadata would keep them.</summary>
public sealed class FakeOwnerTags : IVmOwnerTags
{
    public ConcurrentDictionary<VmKey, VmOwnerTag> Tags { get; } = new();

    public Task SetAsync(VmKey vm, VmOwnerTag? tag, CancellationToken cancellationToken = default)
    {
        if (tag is null)
            Tags.TryRemove(vm, out _);
        else
            Tags[vm] = tag;
        return Task.CompletedTask;
    }

    public Task<VmOwnerTag?> GetAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        Task.FromResult(Tags.TryGetValue(vm, out var tag) ? tag : null);
}
