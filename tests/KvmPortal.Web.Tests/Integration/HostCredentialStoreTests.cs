using System.Text.Json;
using KvmPortal.Web.Access;
using KvmPortal.Web.Access.Gated;
using KvmPortal.Web.Data;
using KvmPortal.Web.Hosts;
using KvmPortal.Web.Hosts.Credentials;
using KvmPortal.Web.Tests.Access;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Hosts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>Host credentials through the directory on the real PostgreSQL: protected at rest, handed to the session, audited.</summary>
public sealed class HostCredentialStoreTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private HostDirectory Directory => app.Services.GetRequiredService<HostDirectory>();

    private async Task<HostRecord> StoredAsync(Guid id)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        return await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == id);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Tls_credentials_are_stored_protected_handed_to_the_session_and_summarised_without_the_key()
    {
        using var ca = new TestCa("Lab CA");
        var input = ca.TlsInput();
        var name = Unique("tls");

        var result = await Directory.AddAsync(name, $"qemu+tls://{name}/system", input);

        Assert.True(result.Succeeded, result.Error);
        var stored = await StoredAsync(result.Host!.Id);
        Assert.NotNull(stored.ProtectedCredentials);
        Assert.DoesNotContain("BEGIN", stored.ProtectedCredentials);
        Assert.DoesNotContain(input.TlsClientKey!.Split('\n')[1], stored.ProtectedCredentials);
        // Only this purpose opens it: another protector of the app cannot.
        var provider = app.Services.GetRequiredService<IDataProtectionProvider>();
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => provider.CreateProtector("other").Unprotect(stored.ProtectedCredentials));

        var attached = app.HostManager.Attached[stored.Id];
        Assert.Equal($"qemu+tls://{name}/system", attached.Uri);
        Assert.Equal(input.TlsClientKey.Trim(), attached.Credentials!.Tls!.ClientKeyPem);
        Assert.DoesNotContain("PRIVATE KEY", attached.ToString());

        var summary = await Directory.CredentialSummaryAsync(stored.Id);
        Assert.Equal("CN=Lab CA", Assert.Single(summary!.Tls!.Authorities).Subject);
        Assert.Equal("CN=kvmportal-test-client", summary.Tls.Client.Subject);
        Assert.DoesNotContain("PRIVATE KEY", JsonSerializer.Serialize(summary));
    }

    [Fact]
    public async Task Bad_credentials_save_nothing_and_say_what_is_wrong_per_field()
    {
        using var ca = new TestCa();
        var input = ca.TlsInput();
        input.TlsClientKey = ca.Client().KeyPem;
        var name = Unique("bad");

        var result = await Directory.AddAsync(name, $"qemu+tls://{name}/system", input);

        Assert.False(result.Succeeded);
        Assert.Equal(HostCredentialField.TlsClientKey, Assert.Single(result.Problems).Field);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Hosts.AnyAsync(h => h.Name == name));
    }

    [Fact]
    public async Task Replacing_and_removing_credentials_reconnects_the_host_and_both_are_audited()
    {
        var scenario = new AccessScenario(app);
        var admin = await scenario.CreateUserAsync("admin");
        await scenario.GrantAsync(admin, PortalRole.Administrator, null);
        var gated = new GatedHostDirectory(Directory, scenario.Gate(admin), scenario.Targets);
        var name = Unique("ssh");
        var uri = $"qemu+ssh://root@{name}/system";
        var added = await gated.AddAsync(name, uri);
        var id = added.Host!.Id;
        var (key, _, fingerprint) = TestSshKeys.Generate();
        var hostKey = TestSshKeys.Generate().PublicKey.Split(' ');

        var replaced = await gated.SetCredentialsAsync(id, new HostCredentialInput { SshPrivateKey = key, SshKnownHosts = $"{name} {hostKey[0]} {hostKey[1]}" });

        Assert.True(replaced.Succeeded, replaced.Error);
        Assert.Contains(id, app.HostManager.Detached);
        Assert.Equal(key.Trim() + "\n", app.HostManager.Attached[id].Credentials!.Ssh!.PrivateKey);
        Assert.Equal(fingerprint, (await gated.CredentialSummaryAsync(id))!.Ssh!.KeyFingerprint);

        var removed = await gated.SetCredentialsAsync(id, null);

        Assert.True(removed.Succeeded, removed.Error);
        Assert.Null((await StoredAsync(id)).ProtectedCredentials);
        Assert.Null(app.HostManager.Attached[id].Credentials);
        Assert.Null(await gated.CredentialSummaryAsync(id));
        var entries = scenario.Audit.Entries.Where(e => e.Target.HostId == id || e.Target.HostName == name).ToList();
        Assert.Equal(["host.add", "host.credentials.change", "host.credentials.remove"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.True(e.Succeeded));
        Assert.All(entries, e => Assert.DoesNotContain("PRIVATE KEY", e.ParametersJson ?? ""));
        Assert.Contains("\"ssh\":true", entries[1].ParametersJson);
    }

    [Fact]
    public async Task Someone_who_may_not_manage_hosts_can_neither_read_nor_change_credentials()
    {
        var scenario = new AccessScenario(app);
        var viewer = await scenario.CreateUserAsync("viewer");
        await scenario.GrantAsync(viewer, PortalRole.Viewer, null);
        var name = Unique("guarded");
        var id = (await Directory.AddAsync(name, $"qemu+tls://{name}/system")).Host!.Id;
        var gated = new GatedHostDirectory(Directory, scenario.Gate(viewer), scenario.Targets);

        await Assert.ThrowsAsync<AccessDeniedException>(() => gated.CredentialSummaryAsync(id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => gated.SetCredentialsAsync(id, null));
        Assert.Null((await StoredAsync(id)).ProtectedCredentials);
    }
}
