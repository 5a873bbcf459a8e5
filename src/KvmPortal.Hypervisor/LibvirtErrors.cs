using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor;

/// <summary>Says in our words what a libvirt error means to the user, keeping libvirt's own text beside it.</summary>
internal static class LibvirtErrors
{
    public static HypervisorException ToUserError(LibvirtException e, string what, string hostName)
    {
        var (kind, message) = e.ErrorCode switch
        {
            ErrorCode.NoDomain => (HypervisorErrorKind.VmGone, $"{what}: the VM no longer exists on host {hostName}."),
            ErrorCode.NoDomainSnapshot => (HypervisorErrorKind.SnapshotGone, $"{what}: the snapshot no longer exists on host {hostName}."),
            ErrorCode.NoNetwork => (HypervisorErrorKind.NetworkGone, $"{what}: the network no longer exists on host {hostName}."),
            ErrorCode.NetworkExist => (HypervisorErrorKind.NetworkExists, $"{what}: a network with this name or UUID already exists on host {hostName}."),
            ErrorCode.OperationInvalid => (HypervisorErrorKind.InvalidState, $"{what}: not possible in its current state."),
            ErrorCode.AuthFailed or ErrorCode.AuthCancelled or ErrorCode.AccessDenied =>
                (HypervisorErrorKind.AccessDenied, $"{what}: host {hostName} refused access."),
            ErrorCode.NoConnect or ErrorCode.InvalidConn or ErrorCode.SystemError or ErrorCode.Rpc =>
                (HypervisorErrorKind.HostNotAnswering, $"{what}: host {hostName} did not answer."),
            _ => (HypervisorErrorKind.Failed, $"{what} failed."),
        };
        return new HypervisorException(message, e.Message, e) { Kind = kind, Arguments = [hostName] };
    }
}
