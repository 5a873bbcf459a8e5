using System.Text;
using Xunit.Sdk;

namespace KvmPortal.Libvirt.Tests;

/// <summary>
/// Text consoles on the real daemon: the demo VM's ttyS0 shell (KVMPORTAL_DEMO_VM, which deploy/test.sh starts)
/// and tiny kvmportal-test-* guests (SeaBIOS, a silent serial pty) for the refusals, take-over and the guest going away.
/// </summary>
[Collection(QemuSystemCollection.Name)]
public sealed class QemuConsoleTests : IDisposable
{
    /// <summary>Bounds every wait so a broken console fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Connection _connection = QemuSystem.Open();
    private readonly string _name = DomainXml.UniqueName("kvmportal-test-");

    public void Dispose()
    {
        try
        {
            using Domain domain = _connection.LookupDomainByName(_name);
            if (domain.IsActive) domain.Destroy();
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
    public async Task The_demo_guest_shell_answers_on_its_serial_console()
    {
        using var demo = DemoVm();
        using var console = demo.OpenConsole(null);
        var n = Random.Shared.Next(1000, 1_000_000);

        // The shell evaluates $((n+1)), so our own echoed input never matches what we wait for.
        await console.WriteAsync(Encoding.ASCII.GetBytes($"\recho kvmportal-libvirt-$(({n}+1))\r"));
        await ReadUntilAsync(console, $"kvmportal-libvirt-{n + 1}");
    }

    [Fact]
    public async Task A_console_another_client_holds_is_refused_without_force_and_taken_over_with_it()
    {
        using var guest = RunningGuestWithSerial();
        using var first = guest.OpenConsole(null);

        var refused = Assert.Throws<LibvirtException>(() => guest.OpenConsole(null, DomainConsoleFlags.Safe).Dispose());
        Assert.Equal(ErrorCode.OperationFailed, refused.ErrorCode);
        Assert.Contains("Active console session", refused.Message, StringComparison.Ordinal);

        using var second = guest.OpenConsole(null, DomainConsoleFlags.Safe | DomainConsoleFlags.Force);
        await ReadToEndAsync(first); // the first client learns it lost the console
    }

    [Fact]
    public void A_guest_that_is_not_running_has_no_console()
    {
        using var domain = _connection.DefineDomain(DomainXml.TinyQemuWithSerial(_name));

        var e = Assert.Throws<LibvirtException>(() => domain.OpenConsole(null).Dispose());
        Assert.Equal(ErrorCode.OperationInvalid, e.ErrorCode);
    }

    [Fact]
    public void A_guest_without_a_serial_port_has_no_console()
    {
        using var domain = _connection.DefineDomain(DomainXml.TinyQemu(_name));
        domain.Create();

        var e = Assert.Throws<LibvirtException>(() => domain.OpenConsole(null).Dispose());
        Assert.Contains("character device", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_unknown_device_name_is_refused()
    {
        using var domain = RunningGuestWithSerial();

        var e = Assert.Throws<LibvirtException>(() => domain.OpenConsole("serial7").Dispose());
        Assert.Contains("serial7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_ends_when_the_guest_goes_away()
    {
        using var domain = RunningGuestWithSerial();
        using var console = domain.OpenConsole("serial0");

        domain.Destroy();

        await ReadToEndAsync(console);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            for (var i = 0; i < 100; i++) await console.WriteAsync("x"u8.ToArray());
        });
    }

    [Fact]
    public void A_disposed_console_refuses_writes_and_can_be_opened_again()
    {
        using var guest = RunningGuestWithSerial();
        var console = guest.OpenConsole(null);
        console.Dispose();

        Assert.Throws<ObjectDisposedException>(() => console.WriteAsync("x"u8.ToArray()).AsTask().GetAwaiter().GetResult());
        using var again = guest.OpenConsole(null); // without Force: the first client is really gone
    }

    private Domain RunningGuestWithSerial()
    {
        var domain = _connection.DefineDomain(DomainXml.TinyQemuWithSerial(_name));
        domain.Create();
        return domain;
    }

    /// <summary>The demo VM, shared with other tests: only its shell test uses it, briefly and without Force.</summary>
    private Domain DemoVm() =>
        _connection.LookupDomainByName(Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_VM") ?? "kvmportal-demo");

    private static async Task ReadUntilAsync(ConsoleStream console, string expected)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (!seen.ToString().Contains(expected, StringComparison.Ordinal))
            {
                var n = await console.ReadAsync(buffer, timeout.Token);
                if (n == 0) throw new XunitException($"The console closed before '{expected}' came; saw: {seen}");
                seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
        catch (OperationCanceledException)
        {
            throw new XunitException($"'{expected}' did not come on the console; saw: {seen}");
        }
    }

    /// <summary>Reads until the console ends, by end of stream or by a stream error: either tells the reader it is over.</summary>
    private static async Task ReadToEndAsync(ConsoleStream console)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[4096];
        try
        {
            while (await console.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (LibvirtException)
        {
        }
        catch (OperationCanceledException)
        {
            throw new XunitException("The console did not end.");
        }
    }
}
