using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KvmPortal.Web.Hosts.Credentials;

/// <summary>An SSH public key: its type ("ssh-ed25519") and wire-format blob, with OpenSSH's SHA256 fingerprint.</summary>
public sealed record SshPublicKey(string Type, byte[] Blob)
{
    public string Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Blob)).TrimEnd('=');
}

/// <summary>Why an SSH private key was not accepted (the validator words it).</summary>
public enum SshKeyProblem { None, NotAKey, PublicKeyGiven, Encrypted, Unsupported }

/// <summary>
/// Reads the SSH key formats libvirt's libssh transport accepts: OpenSSH's own ("BEGIN OPENSSH PRIVATE KEY") and PEM
/// RSA/EC keys. Only far enough to refuse passphrase-protected keys and to show the public key's fingerprint.
/// </summary>
public static class SshKeys
{
    private static readonly byte[] OpenSshMagic = "openssh-key-v1\0"u8.ToArray();

    public static SshKeyProblem ReadPrivateKey(string text, out SshPublicKey? publicKey)
    {
        publicKey = null;
        text = text.Trim();
        if (text.StartsWith("ssh-", StringComparison.Ordinal) || text.StartsWith("ecdsa-", StringComparison.Ordinal))
            return SshKeyProblem.PublicKeyGiven;
        if (text.Contains("ENCRYPTED", StringComparison.Ordinal))
            return SshKeyProblem.Encrypted; // PEM "Proc-Type: 4,ENCRYPTED" and "BEGIN ENCRYPTED PRIVATE KEY"
        if (!PemEncoding.TryFind(text, out var fields))
            return SshKeyProblem.NotAKey;
        var label = text[fields.Label];
        byte[] data;
        try
        {
            data = Convert.FromBase64String(text[fields.Base64Data]);
        }
        catch (FormatException)
        {
            return SshKeyProblem.NotAKey;
        }
        return label switch
        {
            "OPENSSH PRIVATE KEY" => ReadOpenSsh(data, out publicKey),
            "RSA PRIVATE KEY" or "EC PRIVATE KEY" or "PRIVATE KEY" => ReadPem(text, out publicKey),
            _ => SshKeyProblem.NotAKey,
        };
    }

    /// <summary>A public key from a known_hosts or authorized_keys field pair ("ssh-ed25519", "AAAA...").</summary>
    public static SshPublicKey? ReadPublicKey(string type, string base64)
    {
        try
        {
            var blob = Convert.FromBase64String(base64);
            var reader = new SshReader(blob);
            return reader.String() is var inner && Encoding.ASCII.GetString(inner) == type ? new SshPublicKey(type, blob) : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static SshKeyProblem ReadOpenSsh(byte[] data, out SshPublicKey? publicKey)
    {
        publicKey = null;
        try
        {
            if (!data.AsSpan().StartsWith(OpenSshMagic))
                return SshKeyProblem.NotAKey;
            var reader = new SshReader(data, OpenSshMagic.Length);
            var cipher = Encoding.ASCII.GetString(reader.String());
            reader.String(); // kdf name
            reader.String(); // kdf options
            if (reader.UInt32() != 1)
                return SshKeyProblem.Unsupported;
            var blob = reader.String();
            if (cipher != "none")
                return SshKeyProblem.Encrypted;
            publicKey = new SshPublicKey(Encoding.ASCII.GetString(new SshReader(blob).String()), blob);
            return SshKeyProblem.None;
        }
        catch (ArgumentOutOfRangeException)
        {
            return SshKeyProblem.NotAKey;
        }
    }

    private static SshKeyProblem ReadPem(string pem, out SshPublicKey? publicKey)
    {
        publicKey = null;
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            var p = rsa.ExportParameters(false);
            publicKey = new SshPublicKey("ssh-rsa", Blob(Encoding.ASCII.GetBytes("ssh-rsa"), Mpint(p.Exponent!), Mpint(p.Modulus!)));
            return SshKeyProblem.None;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
        }
        try
        {
            using var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            var p = ec.ExportParameters(false);
            var curve = p.Curve.Oid.FriendlyName switch
            {
                "nistP256" or "ECDSA_P256" => "nistp256",
                "nistP384" or "ECDSA_P384" => "nistp384",
                "nistP521" or "ECDSA_P521" => "nistp521",
                _ => null,
            };
            if (curve is null)
                return SshKeyProblem.Unsupported;
            var type = "ecdsa-sha2-" + curve;
            byte[] point = [0x04, .. p.Q.X!, .. p.Q.Y!];
            publicKey = new SshPublicKey(type, Blob(Encoding.ASCII.GetBytes(type), Encoding.ASCII.GetBytes(curve), point));
            return SshKeyProblem.None;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // e.g. an Ed25519 key in PKCS#8, which .NET cannot read: OpenSSH's format is asked for instead.
            return pem.Contains("BEGIN PRIVATE KEY", StringComparison.Ordinal) ? SshKeyProblem.Unsupported : SshKeyProblem.NotAKey;
        }
    }

    private static byte[] Mpint(byte[] unsigned) => unsigned.Length > 0 && unsigned[0] >= 0x80 ? [0, .. unsigned] : unsigned;

    private static byte[] Blob(params byte[][] strings)
    {
        var result = new List<byte>();
        foreach (var s in strings)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)s.Length);
            result.AddRange(length);
            result.AddRange(s);
        }
        return [.. result];
    }

    /// <summary>SSH wire format: uint32 big-endian and length-prefixed strings.</summary>
    private sealed class SshReader(byte[] data, int position = 0)
    {
        private int _position = position;

        public uint UInt32()
        {
            if (_position + 4 > data.Length) throw new ArgumentOutOfRangeException(nameof(data), "truncated");
            var value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(_position, 4));
            _position += 4;
            return value;
        }

        public byte[] String()
        {
            var length = UInt32();
            if (length > data.Length - _position) throw new ArgumentOutOfRangeException(nameof(data), "truncated");
            var value = data.AsSpan(_position, (int)length).ToArray();
            _position += (int)length;
            return value;
        }
    }
}
