using System.Threading.Channels;
using System.Xml.Linq;

namespace KvmPortal.Libvirt.Tests;

/// <summary>
/// Tests against libvirt's built-in test driver. Connections to test:///default that are open at the same time
/// share one state (with a running domain named "test"), so every test uses its own uniquely named domains and
/// only reads the "test" domain.
/// </summary>
public sealed class TestDriverTests : IDisposable
{
    private const string Uri = "test:///default";

    private readonly Connection _connection = Connection.Open(Uri);
    private readonly List<string> _definedNames = [];

    public void Dispose()
    {
        foreach (string name in _definedNames)
        {
            TryRemove(name);
        }
        _connection.Dispose();
    }

    [Fact]
    public void Open_reports_driver_uri_and_versions()
    {
        Assert.Equal("TEST", _connection.HypervisorType);
        Assert.Equal(Uri, _connection.Uri);
        Assert.True(_connection.IsAlive);
        Assert.False(string.IsNullOrWhiteSpace(_connection.GetHostname()));
        Assert.True(_connection.GetLibVersion() >= 9_000_000, $"libvirt {_connection.GetLibVersion()}");
        Assert.True(_connection.GetHypervisorVersion() > 0);
    }

    [Fact]
    public void Open_of_an_unknown_uri_throws()
    {
        var error = Assert.Throws<LibvirtException>(() => Connection.Open("nonsense://"));
        Assert.NotEqual(0, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Capabilities_are_xml()
    {
        var capabilities = XElement.Parse(_connection.GetCapabilities());
        Assert.Equal("capabilities", capabilities.Name.LocalName);
        Assert.NotNull(capabilities.Element("host"));
    }

    [Fact]
    public void Node_info_is_consistent()
    {
        NodeInfo node = _connection.GetNodeInfo();
        Assert.False(string.IsNullOrEmpty(node.Model));
        Assert.True(node.MemoryKiB > 0);
        Assert.True(node.MhZ > 0);
        Assert.Equal(node.Cpus, node.Nodes * node.Sockets * node.Cores * node.Threads);
    }

    [Fact]
    public void Keepalive_is_not_an_error_without_a_server()
    {
        Assert.False(_connection.SetKeepAlive(5, 3));
        Assert.True(_connection.IsAlive);
    }

    [Fact]
    public void Lists_the_running_test_domain()
    {
        var domains = _connection.ListAllDomains(ListAllDomainsFlags.Active);
        try
        {
            Domain test = Assert.Single(domains, d => d.Name == "test");
            Assert.Same(_connection, test.Connection);
            Assert.True(test.IsActive);
            Assert.True(test.IsPersistent);
            Assert.True(test.Id > 0);
            Assert.Equal(DomainState.Running, test.GetState().State);
        }
        finally
        {
            foreach (var domain in domains)
            {
                domain.Dispose();
            }
        }
    }

    [Fact]
    public void Looks_up_by_name_and_uuid()
    {
        using Domain byName = _connection.LookupDomainByName("test");
        using Domain byUuid = _connection.LookupDomainByUuid(byName.Uuid);
        Assert.NotEqual(Guid.Empty, byName.Uuid);
        Assert.Equal("test", byUuid.Name);
        Assert.Equal(byName.Id, byUuid.Id);

        DomainInfo info = byUuid.GetInfo();
        Assert.Equal(DomainState.Running, info.State);
        Assert.True(info.MaxMemoryKiB >= info.MemoryKiB);
        Assert.True(info.VirtCpus > 0);

        var xml = XElement.Parse(byUuid.GetXmlDescription());
        Assert.Equal("test", xml.Element("name")!.Value);
        Assert.Equal(byName.Uuid, Guid.Parse(xml.Element("uuid")!.Value));
    }

    [Fact]
    public void Lookup_of_a_missing_uuid_throws_no_domain()
    {
        var error = Assert.Throws<LibvirtException>(() => _connection.LookupDomainByUuid(Guid.NewGuid()));
        Assert.Equal(ErrorCode.NoDomain, error.ErrorCode);
        Assert.Equal((int)ErrorCode.NoDomain, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Lookup_of_a_missing_name_throws_no_domain()
    {
        var error = Assert.Throws<LibvirtException>(() => _connection.LookupDomainByName(DomainXml.UniqueName("missing-")));
        Assert.Equal(ErrorCode.NoDomain, error.ErrorCode);
    }

    [Fact]
    public void Simultaneous_default_connections_share_state()
    {
        using var other = Connection.Open(Uri);
        using Domain domain = Define(DomainXml.UniqueName("shared-"));
        using Domain seenByOther = other.LookupDomainByUuid(domain.Uuid);
        Assert.Same(other, seenByOther.Connection);
    }

    [Fact]
    public void Define_and_undefine()
    {
        using Domain domain = Define(DomainXml.UniqueName("define-"));
        Assert.True(domain.IsPersistent);
        Assert.False(domain.IsActive);
        Assert.Equal(-1, domain.Id);
        Assert.Equal(DomainState.Shutoff, domain.GetState().State);

        Assert.False(domain.GetAutostart());
        domain.SetAutostart(true);
        Assert.True(domain.GetAutostart());

        Guid uuid = domain.Uuid;
        domain.Undefine();
        var error = Assert.Throws<LibvirtException>(() => _connection.LookupDomainByUuid(uuid));
        Assert.Equal(ErrorCode.NoDomain, error.ErrorCode);
    }

    [Fact]
    public async Task Lifecycle_events_follow_the_operations()
    {
        var events = Channel.CreateUnbounded<DomainLifecycleEvent>();
        using var subscription = _connection.SubscribeDomainLifecycle(events.Writer);
        string name = DomainXml.UniqueName("lifecycle-");

        using Domain domain = Define(name);
        Guid uuid = domain.Uuid;
        var defined = await events.Reader.WaitForEventAsync(uuid, DomainEventType.Defined);
        Assert.Equal(name, defined.Name);

        domain.Create();
        await events.Reader.WaitForEventAsync(uuid, DomainEventType.Started);
        Assert.Equal(DomainState.Running, domain.GetState().State);
        Assert.True(domain.IsActive);
        Assert.True(domain.Id > 0);

        domain.Suspend();
        await events.Reader.WaitForEventAsync(uuid, DomainEventType.Suspended);
        Assert.Equal(DomainState.Paused, domain.GetState().State);

        domain.Resume();
        await events.Reader.WaitForEventAsync(uuid, DomainEventType.Resumed);
        Assert.Equal(DomainState.Running, domain.GetState().State);

        domain.Destroy();
        var stopped = await events.Reader.WaitForEventAsync(uuid, DomainEventType.Stopped);
        Assert.Equal(1, stopped.Detail); // VIR_DOMAIN_EVENT_STOPPED_DESTROYED
        Assert.Equal(DomainState.Shutoff, domain.GetState().State);
        Assert.False(domain.IsActive);

        domain.Undefine();
        await events.Reader.WaitForEventAsync(uuid, DomainEventType.Undefined);
    }

    [Fact]
    public async Task Shutdown_stops_the_domain()
    {
        var events = Channel.CreateUnbounded<DomainLifecycleEvent>();
        using var subscription = _connection.SubscribeDomainLifecycle(events.Writer);
        using Domain domain = Define(DomainXml.UniqueName("shutdown-"));
        domain.Create();
        domain.Reboot();
        Assert.Equal(DomainState.Running, domain.GetState().State);

        domain.Shutdown();
        await events.Reader.WaitForEventAsync(domain.Uuid, DomainEventType.Stopped);
        Assert.Equal(DomainState.Shutoff, domain.GetState().State);
    }

    [Fact]
    public async Task A_disposed_subscription_receives_nothing()
    {
        var disposedEvents = Channel.CreateUnbounded<DomainLifecycleEvent>();
        var liveEvents = Channel.CreateUnbounded<DomainLifecycleEvent>();
        _connection.SubscribeDomainLifecycle(disposedEvents.Writer).Dispose();
        using var live = _connection.SubscribeDomainLifecycle(liveEvents.Writer);

        using Domain domain = Define(DomainXml.UniqueName("unsubscribed-"));
        await liveEvents.Reader.WaitForEventAsync(domain.Uuid, DomainEventType.Defined);

        // Callbacks run in registration order on the event thread, so the disposed one would already have run.
        Assert.False(disposedEvents.Reader.TryRead(out _));
    }

    [Fact]
    public void Transient_domain_disappears_when_destroyed()
    {
        string name = DomainXml.UniqueName("transient-");
        using Domain domain = _connection.CreateTransientDomain(DomainXml.ForTestDriver(name));
        _definedNames.Add(name);
        Assert.True(domain.IsActive);
        Assert.False(domain.IsPersistent);
        Assert.Equal(name, domain.Name);

        domain.Destroy();
        var error = Assert.Throws<LibvirtException>(() => _connection.LookupDomainByName(name));
        Assert.Equal(ErrorCode.NoDomain, error.ErrorCode);
    }

    [Fact]
    public void Bulk_stats_report_state_per_domain()
    {
        using Domain stopped = Define(DomainXml.UniqueName("stats-"));
        var stats = _connection.GetAllDomainStats(DomainStatsTypes.State | DomainStatsTypes.CpuTotal);

        DomainStatsRecord test = Assert.Single(stats, s => s.Name == "test");
        Assert.Equal((int)DomainState.Running, Assert.IsType<int>(test.Values["state.state"]));
        Assert.IsType<int>(test.Values["state.reason"]);

        DomainStatsRecord mine = Assert.Single(stats, s => s.Uuid == stopped.Uuid);
        Assert.Equal(stopped.Name, mine.Name);
        Assert.Equal((int)DomainState.Shutoff, mine.Values["state.state"]);
    }

    [Fact]
    public void Bulk_stats_honour_the_filter_flags()
    {
        using Domain stopped = Define(DomainXml.UniqueName("filtered-"));
        var active = _connection.GetAllDomainStats(DomainStatsTypes.State, GetAllDomainStatsFlags.Active);
        Assert.DoesNotContain(active, s => s.Uuid == stopped.Uuid);
        Assert.Contains(active, s => s.Name == "test");
    }

    [Fact]
    public void Malformed_xml_throws_an_xml_error()
    {
        var error = Assert.Throws<LibvirtException>(() => _connection.DefineDomain("<domain type='test'><name>x</name>"));
        Assert.Equal(ErrorCode.XmlDetail, error.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Invalid_domain_xml_throws_an_xml_error()
    {
        string xml = new XElement("domain", new XAttribute("type", "test"), new XElement("memory", 65536)).ToString();
        var error = Assert.Throws<LibvirtException>(() => _connection.DefineDomain(xml));
        Assert.Equal(ErrorCode.NoName, error.ErrorCode);
    }

    [Fact]
    public void Hostile_name_round_trips()
    {
        const string name = "evil'\"<>&;$(reboot) `x` ünïcødé ☃";
        using Domain domain = Define(name);
        Assert.Equal(name, domain.Name);

        using Domain found = _connection.LookupDomainByName(name);
        Assert.Equal(domain.Uuid, found.Uuid);
        Assert.Equal(name, XElement.Parse(found.GetXmlDescription()).Element("name")!.Value);
        Assert.Equal(name, Assert.Single(_connection.GetAllDomainStats(DomainStatsTypes.State), s => s.Uuid == domain.Uuid).Name);
    }

    [Fact]
    public void Name_that_would_break_out_of_the_xml_is_rejected()
    {
        const string name = "a'/><disk";
        var error = Assert.Throws<LibvirtException>(() => Define(name));
        Assert.Equal(ErrorCode.XmlError, error.ErrorCode);
        Assert.Throws<LibvirtException>(() => _connection.LookupDomainByName(name));
    }

    [Fact]
    public void Defining_with_validation_rejects_schema_violations()
    {
        var xml = XElement.Parse(DomainXml.ForTestDriver(DomainXml.UniqueName("validate-")));
        xml.Add(new XElement("no-such-element"));
        var error = Assert.Throws<LibvirtException>(() => _connection.DefineDomain(xml.ToString(), DefineDomainFlags.Validate));
        Assert.Equal(ErrorCode.XmlInvalidSchema, error.ErrorCode);
    }

    [Fact]
    public void Disposed_objects_refuse_further_calls()
    {
        Domain domain = _connection.LookupDomainByName("test");
        domain.Dispose();
        domain.Dispose();
        Assert.Throws<ObjectDisposedException>(() => domain.Name);

        var connection = Connection.Open(Uri);
        connection.Dispose();
        connection.Dispose();
        Assert.Throws<ObjectDisposedException>(() => connection.GetHostname());
    }

    [Fact]
    public void Close_callback_registers_once_and_survives_dispose()
    {
        var closed = Channel.CreateUnbounded<ConnectionClosed>();
        var connection = Connection.Open(Uri);
        connection.RegisterCloseCallback(closed.Writer);
        Assert.Throws<InvalidOperationException>(() => connection.RegisterCloseCallback(closed.Writer));
        connection.Dispose();
        // The test driver has no close callbacks at all: nothing is ever reported.
        Assert.False(closed.Reader.TryRead(out _));
    }

    private Domain Define(string name)
    {
        _definedNames.Add(name);
        return _connection.DefineDomain(DomainXml.ForTestDriver(name));
    }

    private void TryRemove(string name)
    {
        try
        {
            using Domain domain = _connection.LookupDomainByName(name);
            if (domain.IsActive)
            {
                domain.Destroy();
            }
            if (domain.IsPersistent)
            {
                domain.Undefine();
            }
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
        {
        }
    }
}
