using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace KvmPortal.Web.Components.Account;

/// <summary>
/// What an authenticator app needs: the shared key (grouped for typing), the otpauth:// link and its QR code.
/// <paramref name="IsNewKey"/>: the key was just made, which renewed the user's security stamp.
/// </summary>
public sealed record AuthenticatorSetup(string Key, string Uri, string QrCodeDataUri, bool IsNewKey);

/// <summary>Turning TOTP two-factor sign-in on and off for a user (RFC 6238: 6 digits, 30 s, HMAC-SHA1).</summary>
public sealed class TwoFactorSetup(UserManager<KvmPortalUser> users)
{
    public const string Issuer = "KvmPortal";
    public const int RecoveryCodeCount = 10;

    /// <summary>The user's authenticator key, made on first use; it stays until two-factor sign-in is turned off.</summary>
    public async Task<AuthenticatorSetup> GetSetupAsync(KvmPortalUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        var isNew = string.IsNullOrEmpty(key);
        if (isNew)
        {
            Check(await users.ResetAuthenticatorKeyAsync(user));
            key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key was stored.");
        }
        var uri = AuthenticatorUri(user.UserName!, key!);
        return new AuthenticatorSetup(GroupKey(key!), uri, QrCodeDataUri(uri), isNew);
    }

    /// <summary>Turns two-factor sign-in on if <paramref name="code"/> is the app's current code; returns the new recovery codes, or null for a wrong code.</summary>
    public async Task<IReadOnlyList<string>?> EnableAsync(KvmPortalUser user, string? code)
    {
        var token = WithoutSeparators(code);
        if (!IsAuthenticatorCode(token)
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, token))
            return null;
        Check(await users.SetTwoFactorEnabledAsync(user, true));
        return await NewRecoveryCodesAsync(user);
    }

    /// <summary>Replaces the recovery codes; the old ones stop working.</summary>
    public async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(KvmPortalUser user) =>
        (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList()
        ?? throw new InvalidOperationException("The user store keeps no recovery codes.");

    /// <summary>Turns two-factor sign-in off and forgets the key and recovery codes, so turning it on again pairs a new app entry.</summary>
    public async Task DisableAsync(KvmPortalUser user)
    {
        Check(await users.SetTwoFactorEnabledAsync(user, false));
        Check(await users.ResetAuthenticatorKeyAsync(user));
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
    }

    public Task<int> RecoveryCodesLeftAsync(KvmPortalUser user) => users.CountRecoveryCodesAsync(user);

    /// <summary>Apps show codes as "123 456"; people type them with spaces or dashes.</summary>
    public static string WithoutSeparators(string? code) =>
        new((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());

    public static bool IsAuthenticatorCode(string code) => code.Length == 6 && code.All(char.IsAsciiDigit);

    internal static string AuthenticatorUri(string userName, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(userName)}" +
        $"?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";

    internal static string GroupKey(string key) =>
        string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(chunk => new string(chunk)));

    private static string QrCodeDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(4));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
