namespace KvmPortal.Hypervisor;

/// <summary>
/// A failure to show to the user: <see cref="Exception.Message"/> says what went wrong in our words,
/// <see cref="LibvirtMessage"/> carries libvirt's own text when libvirt refused.
/// </summary>
public sealed class HypervisorException(string message, string? libvirtMessage = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string? LibvirtMessage { get; } = libvirtMessage;
}
