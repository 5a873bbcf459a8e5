using System.Xml.Linq;
using KvmPortal.Libvirt;
using Xunit.Sdk;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>
/// The second libvirt host on this machine (deploy/lib/second-host.sh: a libvirtd in its own network and mount
/// namespaces, qemu+tcp on 10.251.0.2) and throw-away kvmportal-test-* domains for migrating between it and
/// qemu:///system. Both see /var/lib/libvirt/images (the pool "default" on the second host).
/// </summary>
public static class SecondHost
{
    public const string SharedImages = "/var/lib/libvirt/images";

    /// <summary>The second host's URI (KVMPORTAL_SECOND_HOST_URI, which deploy/test.sh exports).</summary>
    public static string Uri => Environment.GetEnvironmentVariable("KVMPORTAL_SECOND_HOST_URI") is { Length: > 0 } uri
        ? uri
        : "qemu+tcp://10.251.0.2/system";

    /// <summary>The second host over TLS with the client certificate the script made (KVMPORTAL_SECOND_HOST_TLS_URI).</summary>
    public static string TlsUri => Environment.GetEnvironmentVariable("KVMPORTAL_SECOND_HOST_TLS_URI") is { Length: > 0 } uri
        ? uri
        : "qemu+tls://10.251.0.2/system?pkipath=/var/lib/kvmportal-host2/pki/client";

    /// <summary>The address the second host reaches this machine's QEMU at, for migrations back.</summary>
    public const string MainHostAddress = "10.251.0.1";

    public static Connection Open()
    {
        try
        {
            return Connection.Open(Uri);
        }
        catch (LibvirtException e)
        {
            throw new XunitException($"The migration tests need the second libvirt host at {Uri}: start it with " +
                $"`bash deploy/lib/second-host.sh start` as root (deploy/test.sh does). libvirt said: {e.Message}");
        }
    }

    /// <summary>A domain booting the demo kernel and initramfs (from the shared images folder), 128 MiB, no disk.</summary>
    public static XElement DemoDomainXml(string name)
    {
        var kernel = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_KERNEL");
        var initrd = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_INITRD");
        if (string.IsNullOrEmpty(kernel) || string.IsNullOrEmpty(initrd) || !File.Exists(kernel) || !File.Exists(initrd))
            throw new XunitException("The migration tests boot the demo guest: set KVMPORTAL_DEMO_KERNEL and KVMPORTAL_DEMO_INITRD " +
                $"(deploy/test.sh does). Got '{kernel}' and '{initrd}'.");
        if (!kernel.StartsWith(SharedImages + "/", StringComparison.Ordinal))
            throw new XunitException($"The demo kernel must be under {SharedImages}, which both hosts see; it is {kernel}.");
        return new XElement("domain", new XAttribute("type", "qemu"),
            new XElement("name", name),
            new XElement("memory", new XAttribute("unit", "MiB"), 128),
            new XElement("vcpu", 1),
            new XElement("os",
                new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm"),
                new XElement("kernel", kernel), new XElement("initrd", initrd), new XElement("cmdline", "console=ttyS0 quiet")),
            new XElement("devices",
                new XElement("serial", new XAttribute("type", "pty")),
                new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("listen", "127.0.0.1"), new XAttribute("autoport", "yes"))));
    }

    /// <summary>The first bytes of a file as the second host sees it (in its mount namespace, through nsenter).</summary>
    public static string ReadStartThere(string path, int count)
    {
        var dir = Environment.GetEnvironmentVariable("KVMPORTAL_HOST2_DIR") is { Length: > 0 } d ? d : "/var/lib/kvmportal-host2";
        var pid = File.ReadAllText(Path.Combine(dir, "libvirtd.pid")).Trim();
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("nsenter",
            ["-t", pid, "-m", "--", "head", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? text : throw new InvalidOperationException($"Reading {path} on the second host failed: {process.StandardError.ReadToEnd()}");
    }

    /// <summary>A dir pool on the second host over <paramref name="folder"/> (made there by building the pool).</summary>
    public static void DefinePoolThere(string name, string folder)
    {
        using var second = Open();
        using var pool = second.DefineStoragePool(new XElement("pool", new XAttribute("type", "dir"), new XElement("name", name),
            new XElement("target", new XElement("path", folder))).ToString());
        pool.Build();
        pool.Create();
    }

    /// <summary>Removes the pool, its volumes and its folder from the second host, if there.</summary>
    public static void RemovePoolThere(string name)
    {
        using var second = Open();
        try
        {
            using var pool = second.LookupStoragePoolByName(name);
            if (pool.IsActive)
            {
                pool.Refresh();
                foreach (var volume in pool.ListAllVolumes())
                    using (volume) volume.Delete();
                pool.Destroy();
                pool.Delete(); // the (now empty) folder
            }
            pool.Undefine();
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoStoragePool)
        {
        }
    }

    /// <summary>Destroys and undefines <paramref name="name"/> on both hosts, if there.</summary>
    public static void RemoveEverywhere(string name)
    {
        using (var system = TestDomains.OpenSystem()) TestDomains.Remove(system, name);
        using var second = Open();
        TestDomains.Remove(second, name);
    }
}
