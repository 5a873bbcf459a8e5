using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>
/// Records the network calls; validation uses the real validator against <see cref="Existing"/>, the preview the
/// real XML builder. <see cref="Failure"/> makes every libvirt-side call throw instead.
/// </summary>
public sealed class RecordingNetworkOperations : INetworkOperations
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<NetworkSpec> Created { get; } = new();

    public List<ExistingNetwork> Existing { get; } = [];

    public List<HostInterfaceInfo> Interfaces { get; } = [];

    public List<NetworkLease> Leases { get; } = [];

    public Exception? Failure { get; set; }

    public string Xml { get; set; } = "<network><name>test</name></network>";

    public string PreviewXml(NetworkSpec spec) => NetworkXmlBuilder.Build(spec);

    public Task<IReadOnlyList<SpecProblem>> ValidateAsync(Guid hostId, NetworkSpec spec, CancellationToken cancellationToken = default) =>
        Task.FromResult(NetworkSpecValidator.Validate(spec, new NetworkValidationContext(Existing)));

    public async Task<NetworkKey> CreateAsync(Guid hostId, NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        var problems = await ValidateAsync(hostId, spec, cancellationToken);
        if (problems.Count > 0) throw new NetworkValidationException(problems);
        await Record($"create {spec.Name}");
        Created.Enqueue(spec);
        return new NetworkKey(hostId, Guid.NewGuid());
    }

    public Task StartAsync(NetworkKey network, CancellationToken cancellationToken = default) => Record($"start {network.Uuid}");

    public Task StopAsync(NetworkKey network, CancellationToken cancellationToken = default) => Record($"stop {network.Uuid}");

    public Task SetAutostartAsync(NetworkKey network, bool autostart, CancellationToken cancellationToken = default) =>
        Record($"autostart {network.Uuid} {autostart}");

    public Task DeleteAsync(NetworkKey network, CancellationToken cancellationToken = default) => Record($"delete {network.Uuid}");

    public Task UndefineAsync(NetworkKey network, CancellationToken cancellationToken = default) => Record($"undefine {network.Uuid}");

    public Task AddDhcpHostAsync(NetworkKey network, DhcpHostSpec host, CancellationToken cancellationToken = default) =>
        Record($"add-dhcp-host {host.Mac} {host.Ip} {host.Name}");

    public Task RemoveDhcpHostAsync(NetworkKey network, string mac, CancellationToken cancellationToken = default) =>
        Record($"remove-dhcp-host {mac}");

    public Task SetDhcpRangeAsync(NetworkKey network, string start, string end, CancellationToken cancellationToken = default) =>
        Record($"dhcp-range {start} {end}");

    public async Task<string> GetXmlAsync(NetworkKey network, CancellationToken cancellationToken = default)
    {
        await Record(null);
        return Xml;
    }

    public async Task<IReadOnlyList<NetworkLease>> GetLeasesAsync(NetworkKey network, CancellationToken cancellationToken = default)
    {
        await Record("leases");
        return [.. Leases];
    }

    public async Task<IReadOnlyList<HostInterfaceInfo>> GetHostInterfacesAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        await Record(null);
        return [.. Interfaces];
    }

    private Task Record(string? call)
    {
        if (Failure is not null)
            return Task.FromException(Failure);
        if (call is not null)
            Calls.Enqueue(call);
        return Task.CompletedTask;
    }
}
