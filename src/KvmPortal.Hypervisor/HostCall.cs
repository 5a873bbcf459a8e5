namespace KvmPortal.Hypervisor;

/// <summary>
/// What one libvirt call does: <paramref name="Operation"/> is a short stable name (the metric label and log field),
/// <paramref name="Description"/> the words used in error messages, <paramref name="Vm"/> the VM concerned, if any.
/// </summary>
internal readonly record struct HostCall(string Operation, string Description, string? Vm = null);
