using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Components.Shared;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Localization;

public sealed class FormattingTests
{
    private static readonly IStringLocalizer<Strings> Text = new StringLocalizer<Strings>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private static readonly DateTimeOffset Now = new(2026, 3, 14, 15, 9, 26, TimeSpan.Zero);

    [Theory]
    [InlineData("en", "1.5 GiB", "512 MiB", "12.5%", "1m 3s", "2d 5h", "running", "shut off")]
    [InlineData("zh-Hans", "1.5 GiB", "512 MiB", "12.5%", "1分3秒", "2天5小时", "运行中", "关闭")]
    public void Sizes_percentages_uptimes_and_states_follow_the_culture(
        string culture, string gib, string mib, string cpu, string minutes, string days, string running, string shutOff)
    {
        using var _ = new CultureScope(culture);

        Assert.Equal(gib, Formatting.Memory(3UL << 29));
        Assert.Equal(mib, Formatting.Memory(512UL << 20));
        Assert.Equal(cpu, Formatting.CpuPercent(12.5));
        Assert.Equal(minutes, Formatting.Uptime(Now.AddSeconds(-63), Now, Text));
        Assert.Equal(days, Formatting.Uptime(Now.AddHours(-53), Now, Text));
        Assert.Equal(running, Formatting.State(VmState.Running, Text));
        Assert.Equal(shutOff, Formatting.State(VmState.ShutOff, Text));
    }

    [Fact]
    public void Dates_are_written_as_the_culture_writes_them()
    {
        var local = new DateTimeOffset(new DateTime(2026, 3, 14, 15, 9, 0, DateTimeKind.Local));

        // Newer ICU puts a narrow no-break space before AM/PM.
        using (new CultureScope("en"))
            Assert.Equal("3/14/2026 3:09 PM", Formatting.DateTime(local).Replace('\u202F', ' '));
        using (new CultureScope("zh-Hans"))
            Assert.Equal("2026/3/14 15:09", Formatting.DateTime(local));
    }

    [Fact]
    public void The_state_id_is_the_same_in_every_language()
    {
        Assert.Equal("running", Formatting.StateId(VmState.Running));
        Assert.Equal("shut-off", Formatting.StateId(VmState.ShutOff));
        Assert.Equal("shutting-down", Formatting.StateId(VmState.ShuttingDown));
    }
}
