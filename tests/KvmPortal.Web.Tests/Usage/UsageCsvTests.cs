using KvmPortal.Web.Usage;

namespace KvmPortal.Web.Tests.Usage;

public sealed class UsageCsvTests
{
    private static readonly Guid Vm = Guid.Parse("aaaaaaaa-1111-4222-8333-444444444444");
    private static readonly Guid Host = Guid.Parse("bbbbbbbb-1111-4222-8333-444444444444");
    private static readonly Guid DeletedTeam = Guid.Parse("cccccccc-1111-4222-8333-444444444444");

    [Fact]
    public async Task Lines_are_written_in_invariant_units_with_rfc_4180_quoting_and_formulas_defused()
    {
        var report = new UsageReport(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1),
        [
            new VmUsageLine(Vm, "web, \"prod\"", Host, "lab1", Guid.NewGuid(), "Team A", 48, 96.126, 20L << 30, 5L << 29,
                12.346, 80, 4L << 20, 3L << 19, Idle: false, Oversized: false),
            new VmUsageLine(Vm, "=cmd", Host, null, DeletedTeam, null, 1.5, 0, 0, 0, 0.5, 1, 1024, null, Idle: true, Oversized: true),
            new VmUsageLine(Vm, "plain", Host, "lab1", null, null, 0, 0, 0, 0, 0, 0, 0, null, Idle: true, Oversized: true),
        ], []);
        var writer = new StringWriter();

        await UsageCsv.WriteAsync(report, UsageCsv.Columns, writer);

        Assert.Equal(
            "vm,vm_uuid,host,team,vcpu_hours,memory_gib_hours,disk_allocated_gib,disk_used_gib,cpu_avg_percent,cpu_peak_percent,memory_allocated_mib,memory_peak_used_mib,idle,oversized\r\n" +
            $"\"web, \"\"prod\"\"\",{Vm},lab1,Team A,48,96.13,20,2.5,12.35,80,4096,1536,false,false\r\n" +
            $"'=cmd,{Vm},{Host},{DeletedTeam},1.5,0,0,0,0.5,1,1,,true,true\r\n" +
            $"plain,{Vm},lab1,,0,0,0,0,0,0,0,,true,true\r\n",
            writer.ToString());
    }

    [Fact]
    public async Task Numbers_do_not_follow_the_readers_culture()
    {
        using var culture = new Localization.CultureScope("de-DE");
        var report = new UsageReport(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1),
            [new VmUsageLine(Vm, "vm", Host, "h", null, null, 1.5, 2.25, 0, 0, 3.5, 4.5, 0, null, false, false)], []);
        var writer = new StringWriter();

        await UsageCsv.WriteAsync(report, UsageCsv.Columns, writer);

        Assert.Contains(",1.5,2.25,0,0,3.5,4.5,", writer.ToString());
    }
}
