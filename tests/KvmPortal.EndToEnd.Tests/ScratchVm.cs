using System.Xml.Linq;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>A transient kvmportal-test-* VM booting the demo kernel and busybox initramfs, with a screen and a serial port; destroyed on dispose.</summary>
internal sealed class ScratchVm : IAsyncDisposable
{
    /// <summary>What the demo guest's start-up script prints on tty1 and ttyS0 at every boot.</summary>
    public const string Banner = "KvmPortal demo guest";

    private ScratchVm(string name) => Name = name;

    public string Name { get; }

    public static async Task<ScratchVm> StartAsync(string name)
    {
        var kernel = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_KERNEL");
        var initrd = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_INITRD");
        Assert.False(string.IsNullOrEmpty(kernel) || string.IsNullOrEmpty(initrd), "KVMPORTAL_DEMO_KERNEL/INITRD are not set: run deploy/test.sh.");
        var xml = Path.Combine(Path.GetTempPath(), name + ".xml");
        new XElement("domain", new XAttribute("type", "qemu"),
            new XElement("name", name),
            new XElement("memory", new XAttribute("unit", "MiB"), 128),
            new XElement("vcpu", 1),
            new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm"),
                new XElement("kernel", kernel), new XElement("initrd", initrd), new XElement("cmdline", "console=tty1 console=ttyS0 quiet")),
            new XElement("on_reboot", "restart"),
            new XElement("devices",
                new XElement("serial", new XAttribute("type", "pty"), new XElement("target", new XAttribute("port", 0))),
                new XElement("console", new XAttribute("type", "pty"), new XElement("target", new XAttribute("type", "serial"), new XAttribute("port", 0))),
                new XElement("input", new XAttribute("type", "keyboard"), new XAttribute("bus", "ps2")),
                new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("autoport", "yes"), new XAttribute("listen", "127.0.0.1")),
                new XElement("video", new XElement("model", new XAttribute("type", "vga"))))).Save(xml);
        try
        {
            await Virsh.RunAsync("create", xml);
        }
        finally
        {
            File.Delete(xml);
        }
        return new ScratchVm(name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Virsh.RunAsync("destroy", Name);
        }
        catch (InvalidOperationException)
        {
            // gone already
        }
    }
}
