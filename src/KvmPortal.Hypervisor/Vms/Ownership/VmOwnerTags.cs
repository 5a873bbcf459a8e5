using System.Xml;
using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Ownership;

internal sealed class VmOwnerTags(HostManager hosts, IInventory inventory) : IVmOwnerTags
{
    public const string Namespace = "https://kvmportal.dev/xmlns/ownership/1";
    public const string Prefix = "kvmportal";

    public Task SetAsync(VmKey vm, VmOwnerTag? tag, CancellationToken cancellationToken = default) =>
        CallAsync(vm, "Set the owner of", domain =>
        {
            var scope = domain.IsActive ? DomainModificationImpact.Live : 0;
            if (domain.IsPersistent) scope |= DomainModificationImpact.Config;
            domain.SetElementMetadata(tag is null ? null : ToXml(tag), Prefix, Namespace, scope);
            return true;
        }, cancellationToken);

    public Task<VmOwnerTag?> GetAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        CallAsync(vm, "Read the owner of", domain => FromXml(domain.GetElementMetadata(Namespace)), cancellationToken);

    internal static string ToXml(VmOwnerTag tag) =>
        new XElement(XName.Get("owner", Namespace), new XAttribute("team", tag.TeamId), new XAttribute("name", tag.TeamName))
            .ToString(SaveOptions.DisableFormatting);

    /// <summary>The tag in libvirt's answer; a hand-edited element that does not parse counts as none.</summary>
    internal static VmOwnerTag? FromXml(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
            return null;
        try
        {
            var owner = XElement.Parse(xml);
            return Guid.TryParse((string?)owner.Attribute("team"), out var team)
                ? new VmOwnerTag(team, (string?)owner.Attribute("name") ?? "")
                : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private Task<T> CallAsync<T>(VmKey vm, string what, Func<Domain, T> call, CancellationToken cancellationToken)
    {
        var label = inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : $"VM {vm.Uuid}";
        return HostCalls.CallAsync(HostCalls.Session(hosts, vm.HostId), new HostCall("vm.owner", $"{what} {label}", label), connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            return call(domain);
        }, cancellationToken);
    }
}
