using System.Xml.Linq;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// A kvmportal-test-* dir storage pool and isolated network on the real host, for one test's disks, media and NICs
/// (the host's own "default" ones may be missing or inactive, and other tests run beside this one). Disposing
/// removes them with whatever the test left in them.
/// </summary>
public sealed class ScratchHostResources : IAsyncDisposable
{
    private ScratchHostResources(string suffix)
    {
        PoolName = "kvmportal-test-pool-" + suffix;
        PoolPath = "/var/lib/libvirt/images/kvmportal-test-" + suffix;
        NetworkName = "kvmportal-test-net-" + suffix;
        Bridge = "kvmpt" + suffix;
    }

    public string PoolName { get; }
    public string PoolPath { get; }
    public string NetworkName { get; }
    public string Bridge { get; }

    public static async Task<ScratchHostResources> CreateAsync()
    {
        var scratch = new ScratchHostResources(Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await Virsh.RunAsync("pool-define-as", scratch.PoolName, "dir", "--target", scratch.PoolPath);
            await Virsh.RunAsync("pool-build", scratch.PoolName);
            await Virsh.RunAsync("pool-start", scratch.PoolName);
            var network = Path.Combine(Path.GetTempPath(), scratch.NetworkName + ".xml");
            new XElement("network", new XElement("name", scratch.NetworkName), new XElement("bridge", new XAttribute("name", scratch.Bridge))).Save(network);
            try
            {
                await Virsh.RunAsync("net-create", network);
            }
            finally
            {
                File.Delete(network);
            }
            return scratch;
        }
        catch
        {
            await scratch.DisposeAsync();
            throw;
        }
    }

    /// <summary>A small raw volume in the pool, e.g. "media.iso" for a CD-ROM; returns its path.</summary>
    public async Task<string> CreateVolumeAsync(string name)
    {
        await Virsh.RunAsync("vol-create-as", PoolName, name, "1M", "--format", "raw");
        return Path.Combine(PoolPath, name);
    }

    public async Task<IReadOnlyList<string>> VolumesAsync() =>
        (await Virsh.RunAsync("vol-list", PoolName, "--details")).Split('\n').Skip(2)
            .Select(l => l.Trim().Split(' ', 2)[0]).Where(n => n.Length > 0).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { new[] { "net-destroy", NetworkName }, ["pool-destroy", PoolName], ["pool-undefine", PoolName] })
        {
            try
            {
                await Virsh.RunAsync(command);
            }
            catch (InvalidOperationException)
            {
            }
        }
        if (Directory.Exists(PoolPath)) Directory.Delete(PoolPath, recursive: true);
    }
}
