using System.Buffers.Text;
using System.Security.Cryptography;

namespace KvmPortal.Web.Api.Tokens;

/// <summary>A token as the user sees it once: <c>kvp_&lt;prefix&gt;_&lt;secret&gt;</c>.</summary>
public sealed record IssuedToken(string Prefix, string Secret)
{
    public override string ToString() => $"{ApiTokenFormat.Marker}_{Prefix}_{Secret}";
}

/// <summary>
/// Makes and reads personal API tokens. The prefix (random, lower-case hex) finds the stored row; the secret is 32
/// random bytes (base64url), of which only the SHA-256 is stored.
/// </summary>
public static class ApiTokenFormat
{
    public const string Marker = "kvp";
    public const int PrefixLength = 10;
    private const int SecretBytes = 32;
    private static readonly int SecretLength = Base64Url.GetEncodedLength(SecretBytes);

    public static IssuedToken NewToken() =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixLength / 2)),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes)));

    /// <summary>The parts of a well-formed token, or null for anything else (no exception for bad input).</summary>
    public static IssuedToken? Parse(string? token)
    {
        if (token is null || token.Length != Marker.Length + PrefixLength + SecretLength + 2)
            return null;
        if (!token.StartsWith(Marker + "_", StringComparison.Ordinal) || token[Marker.Length + 1 + PrefixLength] != '_')
            return null;
        var prefix = token.Substring(Marker.Length + 1, PrefixLength);
        var secret = token[(Marker.Length + PrefixLength + 2)..];
        return prefix.All(char.IsAsciiHexDigitLower) && secret.All(IsBase64UrlCharacter) ? new IssuedToken(prefix, secret) : null;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(secret));

    private static bool IsBase64UrlCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
