using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Consoles;

/// <summary>The text consoles (serial ports) of running VMs, reached through libvirt, so remote hosts work too.</summary>
public interface ISerialConsoles
{
    /// <summary>The running VM's serial ports and consoles, from its live XML.</summary>
    Task<IReadOnlyList<SerialDevice>> ListDevicesAsync(VmKey vm, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens <paramref name="alias"/> (null: the first device). A console another client holds is refused
    /// (<see cref="HypervisorErrorKind.ConsoleInUse"/>) unless <paramref name="takeOver"/>, which ends that client's session.
    /// </summary>
    Task<SerialConsole> OpenAsync(VmKey vm, string? alias, bool takeOver, CancellationToken cancellationToken = default);
}
