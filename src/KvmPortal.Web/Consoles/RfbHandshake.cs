using System.Buffers.Binary;
using System.Text;

namespace KvmPortal.Web.Consoles;

/// <summary>A VNC server refused us or spoke something else than RFB.</summary>
public sealed class RfbHandshakeException(string message) : Exception(message);

/// <summary>
/// The two RFB handshakes of a proxied session (RFC 6143 section 7.1): with the VNC server, where the proxy
/// authenticates with the graphics password, and with the browser, which is offered no authentication because
/// the ticket has already authorised it. After both, the streams carry ClientInit/ServerInit and the messages.
/// </summary>
internal static class RfbHandshake
{
    private const byte SecurityNone = 1, SecurityVncAuth = 2;
    private static readonly byte[] Version38 = "RFB 003.008\n"u8.ToArray();

    public static async Task ConnectToServerAsync(Stream server, string? password, CancellationToken cancellationToken)
    {
        var minor = ParseVersion(await ReadAsync(server, 12, cancellationToken), "The VNC server");
        var spoken = minor >= 8 ? 8 : minor >= 7 ? 7 : 3;
        await server.WriteAsync(Encoding.ASCII.GetBytes($"RFB 003.00{spoken}\n"), cancellationToken);

        byte security;
        if (spoken >= 7)
        {
            var count = (await ReadAsync(server, 1, cancellationToken))[0];
            if (count == 0) throw new RfbHandshakeException($"The VNC server refused the connection: {await ReadReasonAsync(server, cancellationToken)}");
            var offered = await ReadAsync(server, count, cancellationToken);
            security = Choose(offered, password);
            await server.WriteAsync(new[] { security }, cancellationToken);
        }
        else
        {
            var chosen = BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(server, 4, cancellationToken));
            if (chosen == 0) throw new RfbHandshakeException($"The VNC server refused the connection: {await ReadReasonAsync(server, cancellationToken)}");
            security = chosen is SecurityNone or SecurityVncAuth ? (byte)chosen
                : throw new RfbHandshakeException($"The VNC server wants security type {chosen}, which the proxy does not speak.");
        }

        if (security == SecurityVncAuth)
        {
            if (password is null) throw new RfbHandshakeException("The VNC server asks for a password, but the domain's graphics has none.");
            var challenge = await ReadAsync(server, 16, cancellationToken);
            await server.WriteAsync(VncAuthentication.Respond(challenge, password), cancellationToken);
        }
        if (spoken >= 8 || security == SecurityVncAuth)
        {
            var result = BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(server, 4, cancellationToken));
            if (result != 0)
            {
                var reason = spoken >= 8 ? await ReadReasonAsync(server, cancellationToken) : "authentication failed";
                throw new RfbHandshakeException($"The VNC server refused the proxy: {reason}");
            }
        }
    }

    public static async Task AcceptClientAsync(Stream client, CancellationToken cancellationToken)
    {
        await client.WriteAsync(Version38, cancellationToken);
        if (ParseVersion(await ReadAsync(client, 12, cancellationToken), "The browser") < 8)
            throw new RfbHandshakeException("The browser's VNC client does not speak RFB 3.8.");
        await client.WriteAsync(new byte[] { 1, SecurityNone }, cancellationToken);
        if ((await ReadAsync(client, 1, cancellationToken))[0] != SecurityNone)
            throw new RfbHandshakeException("The browser chose a security type that was not offered.");
        await client.WriteAsync(new byte[4], cancellationToken); // SecurityResult: OK
    }

    private static byte Choose(byte[] offered, string? password) =>
        password is not null && offered.Contains(SecurityVncAuth) ? SecurityVncAuth
        : offered.Contains(SecurityNone) ? SecurityNone
        : offered.Contains(SecurityVncAuth) ? SecurityVncAuth
        : throw new RfbHandshakeException($"The VNC server offers only security types {string.Join(", ", offered)}, which the proxy does not speak.");

    private static int ParseVersion(byte[] version, string who)
    {
        var text = Encoding.ASCII.GetString(version);
        if (!text.StartsWith("RFB 003.", StringComparison.Ordinal) || text[11] != '\n' || !int.TryParse(text.AsSpan(8, 3), out var minor))
            throw new RfbHandshakeException($"{who} does not speak RFB.");
        return minor;
    }

    private static async Task<string> ReadReasonAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(stream, 4, cancellationToken));
        return length > 4096 ? "(no reason given)" : Encoding.UTF8.GetString(await ReadAsync(stream, (int)length, cancellationToken));
    }

    private static async Task<byte[]> ReadAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            throw new RfbHandshakeException("The connection closed during the RFB handshake.");
        }
        return buffer;
    }
}
