using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Components.Pages.Networks;

/// <summary>
/// What the network detail page reads and edits on demand: the XML, the DHCP leases (not pushed, so refreshed by
/// hand) and the live edits libvirt allows without a restart (static DHCP hosts, the DHCP range).
/// </summary>
public sealed class NetworkDetailViewModel(INetworkOperations operations)
{
    public string? Xml { get; private set; }

    public IReadOnlyList<NetworkLease>? Leases { get; private set; }

    public HypervisorException? XmlError { get; private set; }

    public HypervisorException? LeasesError { get; private set; }

    /// <summary>The static DHCP host being added.</summary>
    public DhcpHostRow NewDhcpHost { get; private set; } = new();

    public string? RangeStart { get; set; }

    public string? RangeEnd { get; set; }

    /// <summary>Validation problems of the last live edit.</summary>
    public IReadOnlyList<SpecProblem> EditProblems { get; private set; } = [];

    public async Task LoadXmlAsync(NetworkKey network, CancellationToken cancellationToken = default)
    {
        XmlError = null;
        try
        {
            Xml = await operations.GetXmlAsync(network, cancellationToken);
        }
        catch (HypervisorException e)
        {
            XmlError = e;
        }
    }

    public async Task LoadLeasesAsync(NetworkKey network, CancellationToken cancellationToken = default)
    {
        LeasesError = null;
        try
        {
            Leases = [.. (await operations.GetLeasesAsync(network, cancellationToken))
                .OrderBy(l => l.Ipv6).ThenBy(l => l.Ip, StringComparer.Ordinal)];
        }
        catch (HypervisorException e)
        {
            LeasesError = e;
        }
    }

    /// <summary>Shows the network's current range in the range editor.</summary>
    public void ResetRange(NetworkInfo network)
    {
        RangeStart = network.DhcpStart;
        RangeEnd = network.DhcpEnd;
    }

    /// <summary>Adds the entered static DHCP host live; false with <see cref="EditProblems"/> when refused.</summary>
    public Task<bool> AddDhcpHostAsync(NetworkKey network, CancellationToken cancellationToken = default)
    {
        var row = NewDhcpHost;
        var name = string.IsNullOrWhiteSpace(row.Name) ? null : row.Name.Trim();
        return EditAsync(async () =>
        {
            await operations.AddDhcpHostAsync(network, new DhcpHostSpec(row.Mac.Trim(), row.Ip.Trim(), name), cancellationToken);
            NewDhcpHost = new();
        });
    }

    public Task<bool> RemoveDhcpHostAsync(NetworkKey network, string mac, CancellationToken cancellationToken = default) =>
        EditAsync(() => operations.RemoveDhcpHostAsync(network, mac, cancellationToken));

    public Task<bool> SetDhcpRangeAsync(NetworkKey network, CancellationToken cancellationToken = default) =>
        EditAsync(() => operations.SetDhcpRangeAsync(network, RangeStart?.Trim() ?? "", RangeEnd?.Trim() ?? "", cancellationToken));

    private async Task<bool> EditAsync(Func<Task> edit)
    {
        EditProblems = [];
        try
        {
            await edit();
            return true;
        }
        catch (NetworkValidationException e)
        {
            EditProblems = e.Problems;
            return false;
        }
    }
}
