using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Consoles;

internal sealed class SerialConsoles(HostManager hosts, IInventory inventory) : ISerialConsoles
{
    public async Task<IReadOnlyList<SerialDevice>> ListDevicesAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        var session = HostCalls.Session(hosts, vm.HostId);
        var name = NameOf(vm);
        var xml = await HostCalls.CallAsync(session, new HostCall("console.list-serial", $"List the serial consoles of {name}", name), connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            return domain.GetXmlDescription();
        }, cancellationToken);
        return SerialDeviceReader.Read(xml, name);
    }

    public async Task<SerialConsole> OpenAsync(VmKey vm, string? alias, bool takeOver, CancellationToken cancellationToken = default)
    {
        var name = NameOf(vm);
        var devices = await ListDevicesAsync(vm, cancellationToken);
        // Only a device the VM really has is asked for: the alias may come from a browser.
        var device = (alias is null ? devices.FirstOrDefault() : devices.FirstOrDefault(d => d.Alias == alias))
            ?? throw new HypervisorException(alias is null ? $"{name} has no serial console." : $"{name} has no serial console {alias}.")
            {
                Kind = HypervisorErrorKind.NoSerialConsole,
            };

        var session = HostCalls.Session(hosts, vm.HostId);
        var flags = DomainConsoleFlags.Safe | (takeOver ? DomainConsoleFlags.Force : DomainConsoleFlags.None);
        var console = await HostCalls.CallAsync(session, new HostCall("console.open-serial", $"Open the serial console of {name}", name), connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            try
            {
                return domain.OpenConsole(device.Alias, flags);
            }
            catch (LibvirtException e) when (e.ErrorCode == ErrorCode.OperationFailed && e.Message.Contains("Active console session", StringComparison.Ordinal))
            {
                throw new HypervisorException($"The serial console {device.Alias} of {name} is open in another session.", e.Message, e)
                {
                    Kind = HypervisorErrorKind.ConsoleInUse,
                };
            }
        }, cancellationToken);
        return new SerialConsole(console, device);
    }

    private string NameOf(VmKey vm) => inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : $"VM {vm.Uuid}";
}
