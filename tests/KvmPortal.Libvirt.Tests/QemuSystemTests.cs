using System.Threading.Channels;

namespace KvmPortal.Libvirt.Tests;

/// <summary>
/// Tests against the real system daemon with a tiny TCG guest. Domains are named kvmportal-test-* with a random
/// suffix and always removed, so other users of the machine are unaffected.
/// </summary>
[Collection(QemuSystemCollection.Name)]
public sealed class QemuSystemTests : IDisposable
{
    private readonly Connection _connection = QemuSystem.Open();
    private readonly string _name = DomainXml.UniqueName("kvmportal-test-");

    public void Dispose()
    {
        try
        {
            using Domain domain = _connection.LookupDomainByName(_name);
            if (domain.IsActive)
            {
                domain.Destroy();
            }
            domain.Undefine();
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
        {
        }
        finally
        {
            _connection.Dispose();
        }
    }

    [Fact]
    public void Connection_reports_the_qemu_host()
    {
        Assert.Equal("QEMU", _connection.HypervisorType);
        Assert.Equal(QemuSystem.Uri, _connection.Uri);
        Assert.True(_connection.IsAlive);
        Assert.True(_connection.GetHypervisorVersion() > 0);
        Assert.True(_connection.GetNodeInfo().Cpus > 0);
        Assert.Contains("<capabilities>", _connection.GetCapabilities());
        Assert.True(_connection.SetKeepAlive(5, 3));
    }

    [Fact]
    public async Task Tiny_guest_lifecycle_with_events_and_stats()
    {
        var events = Channel.CreateUnbounded<DomainLifecycleEvent>();
        using var subscription = _connection.SubscribeDomainLifecycle(events.Writer);

        using Domain domain = _connection.DefineDomain(DomainXml.TinyQemu(_name));
        Guid uuid = domain.Uuid;
        await events.Reader.WaitForEventAsync(uuid, DomainEventType.Defined);

        domain.Create();
        var started = await events.Reader.WaitForEventAsync(uuid, DomainEventType.Started);
        Assert.Equal(_name, started.Name);
        Assert.Equal(DomainState.Running, domain.GetState().State);

        var stats = _connection.GetAllDomainStats(
            DomainStatsTypes.State | DomainStatsTypes.CpuTotal | DomainStatsTypes.Balloon, GetAllDomainStatsFlags.Active);
        DomainStatsRecord mine = Assert.Single(stats, s => s.Uuid == uuid);
        Assert.Equal(_name, mine.Name);
        Assert.Equal((int)DomainState.Running, mine.Values["state.state"]);
        Assert.IsType<ulong>(mine.Values["cpu.time"]);

        DomainInfo info = domain.GetInfo();
        Assert.Equal(64UL * 1024, info.MaxMemoryKiB);
        Assert.Equal(1, info.VirtCpus);

        domain.Destroy();
        var stopped = await events.Reader.WaitForEventAsync(uuid, DomainEventType.Stopped);
        Assert.Equal(1, stopped.Detail); // VIR_DOMAIN_EVENT_STOPPED_DESTROYED
        Assert.Equal(DomainState.Shutoff, domain.GetState().State);

        domain.Undefine();
        await events.Reader.WaitForEventAsync(uuid, DomainEventType.Undefined);
        var error = Assert.Throws<LibvirtException>(() => _connection.LookupDomainByUuid(uuid));
        Assert.Equal(ErrorCode.NoDomain, error.ErrorCode);
    }
}
