using System.Text;

namespace KvmPortal.Libvirt.Tests;

/// <summary>virDomainScreenshot on the real daemon: the running demo VM's screen, and a defined but stopped guest's refusal.</summary>
[Collection(QemuSystemCollection.Name)]
public sealed class QemuScreenshotTests : IDisposable
{
    private readonly Connection _connection = QemuSystem.Open();
    private readonly string _name = DomainXml.UniqueName("kvmportal-test-");

    private static string DemoVm =>
        Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_VM") is { Length: > 0 } name ? name : "kvmportal-demo";

    public void Dispose()
    {
        try
        {
            using Domain domain = _connection.LookupDomainByName(_name);
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
    public void The_running_demo_vm_gives_a_complete_image_of_its_screen()
    {
        using var demo = _connection.LookupDomainByName(DemoVm);
        Assert.True(demo.IsActive, $"The demo VM {DemoVm} must be running (deploy/test.sh starts it).");

        var shot = demo.TakeScreenshot();

        // libvirt asks QEMU for a PNG when QEMU can write one (QEMU 7.1+), a PPM otherwise.
        var (width, height) = shot.MimeType switch
        {
            "image/png" => PngSize(shot.Data),
            "image/x-portable-pixmap" => PpmSize(shot.Data),
            var other => throw new Xunit.Sdk.XunitException($"Unexpected screenshot format {other}."),
        };
        Assert.InRange(width, 320, 8192);
        Assert.InRange(height, 200, 8192);
    }

    /// <summary>The PNG signature, then IHDR first with the size (big-endian) and 8-bit RGB or RGBA samples.</summary>
    private static (int Width, int Height) PngSize(byte[] data)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], data[..8]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(data, 12, 4));
        Assert.Equal(8, data[24]);
        Assert.EndsWith("IEND", Encoding.ASCII.GetString(data, data.Length - 8, 4));
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(16)),
            System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(20)));
    }

    /// <summary>QEMU writes "P6\n&lt;width&gt; &lt;height&gt;\n255\n", then 3 bytes per pixel, all of them.</summary>
    private static (int Width, int Height) PpmSize(byte[] data)
    {
        var header = Encoding.ASCII.GetString(data, 0, Math.Min(32, data.Length)).Split('\n');
        Assert.Equal("P6", header[0]);
        var size = header[1].Split(' ');
        var (width, height) = (int.Parse(size[0]), int.Parse(size[1]));
        Assert.Equal("255", header[2]);
        var headerLength = header[0].Length + header[1].Length + header[2].Length + 3;
        Assert.Equal(headerLength + width * height * 3, data.Length);
        return (width, height);
    }

    [Fact]
    public void A_stopped_domain_has_no_screen_to_capture()
    {
        using var domain = _connection.DefineDomain(DomainXml.TinyQemu(_name));

        var error = Assert.Throws<LibvirtException>(() => domain.TakeScreenshot());

        Assert.Equal(ErrorCode.OperationInvalid, error.ErrorCode);
    }
}
