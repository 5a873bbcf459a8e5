using System.Xml.Linq;

namespace KvmPortal.Bench;

/// <summary>
/// Hosts simulated by libvirt's test driver: one node file per host (test:///path/node.xml), each with its
/// own running domains. Real libvirt code paths, no daemon, no guests.
/// </summary>
public sealed class SimulatedHosts : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kvmportal-bench-").FullName;

    public SimulatedHosts(int hosts, int vmsPerHost)
    {
        Uris = Enumerable.Range(1, hosts).Select(h => Write(h, vmsPerHost)).ToList();
    }

    public IReadOnlyList<string> Uris { get; }

    private string Write(int host, int vms)
    {
        var node = new XElement("node",
            new XElement("cpu", new XElement("mhz", 2400), new XElement("model", "x86_64"),
                new XElement("nodes", 1), new XElement("sockets", 2), new XElement("cores", 8), new XElement("threads", 2)),
            new XElement("memory", 256L * 1024 * 1024),
            Enumerable.Range(1, vms).Select(vm => new XElement("domain", new XAttribute("type", "test"),
                new XElement("name", $"host{host:D2}-vm{vm:D3}"),
                new XElement("memory", 1024 * 1024),
                new XElement("vcpu", 2),
                new XElement("os", new XElement("type", "hvm")))));
        var path = Path.Combine(_folder, $"host{host:D2}.xml");
        node.Save(path);
        return "test://" + path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
