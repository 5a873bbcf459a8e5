using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms;

internal sealed class VmOperations(HostManager hosts, IInventory inventory) : IVmOperations
{
    public async Task ExecuteAsync(VmKey vm, VmAction action, CancellationToken cancellationToken = default)
    {
        var session = Session(vm);
        await HostCalls.CallAsync(session, new HostCall("vm." + action.ToString().ToLowerInvariant(), $"{Verb(action)} {Describe(vm)}", Describe(vm)), connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            Apply(domain, action);
            return true;
        }, cancellationToken);
        session.RequestRefresh(vm.Uuid);
    }

    public async Task<VmDetails> GetDetailsAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        var session = Session(vm);
        var (xml, autostart) = await HostCalls.CallAsync(session, new HostCall("vm.read", $"Read {Describe(vm)}", Describe(vm)), connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            return (domain.GetXmlDescription(), domain.GetAutostart());
        }, cancellationToken);
        var info = inventory.Current.Vms.GetValueOrDefault(vm)
            ?? throw new HypervisorException($"{Describe(vm)} no longer exists on host {session.Host.Name}.")
            {
                Kind = HypervisorErrorKind.VmGone,
                Arguments = [session.Host.Name],
            };
        return DomainXmlReader.Read(info, xml, autostart);
    }

    private static void Apply(Domain domain, VmAction action)
    {
        switch (action)
        {
            case VmAction.Start:
                Templates.VmTemplateTag.RefuseStart(domain);
                domain.Create();
                break;
            case VmAction.Shutdown: domain.Shutdown(); break;
            case VmAction.Reboot: domain.Reboot(); break;
            case VmAction.ForceOff: domain.Destroy(); break;
            case VmAction.Pause: domain.Suspend(); break;
            case VmAction.Resume: domain.Resume(); break;
            default: throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown VM action.");
        }
    }

    private HostSession Session(VmKey vm) => HostCalls.Session(hosts, vm.HostId);

    private string Describe(VmKey vm) =>
        inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : $"VM {vm.Uuid}";

    private static string Verb(VmAction action) => action switch
    {
        VmAction.Start => "Start",
        VmAction.Shutdown => "Shut down",
        VmAction.Reboot => "Reboot",
        VmAction.ForceOff => "Force off",
        VmAction.Pause => "Pause",
        VmAction.Resume => "Resume",
        _ => action.ToString(),
    };
}
