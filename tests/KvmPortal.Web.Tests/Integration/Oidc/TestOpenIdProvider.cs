using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KvmPortal.Web.Tests.Integration.Oidc;

/// <summary>Who the provider's authorization endpoint signs in (there is no login form: the test decides).</summary>
public sealed record TestOidcUser(string Subject, string UserName, IReadOnlyList<string> Groups);

/// <summary>A deliberate fault in the id token the provider issues, for the refusal tests.</summary>
public enum IdTokenFlaw
{
    None,
    WrongIssuer,
    /// <summary>Signed by another key under the published key's id.</summary>
    WrongSignature,
    WrongNonce,
}

/// <summary>
/// A minimal but real OpenID Connect provider on Kestrel (a loopback port of its own), for tests: discovery document,
/// JWKS with an RSA key, an authorization endpoint that signs in <see cref="User"/> at once, and a token endpoint that
/// checks the client, the single-use code, the redirect URI and the PKCE verifier (S256), then issues an RS256-signed
/// id token with the nonce and the groups. Written against the specifications, not with the library the portal
/// validates with, so the exchange tests both sides.
/// </summary>
public sealed class TestOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "kvmportal-test";
    public const string ClientSecret = "test-client-secret-0123456789";
    public const string GroupClaim = "groups";
    private const string KeyId = "test-signing-key";

    private readonly RSA signingKey = RSA.Create(2048);
    private readonly RSA otherKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, PendingCode> codes = new();
    private readonly WebApplication app;

    private TestOpenIdProvider(WebApplication app) => this.app = app;

    /// <summary>The issuer and base URL, e.g. http://127.0.0.1:40123.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>The redirect URIs the client registered; the authorization endpoint refuses others.</summary>
    public HashSet<string> RedirectUris { get; } = new(StringComparer.Ordinal);

    public TestOidcUser User { get; set; } = new("subject-1", "oidc-user", []);

    public IdTokenFlaw Flaw { get; set; }

    /// <summary>The query of the last authorization request, as the portal sent it.</summary>
    public IReadOnlyDictionary<string, string> LastAuthorizationRequest { get; private set; } = new Dictionary<string, string>();

    /// <summary>Codes exchanged for tokens, after every check passed.</summary>
    public int TokensIssued => tokensIssued;
    private int tokensIssued;

    public static async Task<TestOpenIdProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var provider = new TestOpenIdProvider(builder.Build());
        provider.MapEndpoints();
        await provider.app.StartAsync();
        provider.Issuer = provider.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return provider;
    }

    private void MapEndpoints()
    {
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = Issuer + "/authorize",
            ["token_endpoint"] = Issuer + "/token",
            ["jwks_uri"] = Issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
            ["scopes_supported"] = new[] { "openid", "profile", GroupClaim },
        }));
        app.MapGet("/jwks", () =>
        {
            var key = signingKey.ExportParameters(includePrivateParameters: false);
            return Results.Json(new
            {
                keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64Url(key.Modulus!), e = Base64Url(key.Exponent!) } },
            });
        });
        app.MapGet("/authorize", Authorize);
        app.MapPost("/token", TokenAsync);
    }

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query.ToDictionary(p => p.Key, p => p.Value.ToString());
        LastAuthorizationRequest = query;
        string Get(string name) => query.GetValueOrDefault(name, "");

        // Without a known client and registered redirect URI the provider must not redirect anywhere.
        if (Get("client_id") != ClientId || !RedirectUris.Contains(Get("redirect_uri")))
            return Results.BadRequest("unknown client or redirect_uri");
        var problem = Get("response_type") != "code" ? "response_type must be code"
            : !Get("scope").Split(' ').Contains("openid") ? "scope must include openid"
            : Get("code_challenge_method") != "S256" || Get("code_challenge").Length < 43 ? "PKCE with S256 is required"
            : Get("nonce").Length == 0 ? "nonce is required"
            : null;
        if (problem is not null)
            return Results.Redirect(WithQuery(Get("redirect_uri"), ("error", "invalid_request"), ("error_description", problem), ("state", Get("state"))));

        var code = RandomToken();
        codes[code] = new PendingCode(Get("redirect_uri"), Get("code_challenge"), Get("nonce"), User, DateTimeOffset.UtcNow.AddMinutes(1));
        return Results.Redirect(WithQuery(Get("redirect_uri"), ("code", code), ("state", Get("state"))));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var (clientId, clientSecret) = ClientCredentials(request, form);
        if (clientId != ClientId || clientSecret != ClientSecret)
            return TokenError("invalid_client", 401);
        if (form["grant_type"] != "authorization_code")
            return TokenError("unsupported_grant_type");
        // Single use: taken out whether or not the rest checks out.
        if (!codes.TryRemove(form["code"].ToString(), out var pending) || pending.ExpiresAt < DateTimeOffset.UtcNow)
            return TokenError("invalid_grant");
        if (form["redirect_uri"] != pending.RedirectUri)
            return TokenError("invalid_grant");
        var verifier = form["code_verifier"].ToString();
        if (verifier.Length < 43 || Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != pending.CodeChallenge)
            return TokenError("invalid_grant");

        Interlocked.Increment(ref tokensIssued);
        return Results.Json(new
        {
            access_token = RandomToken(),
            token_type = "Bearer",
            expires_in = 300,
            id_token = IdToken(pending),
        });
    }

    private string IdToken(PendingCode pending)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { alg = "RS256", typ = "JWT", kid = KeyId };
        var payload = new Dictionary<string, object>
        {
            ["iss"] = Flaw == IdTokenFlaw.WrongIssuer ? "https://impostor.example" : Issuer,
            ["sub"] = pending.User.Subject,
            ["aud"] = ClientId,
            ["iat"] = now,
            ["auth_time"] = now,
            ["exp"] = now + 300,
            ["nonce"] = Flaw == IdTokenFlaw.WrongNonce ? "not-the-nonce-" + RandomToken() : pending.Nonce,
            ["preferred_username"] = pending.User.UserName,
            ["name"] = pending.User.UserName,
            [GroupClaim] = pending.User.Groups,
        };
        var signed = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var key = Flaw == IdTokenFlaw.WrongSignature ? otherKey : signingKey;
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    /// <summary>client_secret_basic (the Authorization header) or client_secret_post (form fields).</summary>
    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) && header is { Scheme: "Basic", Parameter: { } encoded })
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length == 2 ? Uri.UnescapeDataString(pair[1]) : null);
        }
        return (form["client_id"], form["client_secret"]);
    }

    private static IResult TokenError(string error, int status = 400) => Results.Json(new { error }, statusCode: status);

    private static string WithQuery(string uri, params (string Name, string Value)[] parameters) =>
        uri + (uri.Contains('?') ? "&" : "?") + string.Join("&", parameters.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));

    private static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        signingKey.Dispose();
        otherKey.Dispose();
    }

    private sealed record PendingCode(string RedirectUri, string CodeChallenge, string Nonce, TestOidcUser User, DateTimeOffset ExpiresAt);
}
