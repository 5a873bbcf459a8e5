using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Hosts;

/// <summary>
/// Why opening a connection failed, in categories a user can act on. libvirt's error codes are coarse (a bad CA and
/// a refused SSH key are both "authentication failed"), so the categories also look at libvirt 9's wording; an
/// unrecognised failure stays <see cref="HostOfflineReason.Libvirt"/> with libvirt's text.
/// </summary>
internal static class ConnectFailures
{
    public static HostOfflineReason Classify(LibvirtException e)
    {
        var message = e.Message;
        bool Says(string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);

        if (Says("HOST KEY VERIFICATION FAILED") || Says("differs from stored identity"))
            return HostOfflineReason.SshHostKeyChanged;
        if ((Says("host key") && (Says("was not accepted") || Says("can't verify") || Says("not found") || Says("unknown")))
            || Says("Host key verification failed"))
            return HostOfflineReason.SshHostKeyUnknown;
        if (e.ErrorCode == ErrorCode.Libssh || Says("ssh transport error") || Says("Permission denied (publickey"))
            return Says("authenticate") || Says("Permission denied") || Says("Access denied")
                ? HostOfflineReason.SshAuthRefused
                : HostOfflineReason.Libvirt;
        if (Says("Failed to verify peer's certificate") || Says("does not match the hostname") || Says("not valid for host"))
            return HostOfflineReason.TlsServerNotTrusted;
        if (Says("Our own certificate") || Says("clientcert.pem") || Says("clientkey.pem"))
            return HostOfflineReason.TlsClientCertificateInvalid;
        if (Says("Unable to read TLS confirmation") || Says("TLS handshake failed"))
            return HostOfflineReason.TlsRejectedByHost;
        if (Says("Connection refused"))
            return HostOfflineReason.ConnectionRefused;
        if (e.ErrorCode is ErrorCode.AuthFailed or ErrorCode.AuthCancelled or ErrorCode.AccessDenied)
            return HostOfflineReason.AuthRefused;
        return HostOfflineReason.Libvirt;
    }
}
