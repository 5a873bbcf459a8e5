using KvmPortal.Web.Data;
using KvmPortal.Web.Hosts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration;

public sealed class HostDirectoryTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private HostDirectory Directory => app.Services.GetRequiredService<HostDirectory>();

    private async Task<List<HostRecord>> StoredHostsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        return await db.Hosts.AsNoTracking().ToListAsync();
    }

    [Fact]
    public async Task Adding_a_valid_host_persists_and_attaches_it()
    {
        var result = await Directory.AddAsync("  lab 1  ", "qemu+ssh://root@lab1/system");

        Assert.True(result.Succeeded, result.Error);
        var stored = Assert.Single(await StoredHostsAsync(), h => h.Id == result.Host!.Id);
        Assert.Equal("lab 1", stored.Name);
        Assert.Equal("qemu+ssh://root@lab1/system", stored.Uri);
        var attached = app.HostManager.Attached[stored.Id];
        Assert.Equal(("lab 1", "qemu+ssh://root@lab1/system"), (attached.Name, attached.Uri));
    }

    [Fact]
    public async Task An_invalid_uri_is_refused_with_the_validators_message_and_nothing_is_saved()
    {
        var before = await StoredHostsAsync();

        var result = await Directory.AddAsync("lab2", "qemu+ssh:///system");

        Assert.False(result.Succeeded);
        Assert.Equal("A ssh URI needs a host name, as in qemu+ssh://host/system.", result.Error);
        Assert.Equal(before.Count, (await StoredHostsAsync()).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad/name")]
    [InlineData("x<script>")]
    public async Task An_invalid_name_is_refused(string name)
    {
        var result = await Directory.AddAsync(name, "qemu+tls://lab3/system");
        Assert.False(result.Succeeded);
        Assert.DoesNotContain(await StoredHostsAsync(), h => h.Uri == "qemu+tls://lab3/system");
    }

    [Fact]
    public async Task A_duplicate_name_or_uri_is_refused_clearly()
    {
        Assert.True((await Directory.AddAsync("lab4", "qemu+tcp://lab4/system")).Succeeded);
        var attachedBefore = app.HostManager.Attached.Count;

        var sameName = await Directory.AddAsync("lab4", "qemu+tcp://other/system");
        var sameUri = await Directory.AddAsync("lab4 again", "qemu+tcp://lab4/system");

        Assert.Equal("A host named 'lab4' already exists.", sameName.Error);
        Assert.Equal("The host 'lab4' already uses this URI.", sameUri.Error);
        var stored = await StoredHostsAsync();
        Assert.DoesNotContain(stored, h => h.Uri == "qemu+tcp://other/system" || h.Name == "lab4 again");
        Assert.Equal(attachedBefore, app.HostManager.Attached.Count);
    }

    [Fact]
    public async Task Removing_a_host_deletes_and_detaches_it()
    {
        var added = await Directory.AddAsync("lab5", "test:///default");
        var id = added.Host!.Id;

        var removed = await Directory.RemoveAsync(id);

        Assert.True(removed.Succeeded, removed.Error);
        Assert.DoesNotContain(await StoredHostsAsync(), h => h.Id == id);
        Assert.Contains(id, app.HostManager.Detached);
        Assert.False(app.HostManager.Attached.ContainsKey(id));
        Assert.False((await Directory.RemoveAsync(id)).Succeeded);
    }
}
