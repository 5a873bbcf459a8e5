using System.Net;
using System.Text;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>
/// The audit page's queries and the CSV export on the real database. Each test writes its entries into a time window
/// of its own, far in the past, and always filters by that window, so other tests' entries never show up.
/// </summary>
public sealed class AuditPageTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private const string Password = "Plain-User-Passw0rd!";
    private readonly DateTimeOffset windowStart =
        new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(Random.Shared.Next(0, 5_000_000) * 10L);
    private readonly Guid vmUuid = Guid.NewGuid();

    private AuditQueries Queries => app.Services.GetRequiredService<AuditQueries>();

    private AuditFilter Window => new(From: windowStart, To: windowStart.AddMinutes(10));

    private async Task SeedAsync()
    {
        var log = app.Services.GetRequiredService<IAuditLog>();
        var alice = new Actor("id-alice", "Alice Admin", "192.0.2.1");
        var bob = new Actor("id-bob", "bob", "192.0.2.2");
        await log.RecordAsync(new AuditEntry(windowStart.AddMinutes(1), alice, "vm.start", new AuditTarget(HostName: "lab1", VmUuid: vmUuid, VmName: "web-1"), null, true, null));
        await log.RecordAsync(new AuditEntry(windowStart.AddMinutes(2), bob, "vm.shutdown", new AuditTarget(HostName: "lab1", VmUuid: Guid.NewGuid(), VmName: "db_1"), null, false, "Domain not running"));
        await log.RecordAsync(new AuditEntry(windowStart.AddMinutes(3), alice, "network.create", new AuditTarget(HostName: "lab2", Network: "web-lan"), null, true, null));
        await log.RecordAsync(new AuditEntry(windowStart.AddMinutes(4), bob, "storage.volume.delete", new AuditTarget(HostName: "lab2", Pool: "default", Volume: "old.qcow2"), null, true, null));
        await log.RecordAsync(new AuditEntry(windowStart.AddMinutes(5), bob, "account.signin", new AuditTarget(Other: "bob"), null, false, "wrong user name or password"));
    }

    private async Task<List<string>> ActionsAsync(AuditFilter filter)
    {
        var page = await Queries.PageAsync(filter, 0, 100);
        Assert.Equal(page.Entries.Count, page.Total);
        return page.Entries.Select(e => e.Action).ToList();
    }

    [Fact]
    public async Task The_time_range_alone_selects_the_window_newest_first()
    {
        await SeedAsync();

        Assert.Equal(["account.signin", "storage.volume.delete", "network.create", "vm.shutdown", "vm.start"], await ActionsAsync(Window));
        Assert.Equal(["network.create", "vm.shutdown"],
            await ActionsAsync(Window with { From = windowStart.AddMinutes(2), To = windowStart.AddMinutes(4) }));
    }

    [Theory]
    [InlineData("alice", new[] { "network.create", "vm.start" })]
    [InlineData("ALICE ad", new[] { "network.create", "vm.start" })]
    [InlineData("id-bob", new[] { "account.signin", "storage.volume.delete", "vm.shutdown" })]
    [InlineData("carol", new string[0])]
    public async Task The_actor_filter_matches_the_name_anywhere_or_the_exact_id(string actor, string[] expected)
    {
        await SeedAsync();
        Assert.Equal(expected, await ActionsAsync(Window with { Actor = actor }));
    }

    [Theory]
    [InlineData("web", new[] { "network.create", "vm.start" })]
    [InlineData("LAB2", new[] { "storage.volume.delete", "network.create" })]
    [InlineData("old.qcow", new[] { "storage.volume.delete" })]
    [InlineData("default", new[] { "storage.volume.delete" })]
    [InlineData("db_1", new[] { "vm.shutdown" })]
    [InlineData("b_1", new[] { "vm.shutdown" })]
    [InlineData("%", new string[0])]
    public async Task The_target_filter_matches_host_vm_pool_volume_network_and_other_names(string target, string[] expected)
    {
        await SeedAsync();
        Assert.Equal(expected, await ActionsAsync(Window with { Target = target }));
    }

    [Fact]
    public async Task The_target_filter_takes_a_VM_uuid()
    {
        await SeedAsync();
        Assert.Equal(["vm.start"], await ActionsAsync(Window with { Target = vmUuid.ToString().ToUpperInvariant() }));
    }

    [Theory]
    [InlineData("vm.", new[] { "vm.shutdown", "vm.start" })]
    [InlineData("VM.START", new[] { "vm.start" })]
    [InlineData("storage", new[] { "storage.volume.delete" })]
    [InlineData("start", new string[0])]
    public async Task The_action_filter_matches_a_prefix(string action, string[] expected)
    {
        await SeedAsync();
        Assert.Equal(expected, await ActionsAsync(Window with { Action = action }));
    }

    [Fact]
    public async Task The_result_filter_separates_successes_from_failures()
    {
        await SeedAsync();
        Assert.Equal(["account.signin", "vm.shutdown"], await ActionsAsync(Window with { Result = AuditResultFilter.Failed }));
        Assert.Equal(["storage.volume.delete", "network.create", "vm.start"], await ActionsAsync(Window with { Result = AuditResultFilter.Ok }));
    }

    [Fact]
    public async Task Pages_follow_each_other_and_count_every_match()
    {
        await SeedAsync();

        var first = await Queries.PageAsync(Window, 0, 2);
        var second = await Queries.PageAsync(Window, 2, 2);
        var third = await Queries.PageAsync(Window, 4, 2);

        Assert.Equal(5, first.Total);
        Assert.Equal(5, third.Total);
        Assert.Equal(["account.signin", "storage.volume.delete"], first.Entries.Select(e => e.Action));
        Assert.Equal(["network.create", "vm.shutdown"], second.Entries.Select(e => e.Action));
        Assert.Equal(["vm.start"], third.Entries.Select(e => e.Action));
    }

    [Fact]
    public async Task The_CSV_export_holds_the_filtered_entries_exactly_with_RFC_4180_quoting()
    {
        var log = app.Services.GetRequiredService<IAuditLog>();
        var hostId = Guid.Parse("11111111-2222-4333-8444-555555555555");
        await log.RecordAsync(new AuditEntry(windowStart.AddSeconds(1.5), new Actor("id-1", "Smith, \"Jo\"", "192.0.2.9"), "vm.edit",
            new AuditTarget(HostId: hostId, HostName: "lab1", VmUuid: vmUuid, VmName: "web\n1"), """{"a":1}""", false, "line one\r\nline \"two\"",
            "<domain>\n</domain>", "<domain/>"));
        await log.RecordAsync(new AuditEntry(windowStart.AddSeconds(3), new Actor("id-2", "=cmd", null), "vm.start",
            new AuditTarget(VmName: "plain"), null, true, null));
        var ids = await IdsAsync();
        var admin = await PortalSignIn.SignedInAsync(app, "admin", KvmPortalAppFixture.AdminPassword);

        var response = await admin.GetAsync(AuditExportEndpoints.ExportPath + Window.ToQueryString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var expected =
            "id,time,actor,actor_id,source_ip,action,result,host,host_id,vm,vm_uuid,pool,volume,network,other_target,parameters,error,xml_before,xml_after\r\n" +
            $"{ids[0]},{windowStart.AddSeconds(3).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}.000000Z,'=cmd,id-2,,vm.start,ok,,,plain,,,,,,,,,\r\n" +
            $"{ids[1]},{windowStart.AddSeconds(1.5).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}.500000Z,\"Smith, \"\"Jo\"\"\",id-1,192.0.2.9,vm.edit,failed," +
            $"lab1,{hostId},\"web\n1\",{vmUuid},,,,,\"{{\"\"a\"\": 1}}\",\"line one\r\nline \"\"two\"\"\",\"<domain>\n</domain>\",<domain/>\r\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public async Task The_CSV_header_is_in_the_readers_language()
    {
        var admin = await PortalSignIn.SignedInAsync(app, "admin", KvmPortalAppFixture.AdminPassword);
        using var request = new HttpRequestMessage(HttpMethod.Get, AuditExportEndpoints.ExportPath + Window.ToQueryString());
        request.Headers.AcceptLanguage.ParseAdd("zh-Hans");

        var response = await admin.SendAsync(request);

        var header = Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n")[0];
        Assert.StartsWith("编号,时间,用户,用户 ID,来源 IP,操作,结果,", header);
        Assert.EndsWith(",修改前 XML,修改后 XML", header);
    }

    [Fact]
    public async Task The_CSV_export_refuses_an_unreadable_filter()
    {
        var admin = await PortalSignIn.SignedInAsync(app, "admin", KvmPortalAppFixture.AdminPassword);

        var response = await admin.GetAsync(AuditExportEndpoints.ExportPath + "?result=sometimes");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_administrator_gets_the_page()
    {
        var admin = await PortalSignIn.SignedInAsync(app, "admin", KvmPortalAppFixture.AdminPassword);

        var response = await admin.GetAsync("/audit");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"audit-export\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/audit")]
    [InlineData(AuditExportEndpoints.ExportPath)]
    public async Task A_user_who_is_not_an_administrator_gets_403(string path)
    {
        await PortalSignIn.EnsurePlainUserAsync(app, "audit-reader", Password);
        var user = await PortalSignIn.SignedInAsync(app, "audit-reader", Password);

        var response = await user.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("vm.", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/audit")]
    [InlineData(AuditExportEndpoints.ExportPath)]
    public async Task The_global_administrator_grant_is_read_at_each_request_not_the_cookies_role(string path)
    {
        // Granted straight in the database: no Identity role, so the cookie says nothing about it.
        var userName = "audit-grant-" + Guid.NewGuid().ToString("N")[..6];
        var userId = await PortalSignIn.EnsurePlainUserAsync(app, userName, Password);
        var user = await PortalSignIn.SignedInAsync(app, userName, Password);
        var contexts = app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>();
        var grant = new RoleGrantRecord { Id = Guid.NewGuid(), UserId = userId, Role = PortalRole.Administrator };
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.RoleGrants.Add(grant);
            await db.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync(path)).StatusCode);

        await using (var db = await contexts.CreateDbContextAsync())
            await db.RoleGrants.Where(g => g.Id == grant.Id).ExecuteDeleteAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Without_a_sign_in_the_export_sends_to_the_login_page()
    {
        var response = await PortalSignIn.NewBrowser(app).GetAsync(AuditExportEndpoints.ExportPath);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
    }

    /// <summary>The ids of this test's entries, newest first (as the export orders them).</summary>
    private async Task<List<long>> IdsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        return await Window.Apply(db.AuditLog).OrderByDescending(a => a.Time).Select(a => a.Id).ToListAsync();
    }
}
