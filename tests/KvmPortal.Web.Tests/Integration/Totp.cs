using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits), written from the RFC, independent of Identity.</summary>
internal static class Totp
{
    public static string Code(string base32Key, DateTimeOffset time) => Code(Base32Decode(base32Key), time.ToUnixTimeSeconds() / 30, digits: 6);

    public static string Code(byte[] key, long timeStep, int digits)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, timeStep);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff;
        return (binary % (int)Math.Pow(10, digits)).ToString("D" + digits);
    }

    /// <summary>RFC 4648 base32, case and spaces ignored.</summary>
    public static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant().Where(c => c != ' ' && c != '='))
        {
            var value = alphabet.IndexOf(c);
            if (value < 0)
                throw new FormatException($"'{c}' is not base32.");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}

public sealed class TotpTests
{
    [Theory] // RFC 6238 appendix B, SHA-1, 8 digits
    [InlineData(59, "94287082")]
    [InlineData(1111111109, "07081804")]
    [InlineData(2000000000, "69279037")]
    public void The_test_implementation_matches_the_rfc_vectors(long unixTime, string expected) =>
        Assert.Equal(expected, Totp.Code("12345678901234567890"u8.ToArray(), unixTime / 30, digits: 8));

    [Fact]
    public void Base32_decodes_the_rfc_4648_examples()
    {
        Assert.Equal("foobar"u8.ToArray(), Totp.Base32Decode("MZXW6YTBOI======"));
        Assert.Equal("fo"u8.ToArray(), Totp.Base32Decode("mzxq ===="));
    }
}
