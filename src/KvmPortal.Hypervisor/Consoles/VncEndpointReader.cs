using System.Net;
using System.Xml.Linq;

namespace KvmPortal.Hypervisor.Consoles;

/// <summary>
/// Finds a running domain's VNC server in its live XML (read with VIR_DOMAIN_XML_SECURE, so the password is
/// there) and says how this machine reaches it, given the host's URI. Never takes an address from a client.
/// </summary>
internal static class VncEndpointReader
{
    /// <param name="tunnel">How to reach the host's loopback (an SSH host), or null.</param>
    public static VncEndpoint Read(string liveXml, string hostUri, string vmName, SshTunnel? tunnel = null)
    {
        var graphics = XDocument.Parse(liveXml).Root?.Element("devices")?.Elements("graphics")
            .FirstOrDefault(g => (string?)g.Attribute("type") == "vnc")
            ?? throw HypervisorException.Because(HypervisorErrorKind.VncMissing, $"{vmName} has no VNC display. Add VNC graphics to open its console.", vmName);
        var password = (string?)graphics.Attribute("passwd");
        var listen = graphics.Elements("listen").FirstOrDefault();
        var remoteHost = RemoteHostName(hostUri);

        if ((string?)listen?.Attribute("type") == "socket")
        {
            if (remoteHost is not null)
                throw HypervisorException.Because(HypervisorErrorKind.VncUnixSocket,
                    $"The VNC display of {vmName} is a unix socket on host {remoteHost}, which this dashboard cannot reach. Make it listen on an address.", vmName, remoteHost);
            return new VncEndpoint(null, 0, (string?)listen.Attribute("socket"), password);
        }

        var port = (int?)graphics.Attribute("port") ?? -1;
        if (port <= 0)
            throw HypervisorException.Because(HypervisorErrorKind.VncNotListening, $"{vmName} is not running, so its VNC display is not listening.", vmName);

        var address = (string?)listen?.Attribute("address") ?? (string?)graphics.Attribute("listen") ?? "127.0.0.1";
        var isAny = address is "0.0.0.0" or "::" or "";
        var isLoopback = address == "localhost" || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));
        if (remoteHost is null)
            return new VncEndpoint(isAny ? "127.0.0.1" : address, port, null, password);
        if (isLoopback && tunnel is not null)
            return new VncEndpoint(address == "localhost" ? "127.0.0.1" : address, port, null, password) { Tunnel = tunnel };
        if (isLoopback)
            throw HypervisorException.Because(HypervisorErrorKind.VncLoopbackOnly,
                $"The VNC display of {vmName} listens only on the loopback of host {remoteHost}. Make it listen on an address this dashboard can reach.", vmName, remoteHost);
        return new VncEndpoint(isAny ? remoteHost : address, port, null, password);
    }

    /// <summary>The host name of a remote URI (qemu+tls://kvm1/system -> kvm1), null for a local one.</summary>
    private static string? RemoteHostName(string hostUri) =>
        Uri.TryCreate(hostUri, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : null;
}
