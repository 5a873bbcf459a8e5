using System.Security.Cryptography;
using System.Text;

namespace KvmPortal.Web.Consoles;

/// <summary>RFB's "VNC authentication" (RFC 6143 section 7.2.2), done by the proxy so the password stays on the server.</summary>
internal static class VncAuthentication
{
    /// <summary>
    /// The response to a 16-byte challenge: the challenge encrypted with DES in ECB mode, keyed by the first eight
    /// bytes of the password with the bits of each byte mirrored (a quirk every VNC server expects).
    /// </summary>
    public static byte[] Respond(ReadOnlySpan<byte> challenge, string password)
    {
        var key = new byte[8];
        var bytes = Encoding.Latin1.GetBytes(password);
        for (var i = 0; i < Math.Min(8, bytes.Length); i++) key[i] = Mirror(bytes[i]);
        using var des = DES.Create();
        des.Key = key;
        return des.EncryptEcb(challenge, PaddingMode.None);
    }

    private static byte Mirror(byte b)
    {
        byte mirrored = 0;
        for (var bit = 0; bit < 8; bit++)
            if ((b & (1 << bit)) != 0) mirrored |= (byte)(0x80 >> bit);
        return mirrored;
    }
}
