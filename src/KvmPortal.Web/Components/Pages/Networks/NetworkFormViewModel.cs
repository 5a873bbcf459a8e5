using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Components.Pages.Networks;

/// <summary>The parts of the "new network" form a problem can belong to.</summary>
public enum NetworkField { Host, Name, Mode, Bridge, HostInterface, Ipv4, Dhcp, DhcpHosts, Ipv6, Dns, Mtu, Other }

/// <summary>One editable row of the static DHCP host table.</summary>
public sealed class DhcpHostRow
{
    public string Mac { get; set; } = "";
    public string Ip { get; set; } = "";
    public string? Name { get; set; }
}

/// <summary>One editable row of the DNS host table; host names separated by spaces or commas.</summary>
public sealed class DnsHostRow
{
    public string Ip { get; set; } = "";
    public string Hostnames { get; set; } = "";
}

/// <summary>
/// The "new network" form without rendering: which fields each forward mode shows, the spec it builds, the
/// validation problems sorted to their fields, the XML preview and the create call.
/// </summary>
public sealed class NetworkFormViewModel(INetworkOperations operations)
{
    public Guid? HostId { get; set; }

    public NetworkSpec Spec { get; } = new() { Ipv4Prefix = 24 };

    public List<DhcpHostRow> DhcpHosts { get; } = [];

    public List<DnsHostRow> DnsHosts { get; } = [];

    public IReadOnlyList<HostInterfaceInfo> HostInterfaces { get; private set; } = [];

    /// <summary>Why the host's interfaces could not be read, or null.</summary>
    public HypervisorException? InterfacesError { get; private set; }

    /// <summary>Every problem of the last check, in the validator's order.</summary>
    public IReadOnlyList<SpecProblem> Problems { get; private set; } = [];

    /// <summary>The XML that "Define" will send, once the spec passed validation; null while editing.</summary>
    public string? PreviewXml { get; private set; }

    public bool Busy { get; private set; }

    public static IReadOnlyList<NetworkForwardMode> CreatableModes { get; } =
    [
        NetworkForwardMode.Nat, NetworkForwardMode.Route, NetworkForwardMode.Isolated,
        NetworkForwardMode.Open, NetworkForwardMode.Bridge, NetworkForwardMode.Direct,
    ];

    public bool HasLibvirtBridge => NetworkSpec.HasLibvirtBridge(Spec.Mode);

    /// <summary>Bridge mode picks an existing host bridge; the libvirt-bridge modes may name their own.</summary>
    public bool ShowsHostBridgePicker => Spec.Mode == NetworkForwardMode.Bridge;

    public bool ShowsOwnBridgeName => HasLibvirtBridge;

    /// <summary>Direct needs a host interface; NAT and routed may name the interface traffic leaves through.</summary>
    public bool ShowsHostInterface => Spec.Mode is NetworkForwardMode.Direct or NetworkForwardMode.Nat or NetworkForwardMode.Route;

    public bool HostInterfaceRequired => Spec.Mode == NetworkForwardMode.Direct;

    public bool ShowsDirectMode => Spec.Mode == NetworkForwardMode.Direct;

    /// <summary>Addresses, DHCP, DNS and MTU exist only where libvirt runs the bridge.</summary>
    public bool ShowsAddressing => HasLibvirtBridge;

    public IEnumerable<HostInterfaceInfo> Bridges => HostInterfaces.Where(i => i.Type == "bridge");

    public IEnumerable<HostInterfaceInfo> PlainInterfaces => HostInterfaces.Where(i => i.Type != "bridge" && i.Name != "lo");

    public IReadOnlyList<SpecProblem> ProblemsOf(NetworkField field) => Problems.Where(p => FieldOf(p) == field).ToList();

    public static IEnumerable<HostInfo> SelectableHosts(InventorySnapshot snapshot) =>
        snapshot.Hosts.Values.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Any edit makes the preview stale: the user reviews again before defining.</summary>
    public void Edited() => PreviewXml = null;

    public async Task SelectHostAsync(Guid? hostId, CancellationToken cancellationToken = default)
    {
        HostId = hostId;
        Edited();
        HostInterfaces = [];
        InterfacesError = null;
        if (hostId is not { } id)
            return;
        try
        {
            HostInterfaces = await operations.GetHostInterfacesAsync(id, cancellationToken);
        }
        catch (HypervisorException e)
        {
            InterfacesError = e;
        }
    }

    /// <summary>The spec as the form shows it: fields hidden by the mode are left out, empty texts are null.</summary>
    public NetworkSpec BuildSpec()
    {
        var addressing = HasLibvirtBridge;
        return new NetworkSpec
        {
            Name = Spec.Name.Trim(),
            Mode = Spec.Mode,
            DirectMode = Spec.DirectMode,
            BridgeName = ShowsHostBridgePicker || ShowsOwnBridgeName ? Clean(Spec.BridgeName) : null,
            HostInterface = ShowsHostInterface ? Clean(Spec.HostInterface) : null,
            Ipv4Address = addressing ? Clean(Spec.Ipv4Address) : null,
            Ipv4Prefix = Spec.Ipv4Prefix,
            DhcpStart = addressing ? Clean(Spec.DhcpStart) : null,
            DhcpEnd = addressing ? Clean(Spec.DhcpEnd) : null,
            DhcpHosts = addressing
                ? [.. DhcpHosts.Where(r => !IsBlank(r.Mac, r.Ip, r.Name)).Select(r => new DhcpHostSpec(r.Mac.Trim(), r.Ip.Trim(), Clean(r.Name)))]
                : [],
            Ipv6Address = addressing ? Clean(Spec.Ipv6Address) : null,
            Ipv6Prefix = Spec.Ipv6Prefix,
            Ipv6DhcpStart = addressing ? Clean(Spec.Ipv6DhcpStart) : null,
            Ipv6DhcpEnd = addressing ? Clean(Spec.Ipv6DhcpEnd) : null,
            DnsDomain = addressing ? Clean(Spec.DnsDomain) : null,
            DnsHosts = addressing
                ? [.. DnsHosts.Where(r => !IsBlank(r.Ip, r.Hostnames)).Select(r => new DnsHostSpec(r.Ip.Trim(),
                    r.Hostnames.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)))]
                : [],
            Mtu = addressing ? Spec.Mtu : null,
            Autostart = Spec.Autostart,
            StartAfterDefine = Spec.StartAfterDefine,
        };
    }

    /// <summary>Checks the form on the host; shows every problem, or the XML to define when there are none.</summary>
    public async Task<bool> ReviewAsync(CancellationToken cancellationToken = default)
    {
        PreviewXml = null;
        if (HostId is not { } hostId)
        {
            Problems = [HostMissing];
            return false;
        }
        var spec = BuildSpec();
        Busy = true;
        try
        {
            Problems = await operations.ValidateAsync(hostId, spec, cancellationToken);
        }
        finally
        {
            Busy = false;
        }
        if (Problems.Count > 0)
            return false;
        PreviewXml = operations.PreviewXml(spec);
        return true;
    }

    /// <summary>Defines (and starts, as asked) the reviewed network; null with <see cref="Problems"/> set when refused.</summary>
    public async Task<NetworkKey?> CreateAsync(CancellationToken cancellationToken = default)
    {
        if (HostId is not { } hostId || PreviewXml is null)
            return null;
        Busy = true;
        try
        {
            return await operations.CreateAsync(hostId, BuildSpec(), cancellationToken);
        }
        catch (NetworkValidationException e)
        {
            Problems = e.Problems;
            PreviewXml = null;
            return null;
        }
        finally
        {
            Busy = false;
        }
    }

    /// <summary>The form's own problem: no host chosen.</summary>
    public static SpecProblem HostMissing { get; } = SpecProblem.Of(nameof(NetworkField.Host), "NetworkHostRequired", "Choose the host for the network.");

    /// <summary>Which part of the form a problem is about: the validator names it in the problem's field.</summary>
    public static NetworkField FieldOf(SpecProblem problem) =>
        Enum.TryParse<NetworkField>(problem.Field, out var field) ? field : NetworkField.Other;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool IsBlank(params string?[] values) => values.All(string.IsNullOrWhiteSpace);
}
