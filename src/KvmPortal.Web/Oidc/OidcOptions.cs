using KvmPortal.Web.Access;

namespace KvmPortal.Web.Oidc;

/// <summary>
/// The "KvmPortal:Oidc" configuration section: optional sign-in through an OpenID Connect identity provider. Off
/// unless <see cref="Authority"/> is set.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "KvmPortal:Oidc";

    /// <summary>The issuer's URL; its /.well-known/openid-configuration is read from there.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides "openid" (always asked); "profile" when none are configured.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The id token claim that lists the user's groups.</summary>
    public string GroupClaim { get; set; } = "groups";

    /// <summary>The id token claim a new account's user name is taken from ("sub" when the token lacks it).</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    /// <summary>The provider's name on the login page's button ("Sign in with ...").</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>False only for a provider on plain HTTP in development or tests; the metadata is then fetched without TLS.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Group name (as the claim carries it) to the grant its members get; groups not listed give nothing.</summary>
    public Dictionary<string, OidcGroupMapping> GroupMappings { get; set; } = new(StringComparer.Ordinal);

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>The grant one group maps to: a role, globally (no team) or for the team of that name (which must exist).</summary>
public sealed class OidcGroupMapping
{
    public PortalRole Role { get; set; }

    public string? Team { get; set; }

    /// <summary>Help desk only: the console is view-only.</summary>
    public bool ConsoleViewOnly { get; set; }

    /// <summary>Help desk only: may reboot.</summary>
    public bool MayReboot { get; set; }
}
