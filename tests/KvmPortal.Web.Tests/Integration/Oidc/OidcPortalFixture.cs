using KvmPortal.Web.Access;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration.Oidc;

/// <summary>
/// The test identity provider and a portal (real PostgreSQL) configured to sign in through it, with group mappings to
/// two teams that exist and one that does not.
/// </summary>
public sealed class OidcPortalFixture : IAsyncLifetime
{
    public const string DisplayName = "Test IdP";
    public const string WebTeamName = "oidc-web";
    public const string DatabaseTeamName = "oidc-databases";
    public const string MissingTeamName = "no-such-team";
    /// <summary>Where the portal under WebApplicationFactory takes the provider's answer.</summary>
    public const string RedirectUri = "http://localhost/signin-oidc";

    public TestOpenIdProvider Provider { get; private set; } = null!;

    public KvmPortalAppFixture App { get; private set; } = null!;

    public Guid WebTeam { get; private set; }

    public Guid DatabaseTeam { get; private set; }

    public IDbContextFactory<KvmPortalDbContext> Contexts => App.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>();

    public async Task InitializeAsync()
    {
        Provider = await TestOpenIdProvider.StartAsync();
        Provider.RedirectUris.Add(RedirectUri);
        App = await KvmPortalAppFixture.StartNewAsync(builder =>
        {
            foreach (var (key, value) in Settings(Provider.Issuer))
                builder.UseSetting(key, value);
        });
        WebTeam = await CreateTeamAsync(WebTeamName);
        DatabaseTeam = await CreateTeamAsync(DatabaseTeamName);
    }

    /// <summary>The portal's KvmPortal:Oidc settings for a provider at <paramref name="issuer"/>.</summary>
    public static Dictionary<string, string> Settings(string issuer)
    {
        const string section = "KvmPortal:Oidc:";
        const string mappings = section + "GroupMappings:";
        return new()
        {
            [section + "Authority"] = issuer,
            [section + "ClientId"] = TestOpenIdProvider.ClientId,
            [section + "ClientSecret"] = TestOpenIdProvider.ClientSecret,
            [section + "RequireHttpsMetadata"] = "false",
            [section + "DisplayName"] = DisplayName,
            [section + "Scopes:0"] = "profile",
            [section + "Scopes:1"] = TestOpenIdProvider.GroupClaim,
            [section + "GroupClaim"] = TestOpenIdProvider.GroupClaim,
            [mappings + "portal-admins:Role"] = nameof(PortalRole.Administrator),
            [mappings + "web-ops:Role"] = nameof(PortalRole.Operator),
            [mappings + "web-ops:Team"] = WebTeamName,
            [mappings + "web-desk:Role"] = nameof(PortalRole.HelpDesk),
            [mappings + "web-desk:Team"] = WebTeamName,
            [mappings + "web-desk:ConsoleViewOnly"] = "true",
            [mappings + "web-desk:MayReboot"] = "true",
            [mappings + "db-leads:Role"] = nameof(PortalRole.Viewer),
            [mappings + "db-leads:Team"] = DatabaseTeamName,
            [mappings + "lost:Role"] = nameof(PortalRole.Viewer),
            [mappings + "lost:Team"] = MissingTeamName,
        };
    }

    private async Task<Guid> CreateTeamAsync(string name)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var team = new TeamRecord { Id = Guid.NewGuid(), Name = name, CreatedAt = DateTimeOffset.UtcNow };
        db.Teams.Add(team);
        await db.SaveChangesAsync();
        return team.Id;
    }

    public async Task DisposeAsync()
    {
        if (App is IAsyncLifetime app)
            await app.DisposeAsync();
        if (Provider is not null)
            await Provider.DisposeAsync();
    }
}
