using System.Diagnostics;
using System.Threading.Channels;

namespace KvmPortal.Libvirt.Tests;

[Collection(QemuSystemCollection.Name)]
public sealed class CloseCallbackTests
{
    [Fact]
    public async Task Eof_is_reported_when_the_daemon_drops_the_client()
    {
        var closed = Channel.CreateUnbounded<ConnectionClosed>();
        var before = VirtAdmin.OwnClientIds();
        using var connection = QemuSystem.Open();
        connection.RegisterCloseCallback(closed.Writer);
        string clientId = Assert.Single(VirtAdmin.OwnClientIds().Except(before));

        VirtAdmin.Disconnect(clientId);

        var reason = await closed.Reader.WaitForAsync(_ => true, "a close callback");
        Assert.Equal(CloseReason.Eof, reason.Reason);
        Assert.False(connection.IsAlive);
        Assert.Throws<LibvirtException>(() => connection.GetHostname());
    }

    [Fact]
    public void Dispose_closes_the_connection_even_with_callbacks_registered()
    {
        var closed = Channel.CreateUnbounded<ConnectionClosed>();
        var events = Channel.CreateUnbounded<DomainLifecycleEvent>();
        var before = VirtAdmin.OwnClientIds();
        var connection = QemuSystem.Open();
        connection.RegisterCloseCallback(closed.Writer);
        connection.SubscribeDomainLifecycle(events.Writer); // deliberately not disposed: the connection does it
        string clientId = Assert.Single(VirtAdmin.OwnClientIds().Except(before));

        connection.Dispose();

        // Registered callbacks hold references on the virConnect; had they not been removed first,
        // virConnectClose would leave the connection open. The daemon notices the hang-up asynchronously.
        var deadline = Stopwatch.StartNew();
        while (VirtAdmin.OwnClientIds().Contains(clientId))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"daemon client {clientId} still connected");
            Thread.Sleep(50);
        }
        // Unregistered before closing, so an explicit close reports nothing (not even CloseReason.Client).
        Assert.False(closed.Reader.TryRead(out _));
    }
}
