using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor;

/// <summary>Says in our words what a libvirt error means to the user, keeping libvirt's own text beside it.</summary>
internal static class LibvirtErrors
{
    public static HypervisorException ToUserError(LibvirtException e, string what, string hostName)
    {
        var message = e.ErrorCode switch
        {
            ErrorCode.NoDomain => $"{what}: the VM no longer exists on host {hostName}.",
            ErrorCode.OperationInvalid => $"{what}: not possible in the VM's current state.",
            ErrorCode.AuthFailed or ErrorCode.AuthCancelled or ErrorCode.AccessDenied =>
                $"{what}: host {hostName} refused access.",
            ErrorCode.NoConnect or ErrorCode.InvalidConn or ErrorCode.SystemError or ErrorCode.Rpc =>
                $"{what}: host {hostName} did not answer.",
            _ => $"{what} failed.",
        };
        return new HypervisorException(message, e.Message, e);
    }
}
