using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Components.Pages.Vms.Create;

/// <summary>
/// What a NIC can be connected to on one host: its libvirt networks (live, from the inventory) and its bridges
/// (read from the host). A bridge that cannot be listed can still be typed, as libvirt accepts any name.
/// </summary>
public sealed class NicSourceOptions(INetworkOperations operations)
{
    public const string DefaultNetworkName = "default";

    private Guid? bridgesHost;

    public Guid? HostId { get; private set; }

    /// <summary>The host's libvirt networks by name.</summary>
    public IReadOnlyList<NetworkInfo> Networks { get; private set; } = [];

    /// <summary>The host's bridge interfaces by name.</summary>
    public IReadOnlyList<string> Bridges { get; private set; } = [];

    /// <summary>Why the bridges could not be listed (host unreachable or no network view grant); null when they were.</summary>
    public string? BridgesError { get; private set; }

    /// <summary>The network a new NIC starts on: "default" when the host has it, else its first active network.</summary>
    public string DefaultNetwork =>
        Networks.FirstOrDefault(n => n.Name == DefaultNetworkName)?.Name
        ?? Networks.FirstOrDefault(n => n.Active)?.Name
        ?? "";

    /// <summary>The source a NIC gets when its kind is switched: the default network, or the first bridge.</summary>
    public string InitialSource(NicSourceKind kind) =>
        kind == NicSourceKind.Network ? DefaultNetwork : Bridges.FirstOrDefault() ?? "";

    /// <summary>Takes the host's networks from the inventory; call again on each inventory update to keep states live.</summary>
    public void ShowNetworks(InventorySnapshot snapshot, Guid hostId)
    {
        HostId = hostId;
        Networks = snapshot.Networks.Values
            .Where(n => n.HostId == hostId)
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Whether a NIC's network should be replaced by <see cref="DefaultNetwork"/>: the host lists networks and
    /// this one is not among them. A host whose networks are not known yet keeps what was set.
    /// </summary>
    public bool IsUnknownNetwork(string network) => Networks.Count > 0 && Networks.All(n => n.Name != network);

    /// <summary>Whether the named network exists on the host but is not running (a NIC on it cannot start).</summary>
    public bool IsInactive(string network) => Networks.Any(n => n.Name == network && !n.Active);

    /// <summary>Reads the host's bridges once per host.</summary>
    public async Task LoadBridgesAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        if (bridgesHost == hostId)
            return;
        bridgesHost = hostId;
        Bridges = [];
        BridgesError = null;
        try
        {
            var interfaces = await operations.GetHostInterfacesAsync(hostId, cancellationToken);
            Bridges = interfaces.Where(i => i.Type == "bridge").Select(i => i.Name).Order(StringComparer.Ordinal).ToList();
        }
        catch (HypervisorException e)
        {
            BridgesError = e.Message;
        }
        catch (AccessDeniedException e)
        {
            BridgesError = e.Message;
        }
    }

    /// <summary>The bridges whose name contains the typed text; the text itself stays acceptable.</summary>
    public IEnumerable<string> SearchBridges(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? Bridges
            : Bridges.Where(b => b.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase));
}
