namespace KvmPortal.Hypervisor.Consoles;

/// <summary>
/// One of a running VM's text consoles: <see cref="Alias"/> is libvirt's device alias (what
/// virDomainOpenConsole takes, e.g. "serial0"), <see cref="Kind"/> "serial" or "console", <see cref="TargetType"/>
/// how the guest sees it (isa-serial, virtio, ...).
/// </summary>
public sealed record SerialDevice(string Alias, string Kind, string TargetType, int Port);
